"""The claim a document's body is judged against, when none is given, and the body it is judged on.

The default claim is the document's own headline: ``doc.title`` when a stage set
it, else a line near the top of the raw text. Pages often start with a date, a
section name or the site name rather than the headline, so instead of blindly
taking the first non-empty line we take, among the first few headline-sized
lines, the first whose words mostly recur in the rest of the article (else
the best covered one). The headline line itself is then removed from the body: FNC-1
bodies never contain their headline, and a body that quotes its own claim
verbatim would look related whatever the claim says.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from .features import STOPWORDS, tokenize

#: Non-empty lines at the top of the text considered as the headline.
HEADLINE_WINDOW = 8
#: A headline has this many word tokens (shorter: dates, section names; longer: paragraphs).
MIN_WORDS, MAX_WORDS = 4, 40
#: The first candidate whose words the rest of the text covers this well (idf-weighted) is the headline.
COVERED = 0.6
#: Only this many characters of the text are tokenised to score the candidates.
SCORE_CHARS = 3_000


class WordWeights(Protocol):
    def word_idf(self, word: str) -> float: ...


def first_line(text: str) -> str:
    """The first non-empty line of ``text`` (stripped), or ""."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def claim_from(title: str | None, raw: str) -> str:
    """The default claim without a model: the title when there is one, else the first non-empty line."""
    if title and title.strip():
        return title.strip()
    return first_line(raw)


def headline_candidates(raw: str) -> list[str]:
    """Headline-sized lines among the first non-empty lines of ``raw``, in order, without repeats."""
    lines: list[str] = []
    for line in raw[:SCORE_CHARS].splitlines():
        line = line.strip()
        if not line:
            continue
        lines.append(line)
        if len(lines) == HEADLINE_WINDOW:
            break
    # str.split counts words at C speed; close enough to the tokeniser for a size filter.
    fitting = [ln for ln in lines if MIN_WORDS <= len(ln.split()) <= MAX_WORDS]
    return list(dict.fromkeys(fitting))


def pick_headline(raw: str, weights: WordWeights | None = None) -> str:
    """The first candidate line well covered by the rest of the text, else the best covered one.

    Without any headline-sized line, the first non-empty line.
    """
    candidates = headline_candidates(raw)
    if not candidates:
        return first_line(raw)
    if len(candidates) == 1:
        return candidates[0]
    text = raw[:SCORE_CHARS]
    low = text.lower()
    best, best_score = candidates[0], -1.0
    for line in candidates:
        own = Counter(tokenize(line))
        # Words of the other lines only: discount every copy of this line in the text.
        copies = max(text.count(line), 1)
        words = [t for t in own if t not in STOPWORDS and len(t) > 1]
        idf = [weights.word_idf(w) if weights else 1.0 for w in words]
        total = sum(idf) or 1.0
        # Substring counts (C speed) are close enough to word counts for choosing a line.
        covered = sum(v for w, v in zip(words, idf, strict=True) if low.count(w) - copies * own[w] > 0)
        score = covered / total
        if score >= COVERED:
            return line
        if score > best_score + 1e-9:
            best, best_score = line, score
    return best


def strip_claim(body: str, claim: str) -> str:
    """``body`` without the lines that are exactly ``claim`` (the headline quoted as a line of its own)."""
    if not claim or claim not in body:
        return body
    return "\n".join(line for line in body.splitlines() if line.strip() != claim)
