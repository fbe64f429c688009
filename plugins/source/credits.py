"""Story credits: the agencies or outlets a text credits the story itself to, with the evidence line.

Rule-based and line-oriented; every pattern is compiled once per :class:`CreditFinder`.
Each rule says where a credit may stand and what it looks like, and a name only
counts when the publisher table knows it, so a chart's "Source: Exxon Mobil" or a
person in "Fox News' James Rogers contributed" is not a credit. Photo credits
("© Reuters", "George Ourfalian/AFP", "Image copyright AP", "Jim Mone/AP Photo")
match none of the rules: they have no dateline, "contributed", "reporting by",
"Source:"/"Via" or closing-dash form; a bracketed "(AFP)" closing a caption mid-text
("… October 5 2017. (AFP) Russian air strikes …") is not a dateline either, since a
dateline opens a line after a place name or is followed by a dash. See docs/source.md
for what counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from .publishers import PublisherTable, load_table

#: Agencies that open a story as "BEIRUT (Reuters) -", "(CNN)" or "JUNEAU, Alaska (AP) —".
DATELINE_AGENCIES = (
    "Reuters", "AP", "Associated Press", "AFP", "CNN", "Bloomberg", "UPI", "dpa", "Xinhua", "SANA", "TASS",
    "NNA", "Anadolu", "Sputnik", "Kyodo", "Interfax", "RIA Novosti", "MNA", "CBS News", "ABC News", "NBC News",
)  # fmt: skip
#: Agencies that also open a story without brackets ("Aleppo, SANA -", "Monitor AFP, Wednesday 29 Oct 2014").
#: (Upper-case "REUTERS" is left out: in these sets it is a photo credit, "REUTERS Rodi Said".)
BARE_DATELINE_AGENCIES = ("Reuters", "AFP", "SANA", "NNA", "TASS", "Xinhua", "Anadolu")

#: Lower-case substrings without which no body-line rule can match (most lines have none of them): contributor,
#: copyright and "written by" lines anywhere; reprint and pooled-copy notes only open or close a story.
_BODY_KEYS = ("contribut", "reporting", "copyright", "ritten", "\nfrom ", "more from", "h/t")
_EDGE_KEYS = ("material", "originally", "first published", "compiled", "click for more", "rest of the story")
_EDGE_HEAD, _EDGE_TAIL = 3, 4
#: A sentence ends after a word of two lower-case letters or more: not after "N.C." nor an initial ("Eric T. Smith").
_SENTENCE_END = re.compile(r"(?<=[a-z]{2}[.!?])\s+")
#: An embedded tweet: "… pic.twitter.com/x — Meg Kinnard (@MegKinnardAP) December 7, 2017" (its dateline is not ours).
_TWEET = re.compile(r"pic\.twitter\.com/|\(@\w+\)\s+[A-Z][a-z]+\s+\d{1,2},\s+\d{4}\s*$")
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
        self._name = re.compile(name)
        self._name_start = re.compile(rf"^\W*{name}(?P<own>'s|’s|'|’)?")
        # WASHINGTON (Reuters) -, (CBSDC/AP) —
        self._bracketed = re.compile(
            rf"(?:^|[\s,])\(\s*(?:The\s+|[A-Z]{{2,}}/)?(?P<name>{wires})\s*\)(?P<dash>\s*[-—–])?"
        )
        self._wire_names = DATELINE_AGENCIES
        self._dateline = re.compile(
            rf"(?:^|\d{{4}}\s+|\b[A-Z]\w*,?\s+)(?<!Thomson )(?P<bare>{bare})\s*[-—–,]{{0,2}}\s*"
            rf"(?=[A-Z])(?!Photo|Images|Poll|File|FILE|Graphic|Video|PHOTO)"  # Aleppo SANA-Terrorists…
            rf"|\b(?P<byline>AFP|Reuters|AP)\s*,?\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+\d{{1,2}}\s+[A-Z][a-z]{{2}}"
        )
        date = r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?,?\s*$"  # "BEIRUT August 21 (The Associated Press)"
        # (BuzzFeed-Webis drops a drop cap: "ashington (CNN)"; Sputnik: "DEIR EZ-ZOR (Syria) (Sputnik)".)
        self._place = re.compile(
            rf"(?:[A-Za-z][\w.’'-]*(?:,?\s+[A-Z][\w.’'-]*){{0,3}}{date})?$|.*\b[A-Z]{{3,}}(?:\s+\([A-Z][a-z]+\))?{date}"
        )
        # A contributor line says so in one of these forms; a mere "Fox News contributor Ed Rollins" does not.
        self._contributed = re.compile(
            r"(?:^|[;.]\s+)\W*(?:contribut(?:ing|ors?)\s*:|(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from)\b)"
            r"|\bcontributed\b(?:\s+(?:to\s+th(?:is|e)\s+(?:report|story|article)|reporting|this\s+\w+)|\.?$|\s+from\b)",
            re.IGNORECASE,
        )
        self._lead_in = re.compile(
            r"^\W*(?:contribut(?:ing|ors?)\s*:|(?:with\s+)?(?:additional\s+)?reporting\s+(?:by|from))\s*",
            re.IGNORECASE,
        )
        self._with = re.compile(r"\(\s*[Ww]ith\s+(?P<list>[^()]{1,80})\)")
        self._and_agencies = re.compile(rf"\b(?:Sources?|SOURCE)\s*:?\s*{name}\s+and\s+(?:other\s+)?agencies\b")
        self._source = re.compile(rf"(?:^|[.)\"”]\s+|\(\s*)(?:Sources?|SOURCE|Via|VIA|via)\s*:?\s*{name}")
        self._source_line = re.compile(rf"^\W*(?:Sources?|SOURCE|Via|VIA|via|Courtesy(?: of)?)\s*:?\s*{name}")
        self._hat_tip = re.compile(rf"\b[Hh]/[Tt]:?\s+{name}")
        # "As Written By LAWRENCE K. ALTMAN, M.D. for the New York Times:" (initials may hold periods, not a colon)
        self._written_for = re.compile(rf"\b[Ww]ritten\s+[Bb]y\b[^:]{{1,80}}?\bfor\s+{name}")
        # "Sources: Miami Herald, USA Today / Photo credit: …"
        self._sources_list = re.compile(r"^\W*(?:Sources?|SOURCES?)\s*:\s*(?P<list>[^/|]{1,120})")
        self._hat_tip_inline = re.compile(rf"\(\s*[Hh]/[Tt]:?\s+{name}\s*\)")  # "… on July 23 (H/T Breitbart)."
        # "By Michael McAuliff and Lisa Gillespie, Kaiser Health News": only outlets that syndicate their stories, since
        # "By John Smith, Fox News" on Fox News' own page is staff, not a credit.
        self._syndicated_byline = re.compile(
            r"^By\s+[^,]{2,80},\s*(?:The\s+)?(?P<name>Associated\s+Press|Reuters|AFP|Bloomberg\s+News|Kaiser\s+Health\s+News"
            r"|ProPublica|The\s+Conversation)\s*$"
        )
        self._source_end = re.compile(rf"\b(?:Sources?|SOURCE)\s*:?\s*{name}\W{{0,3}}$")
        self._closing = re.compile(rf"(?:\s[-—–]{{1,2}}|[.”\"]\s*[-—–]{{1,2}})\s*{name}\W{{0,3}}$")
        self._alone = re.compile(rf"^{name}\.?$")
        # Each tail rule with the substrings it cannot match without (skips the regex on most lines).
        self._tail_rules = [
            (self._source, ("ource", "OURCE", "via", "Via", "VIA")),
            (self._source_end, ("ource", "OURCE")),
            (self._hat_tip, ("/",)),
        ]
        # Reprints and pooled copy: "This article originally appeared at The Daily Beast", "Material from Bloomberg
        # News and AFP was used in this report", "This report contains material from Reuters", "a reporting
        # partnership between NPR, WNPR and Kaiser Health News", "compiled from Associated Press material".
        self._reprint = re.compile(
            rf"\b(?:[Oo]riginally|[Ff]irst)\s+(?:appeared|published|ran)\s+(?:on|in|at|by)\s+(?:the\s+website\s+of\s+)?{name}"
        )
        self._pooled = re.compile(
            r"\b(?:[Ii]nformation|[Mm]aterial)\s+from\s+(?P<list>[^.]{1,120}?)\s+(?:was|were)\s+used\s+in\s+this"
            r"|\bcontains\s+material\s+from\s+(?P<list2>[^.]{1,120})"
            r"|\b(?:reporting\s+partnership\s+(?:between|with)|compiled\s+from)\s+(?P<list3>[^.]{1,120})"
        )
        # An aggregator's pointer to the story it excerpts: "Click for more from The Wall Street Journal", "Read the
        # rest of the story at Campus Reform", a line "From Fox News:" introducing the quoted excerpt.
        self._excerpt = re.compile(
            rf"^(?:Click\s+(?:here\s+)?for\s+more\s+from|Read\s+the\s+[Rr]est\s+of\s+the\s+[Ss]tory\s+(?:at|on)|From)"
            rf"\s+{name}\s*[.:…]?\s*$"
        )
        self._more_from = re.compile(rf"\bMore\s+from\s+{name}\s*:\s*$")  # "… last week. More from Fox News:"
        self._agency_byline = re.compile(r"^(?:The\s+)?(?:Associated\s+Press|Reuters|Agence\s+France-Presse|AFP)$")
        # FA-KES Ahram pages: "Wednesday 27 Jul 2016 <the title again> AP Syrias state TV has raised the death toll…"
        self._agency_after_title = re.compile(r"\s+(?P<name>AP|AFP|Reuters)\s+(?=[A-Z])")
        self._copyright = re.compile(
            r"^(?:©\s*)?copyright\s+(?:©\s*)?\d{4}\s+(?:the\s+)?(?P<name>associated press|reuters|afp)\b"
            r".*all rights reserved",
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
            yield from self._datelines(line)
            if len(line) <= 30 and self._agency_byline.match(line):  # "Jim Gomez" / "The Associated Press"
                yield line, line
            if line.startswith("By ") and len(line) <= 120:
                for match in self._syndicated_byline.finditer(line):
                    yield match.group("name"), line
        if len(content) > 1:
            yield from self._after_title(content[0], content[1])
        text = "\n".join(content)
        for index in _key_lines(text, content):
            yield from self._body_line(content[index])
        if "agencies" in text:  # FA-KES pages: "… Source TRTWorld and agencies Related News …" mid-line
            for line in content:
                for match in self._and_agencies.finditer(line):
                    yield match.group("name"), line
        # The title is no closing credit: "… - Region - World - Ahram Online" names the site itself.
        tail = content[-_TAIL_LINES:] if len(content) > _TAIL_LINES else content[1:] or content
        for line in tail:
            yield from self._tail_line(line)
        yield from self._closing_credit(tail, content)

    def _datelines(self, line: str) -> Iterator[tuple[str, str]]:
        """Agency datelines; "(AFP)" closing a caption ("… October 5 2017. (AFP) Russian air strikes") is not one."""
        head = line[:_HEAD_CHARS]
        if len(line) <= 400 and ("twitter" in line or "(@" in line) and _TWEET.search(line):
            return
        if ")" in head and any(wire in head for wire in self._wire_names):
            for match in self._bracketed.finditer(head):
                if match.group("dash") or self._place.match(head[: match.start()]):
                    yield match.group("name"), line
        if "AP" in head or any(agency in head for agency in BARE_DATELINE_AGENCIES):
            for match in self._dateline.finditer(head):
                yield match.group("bare") or match.group("byline"), line

    def _after_title(self, title: str, line: str) -> Iterator[tuple[str, str]]:
        """An agency named right after the headline repeated at the top of the body (Ahram's FA-KES pages)."""
        at = line.find(title, 0, 120) if len(title) >= 20 else -1
        if at >= 0:
            match = self._agency_after_title.match(line, at + len(title))
            if match:
                yield match.group("name"), line

    def _tail_line(self, line: str) -> Iterator[tuple[str, str]]:
        end = line[-_TAIL_CHARS:]
        for pattern, keys in self._tail_rules:
            if any(key in end for key in keys):
                for match in pattern.finditer(end):
                    yield match.group("name"), line
        if "(" in end:
            for match in self._with.finditer(end):  # "(With AFP and Reuters)", FA-KES "(With AP Reuters and AFP)"
                for named in self._name.finditer(match.group("list")):
                    yield named.group("name"), line
        match = self._source_line.search(line) or self._alone.search(line)
        if match and len(line) <= 80:
            yield match.group("name"), line
        if len(line) <= 160 and "ource" in line[:20]:
            listed = self._sources_list.match(line)
            for named in self._name.finditer(listed.group("list")) if listed else ():
                if not listed.group("list")[named.end() :].lstrip()[:1].isdigit():  # "ABC 6" is a local station
                    yield named.group("name"), line

    def _body_line(self, line: str) -> Iterator[tuple[str, str]]:
        lower = line[:400].lower()
        if len(line) <= 400 and ("contribut" in lower or "reporting" in lower) and self._contributed.search(line):
            yield from self._contributors(line)
        if "material" in lower or "partnership" in lower or "compiled" in lower:
            for match in self._pooled.finditer(line):
                for named in self._name.finditer(match.group("list") or match.group("list2") or match.group("list3")):
                    yield named.group("name"), line
        if "originally" in lower or "first published" in lower:
            for match in self._reprint.finditer(line):
                yield match.group("name"), line
        if "h/t" in lower:
            for match in self._hat_tip_inline.finditer(line):
                yield match.group("name"), line
        if "more from" in lower:
            for match in self._more_from.finditer(line):
                yield match.group("name"), line
        if len(line) <= 120 and lower.startswith(("click", "read the rest", "from ")):
            match = self._excerpt.search(line)
            if match:
                yield match.group("name"), line
        if lower.startswith(("copyright", "© copyright", "©copyright")):
            match = self._copyright.search(line)
            if match:
                yield match.group("name"), line
        if "ritten" in lower:
            for match in self._written_for.finditer(line[:300]):
                yield match.group("name"), line

    def _contributors(self, line: str) -> Iterator[tuple[str, str]]:
        """Outlets credited as such in a contributor sentence — not "CNN's Jim Acosta" nor "Grace Hauck, USA TODAY",
        nor "CBS RADIO" in the copyright sentence before "The Associated Press contributed to this report"."""
        for sentence in _SENTENCE_END.split(line):
            if not self._contributed.search(sentence):
                continue
            for part in re.split(r";|\s+and\s+|\s*&\s*", sentence):
                match = self._name_start.search(self._lead_in.sub("", part))
                if match and not match.group("own"):
                    yield match.group("name"), line

    def _closing_credit(self, tail: list[str], content: list[str]) -> Iterator[tuple[str, str]]:
        """"… said. — Al Jazeera" or "… --Reuters" ending the last paragraph (not a repeated caption or headline)."""
        if len(content) < 2 and len(content[0]) < 300:
            return
        for line in tail:
            if len(line) < 80 or content.count(line) > 1:
                continue
            match = self._closing.search(line, max(0, len(line) - 80))  # it ends the line: read only the end
            if match:
                yield match.group("name"), line


def _key_lines(text: str, content: list[str]) -> list[int]:
    """Indices of the lines that may hold a body-line credit (``text`` is ``content`` joined by newlines).

    A few str.find calls over the lower-cased text instead of testing every line: most articles hold no key.
    """
    lowered = text.lower()
    head_end = sum(len(line) + 1 for line in content[:_EDGE_HEAD])
    tail_start = max(head_end, len(text) - sum(len(line) + 1 for line in content[-_EDGE_TAIL:]))
    searches = [(key, 0, len(text)) for key in _BODY_KEYS]
    searches += [(key, start, end) for key in _EDGE_KEYS for start, end in ((0, head_end), (tail_start, len(text)))]
    hits = []
    for key, start, end in searches:
        at = lowered.find(key, start, end)
        while at != -1:
            hits.append(at + 1 if key[0] == "\n" else at)
            at = lowered.find(key, at + 1, end)
    if not hits:
        return []
    starts = list(accumulate((len(line) + 1 for line in content[:-1]), initial=0))
    return sorted({bisect_right(starts, at) - 1 for at in hits})
