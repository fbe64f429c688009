"""Story credits: the agencies or outlets a text credits the story itself to, with the evidence line.

Rule-based and line-oriented; every pattern is compiled once per :class:`CreditFinder`.
Each rule says where a credit may stand and what it looks like, and a name only
counts when the publisher table knows it, so a chart's "Source: Exxon Mobil" or a
person in "Fox News' James Rogers contributed" is not a credit. Photo credits
("© Reuters", "George Ourfalian/AFP", "Image copyright AP", "Jim Mone/AP Photo")
match none of the rules: they have no dateline, "contributed", "reporting by",
"Source:"/"Via" or closing-dash form. See docs/source.md for what counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .publishers import PublisherTable, load_table

#: Agencies that open a story as "BEIRUT (Reuters) -", "(CNN)" or "JUNEAU, Alaska (AP) —".
DATELINE_AGENCIES = (
    "Reuters", "AP", "Associated Press", "AFP", "CNN", "Bloomberg", "UPI", "dpa", "Xinhua", "SANA", "TASS",
    "NNA", "Anadolu", "Sputnik", "Kyodo", "Interfax", "RIA Novosti", "MNA",
)  # fmt: skip
#: Agencies that also open a story without brackets ("Aleppo, SANA -", "Monitor AFP, Wednesday 29 Oct 2014").
BARE_DATELINE_AGENCIES = ("Reuters", "AFP", "SANA", "NNA", "TASS", "Xinhua", "Anadolu", "REUTERS")

_HEAD_LINES = 8  # datelines open the story: title, standfirst, then the first paragraphs
_HEAD_CHARS = 400
_TAIL_LINES = 4  # closing credits sit on the last content lines
_TAIL_CHARS = 400


@dataclass(frozen=True)
class Credit:
    name: str
    evidence: str


def _alias_pattern(table: PublisherTable) -> str:
    # Case-sensitive on purpose: "Reason", "Salon" or "Independent" as plain words are not outlets.
    names = {n for p in table.publishers for n in (p.name, *p.aliases)}
    names |= {n.upper() for n in names}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


class CreditFinder:
    """Compiled once; :meth:`find` runs the rules over a document's lines."""

    def __init__(self, table: PublisherTable | None = None) -> None:
        self.table = table or load_table()
        alias = _alias_pattern(self.table)
        name = rf"(?:[Tt]he\s+)?(?P<name>{alias})(?![\w])"
        wires = "|".join(re.escape(n) for n in DATELINE_AGENCIES)
        bare = "|".join(re.escape(n) for n in BARE_DATELINE_AGENCIES)
        self._name_start = re.compile(rf"^\W*{name}(?P<own>'s|’s|'|’)?")
        self._dateline = re.compile(
            rf"(?:^|[\s,])\(\s*(?:The\s+)?(?P<name>{wires})\s*\)"  # WASHINGTON (Reuters) -
            rf"|(?:^|\d{{4}}\s+|[A-Z]\w*,?\s+)(?P<bare>{bare})\s*[-—–,]{{0,2}}\s*"
            rf"(?=[A-Z])(?!Photo|Images|Poll|File|FILE|Graphic|Video|PHOTO)"  # Aleppo SANA-Terrorists…
            rf"|\b(?P<byline>AFP|Reuters|AP)\s*,?\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+\d{{1,2}}\s+[A-Z][a-z]{{2}}"
        )
        self._contributed = re.compile(r"\bcontribut(?:ed|ing|ors?)\b|\breporting\s+(?:by|from)\b", re.IGNORECASE)
        self._lead_in = re.compile(
            r"^\W*(?:contribut(?:ing|ors?)\s*:|(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from))\s*",
            re.IGNORECASE,
        )
        self._with = re.compile(rf"\(\s*[Ww]ith\s+{name}")
        self._source = re.compile(rf"(?:^|[.)\"”]\s+|\(\s*)(?:Sources?|SOURCE|Via|VIA|via)\s*:?\s*{name}")
        self._source_line = re.compile(rf"^\W*(?:Sources?|SOURCE|Via|VIA|via|Courtesy(?: of)?)\s*:?\s*{name}")
        self._hat_tip = re.compile(rf"\b[Hh]/[Tt]:?\s+{name}")
        self._written_for = re.compile(rf"\b[Ww]ritten\s+[Bb]y\b[^.:]{{1,80}}?\bfor\s+{name}")
        self._closing = re.compile(rf"(?:\s[-—–]{{1,2}}|[.”\"]\s*[-—–]{{1,2}})\s*{name}\W{{0,3}}$")
        self._alone = re.compile(rf"^{name}\.?$")
        # Each tail rule with the substrings it cannot match without (skips the regex on most lines).
        self._tail_rules = [
            (self._with, ("(",)),
            (self._source, ("ource", "OURCE", "via", "Via", "VIA")),
            (self._hat_tip, ("/",)),
        ]
        self._copyright = re.compile(
            r"^copyright\s+(?:©\s*)?\d{4}\s+(?:the\s+)?(?P<name>associated press|reuters|afp)\b.*all rights reserved",
            re.IGNORECASE,
        )

    def find(self, lines: list[str]) -> list[Credit]:
        """Credits in order of first evidence, one per canonical name."""
        content = [ln.strip() for ln in lines if ln.strip()]
        found: dict[str, Credit] = {}
        for raw_name, evidence in self._candidates(content):
            canonical = self.table.canonical(raw_name)
            if canonical and canonical not in found:
                found[canonical] = Credit(canonical, evidence[:200])
        return list(found.values())

    def _candidates(self, content: list[str]) -> Iterator[tuple[str, str]]:
        if not content:
            return
        for line in content[:_HEAD_LINES]:
            head = line[:_HEAD_CHARS]
            if "(" in head or any(agency in head for agency in BARE_DATELINE_AGENCIES):
                for match in self._dateline.finditer(head):
                    yield match.group("name") or match.group("bare") or match.group("byline"), line
        # Cheap substring tests first: most articles have no contributor, copyright or "written by" line at all.
        lowered = "\n".join(content).lower()
        if any(key in lowered for key in ("contribut", "reporting", "copyright", "ritten")):
            for line in content:
                yield from self._body_line(line)
        tail = content[-_TAIL_LINES:]
        for line in tail:
            end = line[-_TAIL_CHARS:]
            for pattern, keys in self._tail_rules:
                if any(key in end for key in keys):
                    for match in pattern.finditer(end):
                        yield match.group("name"), line
            match = self._source_line.search(line) or self._alone.search(line)
            if match and len(line) <= 80:
                yield match.group("name"), line
        yield from self._closing_credit(content)

    def _body_line(self, line: str) -> Iterator[tuple[str, str]]:
        lower = line[:400].lower()
        if len(line) <= 400 and ("contribut" in lower or "reporting" in lower) and self._contributed.search(line):
            yield from self._contributors(line)
        if lower.startswith("copyright"):
            match = self._copyright.search(line)
            if match:
                yield match.group("name"), line
        if "ritten" in lower:
            for match in self._written_for.finditer(line[:300]):
                yield match.group("name"), line

    def _contributors(self, line: str) -> Iterator[tuple[str, str]]:
        """Outlets credited as such in a contributor line — not "CNN's Jim Acosta" nor "Grace Hauck, USA TODAY"."""
        body = self._lead_in.sub("", line)
        for part in re.split(r";|\.\s+|\s+and\s+|\s*&\s*", body):
            match = self._name_start.search(part)
            if match and not match.group("own"):
                yield match.group("name"), line

    def _closing_credit(self, content: list[str]) -> Iterator[tuple[str, str]]:
        """"… said. — Al Jazeera" or "… --Reuters" ending the last paragraph (not a repeated caption or headline)."""
        if len(content) < 2 and len(content[0]) < 300:
            return
        for line in content[-_TAIL_LINES:]:
            if len(line) < 80 or content.count(line) > 1:
                continue
            match = self._closing.search(line)
            if match:
                yield match.group("name"), line
