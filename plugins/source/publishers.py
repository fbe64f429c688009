"""The canonical publisher table (publishers.json) and the metadata / self-naming evidence built on it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

TABLE_PATH = Path(__file__).with_name("publishers.json")


@dataclass(frozen=True)
class Publisher:
    name: str
    labels: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    self_patterns: tuple[str, ...] = ()


@dataclass
class PublisherTable:
    """Lookups over publishers.json: dataset labels, aliases and domains → canonical name."""

    publishers: list[Publisher]
    by_label: dict[str, str] = field(default_factory=dict)
    by_alias: dict[str, str] = field(default_factory=dict)
    by_domain: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for pub in self.publishers:
            for label in pub.labels:
                self.by_label[label.casefold()] = pub.name
            for alias in (pub.name, *pub.aliases):
                self.by_alias.setdefault(alias.casefold(), pub.name)
            for domain in pub.domains:
                self.by_domain[domain.casefold()] = pub.name

    @property
    def names(self) -> list[str]:
        return [pub.name for pub in self.publishers]

    def from_label(self, dataset: str, label: str) -> str:
        """Canonical name of a training set's outlet label (``dataset`` is allsides, fakes or buzzfeed)."""
        try:
            return self.by_label[f"{dataset}:{label}".casefold()]
        except KeyError:
            raise KeyError(f"publishers.json has no entry for {dataset} label {label!r}") from None

    def canonical(self, name: str | None) -> str | None:
        """Canonical name for any spelling we know (a label, an alias, a domain); None if unknown."""
        if not name:
            return None
        key = name.strip().casefold()
        return self.by_alias.get(key) or self.by_domain.get(key) or self.from_domain(key)

    def from_domain(self, url_or_host: str | None) -> str | None:
        """Publisher of a URL or host name; subdomains match their parent (www1.cbn.com → CBN)."""
        if not url_or_host:
            return None
        host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host.split("/")[0]
        host = (host or "").casefold().rstrip(".")
        parts = host.split(".")
        for start in range(len(parts) - 1):
            hit = self.by_domain.get(".".join(parts[start:]))
            if hit:
                return hit
        return None


@lru_cache(maxsize=1)
def load_table(path: Path = TABLE_PATH) -> PublisherTable:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    pubs = [
        Publisher(
            name=p["name"],
            labels=tuple(p.get("labels", ())),
            aliases=tuple(p.get("aliases", ())),
            domains=tuple(p.get("domains", ())),
            self_patterns=tuple(p.get("self", ())),
        )
        for p in data["publishers"]
    ]
    return PublisherTable(pubs)


class SelfNamer:
    """Finds a page naming its own outlet: house phrases from the table, or a ``Title | Outlet`` suffix.

    Only evidence an outlet prints about itself counts; a mere mention ("Newsmax reported") does not.
    """

    HEAD_LINES = 4
    TAIL_LINES = 12

    def __init__(self, table: PublisherTable) -> None:
        self.table = table
        phrases = [(p.name, pat) for p in table.publishers for pat in p.self_patterns]
        # Each house phrase with a literal it contains: only phrases whose literal occurs get their regex run.
        self._keyed = [(_literal(pat), name, re.compile(pat, re.IGNORECASE)) for name, pat in phrases]
        aliases = sorted(table.by_alias, key=len, reverse=True)
        alias_re = "|".join(re.escape(a) for a in aliases)
        # "Some headline | Outlet" or "Some headline | OUTLET English Archive 2005-2017".
        self._suffix = re.compile(rf"\|\s*({alias_re})(?:\s|$|[-–:,])", re.IGNORECASE)
        # The dash forms, on the headline line only: "Some headline - Daily Sabah", "… - World - Ahram Online",
        # "National News Agency - Some headline". Only names of 8+ characters: a headline may well end "- Time".
        long_re = "|".join(re.escape(a) for a in aliases if len(a) >= 8)
        self._dashed = re.compile(rf"(?:\s[-–—]\s*({long_re})\s*$)|(?:^\s*({long_re})\s*[-–—]\s)", re.IGNORECASE)

    def find(self, lines: list[str], title: str | None = None) -> tuple[str, str] | None:
        """(canonical name, evidence line) or None."""
        head = [ln for ln in lines[: self.HEAD_LINES * 3] if ln.strip()][: self.HEAD_LINES]
        for line in ([title] if title else []) + head:
            match = self._suffix.search(line) if "|" in line and len(line) <= 250 else None
            if match:
                return self.table.by_alias[match.group(1).casefold()], line.strip()
        for line in ([title] if title else []) + head[:1]:
            match = self._dashed.search(line) if len(line) <= 250 else None
            if match:
                return self.table.by_alias[(match.group(1) or match.group(2)).casefold()], line.strip()
        n, reach = len(lines), self.TAIL_LINES * 3
        lead_at = [i for i in range(min(n, reach)) if not lines[i].isspace() and lines[i]][: self.TAIL_LINES]
        tail_at = [i for i in range(max(0, n - reach), n) if not lines[i].isspace() and lines[i]][-self.TAIL_LINES :]
        lead = [lines[i].strip() for i in lead_at]
        tail = [lines[i].strip() for i in tail_at]
        # The house-phrase keys hold no line break, so each line needs searching once: a short page's lead and
        # tail are largely the same lines.
        seen = set(lead_at)
        lowered = "\n".join(lead + [line for i, line in zip(tail_at, tail, strict=True) if i not in seen]).lower()
        candidates = [(name, pattern) for key, name, pattern in self._keyed if key in lowered]
        for line in lead + tail if candidates else ():
            for name, pattern in candidates:
                if pattern.search(line):
                    return name, line
        return None


def _literal(pattern: str) -> str:
    """The longest plain-text run of a regular expression, lower-cased (a cheap pre-test for it)."""
    return max(re.findall(r"[A-Za-z ]{4,}", pattern) or [""], key=len).strip().lower()
