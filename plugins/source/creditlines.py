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

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

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

__all__ = ["Candidate", "CreditLineModel", "candidates", "features"]

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


#: Runs of capitalised words (with the connectors an outlet's name may hold), the only places a name can stand.
_RUN = re.compile(r"[A-Z][\w'’.&-]*(?:[ \t]+(?:(?:of|and|for|on|the|&|with)[ \t]+)?[A-Z0-9][\w'’.&-]*)*")
_DOMAIN = re.compile(r"(?<![\w@./])(?:www\.)?[A-Za-z][\w-]+\.(?:com|org|net|co\.uk|news|tv)(?![\w]|\.\w)")
_NETWORKS = frozenset(("ABC", "CBS", "NBC", "FOX", "Fox"))
_CALL_LETTERS = re.compile(r"[KW][A-Z]{3}(?:-TV)?")
_CALL_SIGN = re.compile(r"\b[KW][A-Z]{3}\b")
_CAPWORD = re.compile(r"[A-Z][\w&-]*")
_DIGIT = re.compile(r"\d")
_TRIM = ".,;:!?'’\"”)"
#: Where candidates are read: every credit line the rules find in the twelve labelled parts (406 of them) stands in
#: the first 8 or last 6 non-empty lines; two more each side leave room for new wordings.
HEAD_LINES, TAIL_LINES = 10, 8
_EDGE_CHARS = 120  # a long line is read at its two ends: a dateline opens it, "… Via The Hill" closes it
#: FA-KES texts run title, standfirst and body together in one line: their agency follows the standfirst.
_OPENING_CHARS = 320


def _bare(word: str) -> str:
    return word.rstrip(_TRIM).removesuffix("’s").removesuffix("'s")


class _Matcher:
    """Outlet names by dictionary lookup over runs of capitalised words, after one set test per window (a regex
    alternation of the table's 400 names costs ~1 ms per article)."""

    def __init__(self, finder: CreditFinder) -> None:
        self.finder = finder
        names = [n.replace("\\", "") for n in _alias_pattern(finder.table).split("|")] + list(ABBREVIATIONS)
        self.known: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in names:
            words = tuple(name.removeprefix("The ").removeprefix("THE ").split())
            canonical = self.canonical(name, False)
            if words and words[0][0].isupper() and canonical:
                self.known.setdefault(words[0], []).append((words, canonical))
        for options in self.known.values():
            options.sort(key=lambda option: len(option[0]), reverse=True)
        # A window holding none of these words names no outlet: one set test skips most windows.
        self.triggers = frozenset(w.rstrip(".") for w in self.known) | OUTLET_WORDS | _NETWORKS

    def mentions(self, line: str, opening: int = _EDGE_CHARS) -> list[tuple[int, int, str]]:
        """(start, end, canonical name) of each outlet the line names in its first ``opening`` and last _EDGE_CHARS
        characters, in order."""
        if len(line) > opening + _EDGE_CHARS:
            spans = [(0, opening), (len(line) - _EDGE_CHARS, len(line))]
        else:
            spans = [(0, len(line))]
        found: dict[tuple[int, int], str] = {}
        for lo, hi in spans:
            window = line[lo:hi]
            if not self.triggers.isdisjoint(_CAPWORD.findall(window)) or _CALL_SIGN.search(window):
                for start, end, name in self._scan(line, lo, hi):
                    found[start, end] = name
            if ".com" in window or ".org" in window or ".net" in window:
                for m in _DOMAIN.finditer(line, lo, hi):
                    host = m.group()
                    name = self.canonical(host, True) if host[:1].isupper() or host[:4].lower() == "www." else None
                    if name and not any(a < m.end() and m.start() < b for a, b in found):
                        found[m.start(), m.end()] = name
        return [(a, b, name) for (a, b), name in sorted(found.items())]

    def _scan(self, line: str, lo: int, hi: int) -> Iterator[tuple[int, int, str]]:
        for run in _RUN.finditer(line, lo, hi):
            words, starts, at = run.group().split(), [], run.start()
            for w in words:
                at = line.index(w, at)
                starts.append(at)
                at += len(w)
            yield from self._in_run(words, starts)

    def _in_run(self, words: list[str], starts: list[int]) -> Iterator[tuple[int, int, str]]:
        i, n, covered = 0, len(words), 0
        while i < n:
            bare = _bare(words[i])
            if bare in _NETWORKS and i + 1 < n and _bare(words[i + 1]).isdigit():  # "ABC 13": a station
                number = _bare(words[i + 1])
                yield starts[i], starts[i + 1] + len(number), f"{bare} {number}"
                i = covered = i + 2
                continue
            hit = self._known_at(words, i, bare)
            if hit:
                k, name = hit
                yield starts[i], starts[i + k - 1] + len(_bare(words[i + k - 1])), name
                i = covered = i + k
                continue
            if _CALL_LETTERS.fullmatch(bare) and open_outlet(bare, NORMAL):
                yield starts[i], starts[i] + len(bare), bare
            elif bare in OUTLET_WORDS and i > covered:
                for first in range(max(covered, i - 3), i):  # longest name first: "Conservative Tribune"
                    if words[first].lower() in _LEAD_WORDS:
                        continue
                    name = self.canonical(" ".join([*words[first:i], bare]), True)
                    if name:
                        yield starts[first], starts[i] + len(bare), name
                        break
            i += 1

    def _known_at(self, words: list[str], i: int, bare: str) -> tuple[int, str] | None:
        options = self.known.get(words[i]) or self.known.get(bare)
        if not options:
            return None
        for option, name in options:
            k = len(option)
            if i + k <= len(words) and (k == 1 or tuple(words[i : i + k - 1]) == option[:-1]):
                if _bare(words[i + k - 1]) == option[-1] or words[i + k - 1] == option[-1]:
                    return k, name
        return None

    def canonical(self, span: str, open_form: bool) -> str | None:
        """The canonical name of a span, as the rules would name it; an open name only if it reads as an outlet."""
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
    """The outlet mentions of the first HEAD_LINES and last TAIL_LINES (stripped, non-empty) lines, in order."""
    n = len(content)
    lines = range(n) if n <= HEAD_LINES + TAIL_LINES else [*range(HEAD_LINES), *range(n - TAIL_LINES, n)]
    return [
        Candidate(i, start, end, name)
        for i in lines
        for start, end, name in matcher.mentions(content[i], _OPENING_CHARS if i < 2 else _EDGE_CHARS)
    ]


def _bucket(n: int, edges: Sequence[int]) -> int:
    for k, edge in enumerate(edges):
        if n < edge:
            return k
    return len(edges)


def features(content: Sequence[str], cand: Candidate, mentions: int) -> list[str]:
    """String features of one mention (hashed by the model): context n-grams with the name as <O>, place, shape."""
    line = content[cand.line]
    before = _TOKEN.findall(line[max(0, cand.start - 60) : cand.start].lower())[-_WINDOW:]
    after = _TOKEN.findall(line[cand.end : cand.end + 60].lower())[:_WINDOW]
    toks = [*before, "<O>", *after]
    o = len(before)
    head, tail = cand.line, len(content) - 1 - cand.line
    zone = "h" if head < 3 else "t" if tail < 6 else "m"
    rest = len(line) - cand.end
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
    words = _TOKEN.findall(line[:80].lower())[:8] + _TOKEN.findall(line[-80:].lower())[-8:]
    feats.extend(f"l:{w}" for w in words)
    return feats


def article_features(lines: Sequence[str], matcher: _Matcher) -> tuple[list[str], list[Candidate], list[list[str]]]:
    """Content lines, their candidates and each candidate's features."""
    content = [ln.strip() for ln in lines if ln.strip()]
    cands = candidates(content, matcher)
    counts: dict[str, int] = {}
    for c in cands:
        counts[c.name] = counts.get(c.name, 0) + 1
    return content, cands, [features(content, c, counts[c.name]) for c in cands]


class CreditLineModel:
    """Hashed features + logistic-regression weights (float32) + the decision threshold; picklable, no sklearn at
    prediction beyond the hasher."""

    N_FEATURES = 2**18

    def __init__(self, coef: np.ndarray, intercept: float, threshold: float, meta: dict[str, Any] | None = None):
        self.coef = np.asarray(coef, dtype=np.float32).ravel()
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.meta = meta or {}
        self._matcher: _Matcher | None = None
        self._hasher: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"coef": self.coef, "intercept": self.intercept, "threshold": self.threshold, "meta": self.meta}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["coef"], state["intercept"], state["threshold"], state["meta"])

    def bind(self, finder: CreditFinder) -> CreditLineModel:
        """Use ``finder``'s tables (the rules' own) to name the outlets."""
        self._matcher = _Matcher(finder)
        return self

    @staticmethod
    def hasher() -> Any:
        from sklearn.feature_extraction import FeatureHasher

        return FeatureHasher(n_features=CreditLineModel.N_FEATURES, input_type="string", alternate_sign=False)

    def scores(self, feats: list[list[str]]) -> np.ndarray:
        """Probability that each candidate's line credits the story to its outlet."""
        if not feats:
            return np.zeros(0)
        if self._hasher is None:
            self._hasher = self.hasher()
        x = self._hasher.transform(feats)
        z = x @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def find(self, lines: Sequence[str]) -> list[Credit]:
        """Credits the classifier finds alone, one per canonical name, in order of evidence."""
        if self._matcher is None:
            self.bind(CreditFinder())
        content, cands, feats = article_features(lines, self._matcher)
        return self._credits(content, cands, self.scores(feats))

    def _credits(self, content: list[str], cands: list[Candidate], probs: np.ndarray) -> list[Credit]:
        found: dict[str, Credit] = {}
        for cand, p in zip(cands, probs.tolist(), strict=False):
            if p >= self.threshold and cand.name not in found:
                found[cand.name] = Credit(cand.name, content[cand.line][:200])
        return list(found.values())


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

