"""A learned credit-line classifier, meant to run in union with the rules of :mod:`.credits`.

The rules only know the wordings someone wrote down; each fresh sample shows new ones (``Read more: WT``, ``…
(via The Hill):``, ``Material from the Associated Press was used in compiling this report.``). This module reads
every mention of an outlet the tables can name and asks a logistic regression whether the line credits the story to
it, from the words around the mention with the outlet's name replaced by a placeholder (so ``Read the rest at
<OUTLET>`` learnt on one outlet transfers to another), the line's place in the text and its shape.

Candidates: names the publisher table or ``CREDIT_ALIASES`` know (case-sensitive, as the rules read them), the
outlets' short forms, local stations and capitalised names ending with an outlet word (``Conservative Tribune``),
read through :func:`.credits.open_outlet`. A name counts once per article (its best-scoring line).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any

from .credits import (
    ABBREVIATIONS,
    DATELINE_AGENCIES,
    NORMAL,
    OUTLET_WORDS,
    Credit,
    CreditFinder,
    _alias_pattern,
    open_outlet,
)

__all__ = ["Candidate", "CreditLineModel", "candidates", "features", "union", "union_find"]

_TOKEN = re.compile(r"[a-z0-9]+|[^\w\s]")
_WINDOW = 5  # tokens each side of the mention
_WIRES = frozenset(DATELINE_AGENCIES)
#: Capitalised words that open a credit line rather than an outlet's name ("From Gateway Pundit:", "Via X").
_LEAD_WORDS = frozenset(
    "from via source sources by more read at in on per with and of for to reposted permission credit h/t hat tip"
    " click see full story continue original originally published copyright courtesy".split()
)


@dataclass(frozen=True)
class Candidate:
    """One outlet mention: content line index, character span in that line, canonical name."""

    line: int
    start: int
    end: int
    name: str


_CONNECTORS = frozenset(("of", "and", "for", "on", "the", "&", "with"))
_STATION_AT = re.compile(r"(?:ABC|CBS|NBC|FOX|Fox)\s?(\d{1,2})(?!\w)")
_WORDISH = re.compile(r"[\w&-]").match
_DOMAIN = re.compile(r"(?<![\w@./])(?:www\.)?[A-Za-z][\w-]+\.(?:com|org|net|co\.uk|news|tv)(?![\w]|\.\w)")
_NETWORKS = frozenset(("ABC", "CBS", "NBC", "FOX", "Fox"))
_CALL_SIGN = re.compile(r"[KW][A-Z]{3}(?:-TV)?|[KW][A-Z]{2}-TV")
_CAPWORD = re.compile(r"[A-Z][\w&-]*")
_DIGIT = re.compile(r"\d")
_TRIM = ".,;:!?'’\"”)"
#: Where candidates are read: every credit line the rules find in the twelve labelled parts (406 of them) stands in
#: the first 7 or last 5 non-empty lines (one at index 6, two at 4 from the end; the rest closer to the edges).
HEAD_LINES, TAIL_LINES = 7, 5
_EDGE_CHARS = 60  # a long line is read at its two ends: a dateline opens it, "… Via The Hill" closes it
#: FA-KES texts run standfirst and body together in one line after the title: their agency follows the standfirst.
_OPENING_CHARS = 320


class _Matcher:
    """Outlet names by dictionary lookup over runs of capitalised words, after one set test per window (a regex
    alternation of the table's 400 names costs ~1 ms per article)."""

    def __init__(self, finder: CreditFinder) -> None:
        self.finder = finder
        self._names: dict[tuple[str, bool], str | None] = {}
        names = [n.replace("\\", "") for n in _alias_pattern(finder.table).split("|")] + list(ABBREVIATIONS)
        self.known: dict[str, list[tuple[str, str]]] = {}  # trigger word -> (name as written, canonical), longest first
        for name in names:
            written = name.removeprefix("The ").removeprefix("THE ")
            canonical = self.canonical(name, False)
            trigger = _CAPWORD.match(written)
            if trigger and canonical:
                self.known.setdefault(trigger.group(), []).append((written, canonical))
        for options in self.known.values():
            options.sort(key=lambda option: len(option[0]), reverse=True)
        # A window holding none of these words names no outlet: one set test skips most windows.
        self.triggers = frozenset(self.known) | OUTLET_WORDS | _NETWORKS

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of each outlet ``text`` names, in order; ``text`` may hold many lines."""
        found: list[tuple[int, int, str]] = []
        caps = _CAPWORD.findall(text)
        hits = self.triggers.intersection(caps)
        if hits:
            self._hits(text, 0, len(text), hits, found)
        for sign in {w for w in caps if w[0] in "KW" and 4 <= len(w) <= 7 and _CALL_SIGN.fullmatch(w)}:
            at = text.find(sign)
            while at >= 0:  # call letters: "KSFY", "WBZ-TV"
                after = at + len(sign)
                if (at == 0 or not _WORDISH(text[at - 1])) and (after >= len(text) or not _WORDISH(text[after])):
                    self._add(found, at, after, open_outlet(sign, NORMAL))
                at = text.find(sign, after)
        if ".com" in text or ".org" in text or ".net" in text:
            for m in _DOMAIN.finditer(text):
                host = m.group()
                if host[:1].isupper() or host[:4].lower() == "www.":
                    self._add(found, m.start(), m.end(), self.canonical(host, True))
        return sorted(found)

    @staticmethod
    def _add(found: list[tuple[int, int, str]], start: int, end: int, name: str | None) -> bool:
        if name and not any(a < end and start < b for a, b, _ in found):  # the first reading of a span stands
            found.append((start, end, name))
            return True
        return False

    def _hits(self, line: str, lo: int, hi: int, hits: set[str], found: list[tuple[int, int, str]]) -> None:
        """Names at each occurrence of a trigger word: stations and names the tables know first, then open names
        ending with an outlet word ("Conservative Tribune"), which may not overlap them."""
        places = []
        for word in hits:
            at = line.find(word, lo, hi)
            while at >= 0:
                after = at + len(word)
                if (at == 0 or not line[at - 1].isalnum()) and (after >= len(line) or not _WORDISH(line[after])):
                    places.append((at, word))
                at = line.find(word, after, hi)
        places.sort()
        for at, word in places:
            if word in _NETWORKS:
                m = _STATION_AT.match(line, at)
                if m and self._add(found, at, m.end(), f"{word} {m.group(1)}"):  # "ABC 13": a station
                    continue
            for option, name in self.known.get(word, ()):
                end = at + len(option)
                if line.startswith(option, at) and (end >= len(line) or not line[end].isalnum()):
                    self._add(found, at, end, name)
                    break
        for at, word in places:
            if word in OUTLET_WORDS:
                self._open(line, lo, at, word, found)

    def _open(self, line: str, lo: int, at: int, word: str, found: list[tuple[int, int, str]]) -> None:
        end = at + len(word)
        if any(a < end and at < b for a, b, _ in found):  # "News" of "Fox News"
            return
        words, starts = self._preceding(line, max(lo, at - 80), at)
        for k, first in enumerate(words):  # longest name first: "Conservative Tribune"
            if first.lower() in _LEAD_WORDS or any(a < end and starts[k] < b for a, b, _ in found):
                continue
            if self._add(found, starts[k], end, self.canonical(" ".join([*words[k:], word]), True)):
                return

    @staticmethod
    def _preceding(line: str, lo: int, at: int) -> tuple[list[str], list[int]]:
        """Up to three capitalised words (and the connectors between them) right before ``at``, on the same line."""
        words: list[str] = []
        starts: list[int] = []
        end = at
        while len(words) < 3:
            gap = end
            while gap > lo and line[gap - 1] in " \t":
                gap -= 1
            if gap == end or gap == lo:
                break
            start = gap
            while start > lo and _WORDISH(line[start - 1]) or start > lo and line[start - 1] in ".'’":
                start -= 1
            word = line[start:gap]
            if word in _CONNECTORS and words:  # "Future of Freedom": a connector only between capitalised words
                words.insert(0, word)
                starts.insert(0, start)
                end = start
                continue
            if not word[:1].isupper():
                break
            words.insert(0, word)
            starts.insert(0, start)
            end = start
        while words and words[0] in _CONNECTORS:
            words.pop(0)
            starts.pop(0)
        return words, starts

    def canonical(self, span: str, open_form: bool) -> str | None:
        """The canonical name of a span, as the rules would name it; an open name only if it reads as an outlet.
        Cached: the same spans recur from text to text."""
        key = (span, open_form)
        if key not in self._names:
            if len(self._names) > 50_000:
                self._names.clear()
            self._names[key] = self._canonical(span, open_form)
        return self._names[key]

    def _canonical(self, span: str, open_form: bool) -> str | None:
        finder = self.finder
        span = span.strip()
        if span in ABBREVIATIONS:
            return ABBREVIATIONS[span]
        name = finder._known(span) or finder._known(span.removeprefix("The ")) or finder._known_stem(span)
        if name or not open_form:
            return name
        outlet = open_outlet(span, NORMAL) if not _DIGIT.search(span) else None  # "Chemical Weapons 136 Times"
        if not outlet:
            return None
        return finder._known(outlet) or finder._known_stem(outlet) or finder._known_network(outlet) or outlet


def candidates(content: Sequence[str], matcher: _Matcher) -> list[Candidate]:
    """The outlet mentions of the first HEAD_LINES and last TAIL_LINES (stripped, non-empty) lines, a long line
    read at its two ends only, in order. The windows are read as one text: one pass of each pattern per article."""
    n = len(content)
    zone = list(range(n)) if n <= HEAD_LINES + TAIL_LINES else [*range(HEAD_LINES), *range(n - TAIL_LINES, n)]
    opening, edge = (_OPENING_CHARS if n <= 3 else _EDGE_CHARS), _EDGE_CHARS
    cut = opening + edge
    pieces = [ln if len(ln) <= cut else f"{ln[:opening]}\n{ln[-edge:]}" for ln in (content[i] for i in zone)]
    found = matcher.mentions("\n".join(pieces))
    if not found:
        return []
    ends = list(accumulate(len(p) + 1 for p in pieces))  # where each piece's line ends in the joined text

    def place(at: int) -> tuple[int, int]:
        k = bisect_right(ends, at)
        off, line = at - (ends[k - 1] if k else 0), content[zone[k]]
        return zone[k], (off if len(line) <= cut or off <= opening else len(line) - edge + off - opening - 1)

    out = []
    for start, end, name in found:
        i, a = place(start)
        out.append(Candidate(i, a, a + end - start, name))
    return out


def _bucket(n: int, edges: Sequence[int]) -> int:
    for k, edge in enumerate(edges):
        if n < edge:
            return k
    return len(edges)


def features(content: Sequence[str], cand: Candidate, mentions: int) -> list[str]:
    """String features of one mention: the words and n-grams around it with the name as <O>, the line's first and
    last four words (which may hold the name), the outlet itself (name=), the line's place and shape."""
    line = content[cand.line]
    before = _TOKEN.findall(line[max(0, cand.start - 60) : cand.start].lower())[-_WINDOW:]
    after = _TOKEN.findall(line[cand.end : cand.end + 60].lower())[:_WINDOW]
    toks = [*before, "<O>", *after]
    o = len(before)
    head, tail = cand.line, len(content) - 1 - cand.line
    zone = "h" if head < 3 else "t" if tail < 6 else "m"
    rest = len(line) - cand.end
    size = _bucket(len(line), (300, 1000))
    feats = [f"head={min(head, 9)}", f"tail={min(tail, 9)}", f"zone={zone}",
             f"len={_bucket(len(line), (25, 60, 120, 250, 500, 1000))}",
             f"start={_bucket(cand.start, (1, 3, 12, 40, 100, 200))}", f"rest={_bucket(rest, (1, 3, 12, 40, 100))}",
             f"colon_end={line.endswith(':')}", f"mentions={min(mentions, 4)}",
             f"wire={cand.name in _WIRES}", f"name={cand.name}"]
    if line.endswith(":") and cand.line + 1 < len(content):
        feats.append(f"next_len={_bucket(len(content[cand.line + 1]), (40, 120, 300))}")
    feats.extend(f"b:{w}" for w in before)
    feats.extend(f"a:{w}" for w in after)
    for n in (2, 3):
        for k in range(max(0, o - n + 1), min(o, len(toks) - n) + 1):
            gram = " ".join(toks[k : k + n])
            feats.append(f"w{n}:{gram}")
            feats.append(f"{zone}{n}:{gram}")  # the same words mean more at the text's edges
            if size:
                feats.append(f"L{size}{n}:{gram}")  # and less inside a whole article run into one line (FA-KES)
    if len(line) <= 80:  # the line's first and last words: "Read the rest … at", "… was used in this report."
        words = _TOKEN.findall(line.lower())
        words = words if len(words) <= 8 else words[:4] + words[-4:]
    else:
        words = _TOKEN.findall(line[:40].lower())[:4] + _TOKEN.findall(line[-40:].lower())[-4:]
    feats.extend(f"l:{w}" for w in words)
    return feats


def article_features(
    lines: Sequence[str], matcher: _Matcher, skip: frozenset[str] | set[str] = frozenset()
) -> tuple[list[str], list[Candidate], list[list[str]]]:
    """Content lines, their candidates and each candidate's features; names whose key is in ``skip`` (already
    credited by the rules) are left out."""
    content = [ln for ln in map(str.strip, lines) if ln]
    cands = candidates(content, matcher)
    counts: dict[str, int] = {}
    for c in cands:
        counts[c.name] = counts.get(c.name, 0) + 1
    if skip:
        cands = [c for c in cands if _key(c.name) not in skip]
    return content, cands, [features(content, c, counts[c.name]) for c in cands]


class CreditLineModel:
    """Logistic-regression weights per feature string (only features seen in training), the intercept and the
    decision threshold; picklable. A candidate's score is a sum of dictionary look-ups: no sparse matrix, no
    scikit-learn at prediction (hashing the features cost more than reading the lines)."""

    def __init__(self, weights: dict[str, float], intercept: float, threshold: float,
                 meta: dict[str, Any] | None = None) -> None:
        self.weights = weights
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.meta = meta or {}
        self._matcher: _Matcher | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"weights": self.weights, "intercept": self.intercept, "threshold": self.threshold, "meta": self.meta}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["weights"], state["intercept"], state["threshold"], state["meta"])  # type: ignore[misc]

    def bind(self, finder: CreditFinder) -> CreditLineModel:
        """Use ``finder``'s tables (the rules' own) to name the outlets."""
        self._matcher = _Matcher(finder)
        return self

    def scores(self, feats: list[list[str]]) -> list[float]:
        """Probability that each candidate's line credits the story to its outlet."""
        get, b, zero = self.weights.get, self.intercept, repeat(0.0)
        return [1.0 / (1.0 + math.exp(-(b + sum(map(get, fs, zero))))) for fs in feats]

    def find(self, lines: Sequence[str]) -> list[Credit]:
        """Credits the classifier finds alone, one per canonical name, in order of evidence."""
        return self.find_many([lines])[0]

    def find_many(self, docs: Sequence[Sequence[str]], skip: Sequence[set[str]] | None = None) -> list[list[Credit]]:
        """:meth:`find` over many texts; ``skip[i]`` holds name keys (:func:`union`'s
        comparison) not to read in text i, those the rules already credit."""
        if self._matcher is None:
            self.bind(CreditFinder())
        parts, feats = [], []
        for i, lines in enumerate(docs):
            content, cands, f = article_features(lines, self._matcher, skip[i] if skip else frozenset())
            parts.append((content, cands, len(feats)))
            feats.extend(f)
        probs = self.scores(feats)
        return [self._credits(content, cands, probs[at : at + len(cands)]) for content, cands, at in parts]

    def _credits(self, content: list[str], cands: list[Candidate], probs: list[float]) -> list[Credit]:
        found: dict[str, Credit] = {}
        for cand, p in zip(cands, probs, strict=False):
            if p >= self.threshold and cand.name not in found:
                found[cand.name] = Credit(cand.name, content[cand.line][:200])
        return list(found.values())


def union_find(finder: CreditFinder, model: CreditLineModel, lines: Sequence[str]) -> list[Credit]:
    """The rules' credits of ``lines``, then the classifier's names the rules did not give: the union to score."""
    rules = finder.find(list(lines))
    if model._matcher is None or model._matcher.finder is not finder:
        model.bind(finder)
    return union(rules, model.find_many([lines], [{_key(c.name) for c in rules}])[0])


def union(rules: list[Credit], learned: list[Credit]) -> list[Credit]:
    """The rules' credits, then the classifier's names the rules did not give (compared case-insensitively, without
    a leading "The")."""
    seen = {_key(c.name) for c in rules}
    out = list(rules)
    for c in learned:
        if _key(c.name) not in seen:
            seen.add(_key(c.name))
            out.append(c)
    return out


def _key(name: str) -> str:
    return name.strip().casefold().removeprefix("the ")

