"""Dense claim/body features for stance: similarity, overlap, cue words, polarity.

Every feature describes the *pair* (how much of the claim the body covers, and
with which cue words around the covering sentences) or generic properties of
either side (length, cue-word rates). None is a claim-vocabulary feature: FNC-1
has only ~1,650 headlines, so a model that learns headline words learns stories,
not stance.

Each body is parsed once (:func:`parse_body`) and each claim once
(:func:`parse_claim`); :func:`pair_features` then costs a few set look-ups.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Sentence ends or line breaks; bodies are short so a regex splitter is enough.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

#: Words of the lead (first tokens of the body) compared with the claim separately.
LEAD_TOKENS = 60

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both
    but by can did do does doing down during each few for from further had has have having he her here hers herself
    him himself his how i if in into is it its itself just me more most my myself nor now of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which while who whom why will
    with you your yours yourself yourselves s t said says say""".split()
)

#: Words that deny or debunk (the disagree class).
REFUTE = frozenset(
    """fake fraud hoax hoaxes false falsely deny denies denied denying refute refutes refuted debunk debunks debunked
    debunking bogus doubt doubts doubtful prank pranks retract retracts retracted untrue myth myths satire satirical
    rumour misleading incorrect wrong fabricated baseless nonsense lie lies lied dismiss dismissed dismisses
    unfounded parody spoof scam rejected rejects reject""".split()
)
#: Words that report without committing (the discuss class).
HEDGE = frozenset(
    """allegedly alleged reportedly reported reports report claim claims claimed claiming according apparently
    purportedly purported rumor rumors rumored rumoured rumours may might could possibly possible unconfirmed
    unverified suggest suggests suggested believed appears appear seems seem speculation speculate supposedly
    unclear if whether investigating investigate question questions""".split()
)
#: Words that assert (the agree class).
ASSERT = frozenset(
    """confirmed confirms confirm confirming announced announces officially official indeed revealed reveals
    admitted admits proved proven verified true truth""".split()
)
NEGATION = frozenset("""not no never none nothing nobody neither nor cannot isn't wasn't aren't weren't don't doesn't
didn't won't can't couldn't shouldn't wouldn't hasn't haven't hadn't n't""".split())

FEATURE_NAMES: tuple[str, ...] = (
    "cos_body", "cos_lead", "cov_body", "cov_lead", "cov_body_plain", "jaccard", "bigram_body", "bigram_lead",
    "best_sent_cov", "best_sent_pos", "mean_top3_cov", "n_sent_cov50", "first_cov50_pos",
    "claim_len", "body_len", "n_sents",
    "claim_refute", "claim_hedge", "claim_assert", "claim_neg", "claim_question",
    "body_refute", "body_hedge", "body_assert", "body_neg",
    "lead_refute", "lead_hedge", "lead_assert", "lead_neg",
    "top_refute", "top_hedge", "top_assert", "top_neg", "polarity_match",
    "cov_refute", "cov_hedge",
)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _content(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if t not in STOPWORDS and len(t) > 1]


@dataclass
class Claim:
    tokens: list[str]
    content: frozenset[str]
    weights: dict[str, float]  # idf weight of each content word
    weight_sum: float
    tfidf: dict[str, float]  # l2-normalised tf-idf of the content words
    bigrams: frozenset[tuple[str, str]]
    cues: tuple[float, ...]


@dataclass
class Body:
    n_tokens: int
    words: frozenset[str]
    lead_words: frozenset[str]
    tfidf: dict[str, float]
    lead_tfidf: dict[str, float]
    bigrams: frozenset[tuple[str, str]]
    lead_bigrams: frozenset[tuple[str, str]]
    sentences: list[tuple[frozenset[str], tuple[int, int, int, int]]]  # words, (refute, hedge, assert, neg) counts
    cues: tuple[float, ...]
    lead_cues: tuple[float, ...]


def _cue_counts(tokens: Sequence[str]) -> tuple[int, int, int, int]:
    refute = hedge = assertive = neg = 0
    for t in tokens:
        if t in REFUTE:
            refute += 1
        elif t in HEDGE:
            hedge += 1
        elif t in ASSERT:
            assertive += 1
        if t in NEGATION or t.endswith("n't"):
            neg += 1
    return refute, hedge, assertive, neg


def _tfidf(tokens: Sequence[str], idf: Mapping[str, float], default: float) -> dict[str, float]:
    counts = Counter(_content(tokens))
    vec = {w: (1.0 + math.log(c)) * idf.get(w, default) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items()}


def parse_claim(text: str, idf: Mapping[str, float], default_idf: float) -> Claim:
    tokens = tokenize(text)
    content = frozenset(_content(tokens))
    weights = {w: idf.get(w, default_idf) for w in content}
    cues = _cue_counts(tokens)
    return Claim(
        tokens=tokens,
        content=content,
        weights=weights,
        weight_sum=sum(weights.values()) or 1.0,
        tfidf=_tfidf(tokens, idf, default_idf),
        bigrams=frozenset(zip(tokens, tokens[1:], strict=False)),
        cues=(*map(float, cues), float("?" in text)),
    )


def parse_body(text: str, idf: Mapping[str, float], default_idf: float) -> Body:
    sentences = []
    tokens: list[str] = []
    for sentence in _SENTENCE.split(text):
        words = tokenize(sentence)
        if words:
            sentences.append((frozenset(words), _cue_counts(words)))
            tokens.extend(words)
    lead = tokens[:LEAD_TOKENS]
    per100 = 100.0 / max(len(tokens), 1)
    return Body(
        n_tokens=len(tokens),
        words=frozenset(tokens),
        lead_words=frozenset(lead),
        tfidf=_tfidf(tokens, idf, default_idf),
        lead_tfidf=_tfidf(lead, idf, default_idf),
        bigrams=frozenset(zip(tokens, tokens[1:], strict=False)),
        lead_bigrams=frozenset(zip(lead, lead[1:], strict=False)),
        sentences=sentences,
        cues=tuple(c * per100 for c in _sum_cues(s[1] for s in sentences)),
        lead_cues=tuple(float(c) for c in _cue_counts(lead)),
    )


def _sum_cues(counts) -> tuple[int, int, int, int]:
    total = [0, 0, 0, 0]
    for c in counts:
        for i in range(4):
            total[i] += c[i]
    return tuple(total)


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _coverage(claim: Claim, words: frozenset[str]) -> float:
    return sum(v for w, v in claim.weights.items() if w in words) / claim.weight_sum


def pair_features(claim: Claim, body: Body) -> list[float]:
    """One row of :data:`FEATURE_NAMES` for a parsed claim and body."""
    n_sents = len(body.sentences)
    covs = [_coverage(claim, words) for words, _ in body.sentences] or [0.0]
    order = sorted(range(len(covs)), key=covs.__getitem__, reverse=True)
    best = order[0]
    top = order[:3]
    top_cues = _sum_cues(body.sentences[i][1] for i in top) if n_sents else (0, 0, 0, 0)
    covered = [i for i, c in enumerate(covs) if c >= 0.5]
    cov_cues = _sum_cues(body.sentences[i][1] for i in covered) if covered else (0, 0, 0, 0)
    n_bigrams = max(len(claim.bigrams), 1)
    content_hits = len(claim.content & body.words)
    union = len(claim.content | body.words) or 1
    claim_neg = claim.cues[3]
    return [
        _dot(claim.tfidf, body.tfidf),
        _dot(claim.tfidf, body.lead_tfidf),
        _coverage(claim, body.words),
        _coverage(claim, body.lead_words),
        content_hits / max(len(claim.content), 1),
        content_hits / union,
        len(claim.bigrams & body.bigrams) / n_bigrams,
        len(claim.bigrams & body.lead_bigrams) / n_bigrams,
        covs[best],
        best / max(n_sents, 1),
        sum(covs[i] for i in top) / len(top),
        float(len(covered)),
        (covered[0] / max(n_sents, 1)) if covered else 1.0,
        float(len(claim.tokens)),
        math.log1p(body.n_tokens),
        float(n_sents),
        *claim.cues,
        *body.cues,
        *body.lead_cues,
        *map(float, top_cues),
        float((claim_neg % 2) == (top_cues[3] % 2)),
        float(cov_cues[0]),
        float(cov_cues[1]),
    ]


def feature_matrix(claims: Sequence[Claim], bodies: Sequence[Body]) -> np.ndarray:
    """Features of aligned (claim, body) pairs as a float32 matrix."""
    rows = [pair_features(c, b) for c, b in zip(claims, bodies, strict=False)]
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), len(FEATURE_NAMES))


def fit_idf(texts: Sequence[str], min_df: int = 2) -> tuple[dict[str, float], float]:
    """Smoothed idf of content words over ``texts``; words seen fewer than ``min_df`` times get the default."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(_content(tokenize(text))))
    n = len(texts)
    idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items() if c >= min_df}
    return idf, math.log((1 + n) / 2) + 1.0
