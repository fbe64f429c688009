"""Dense claim/body features for stance: similarity, overlap, cue words, polarity — computed on whole batches.

Every feature describes the *pair* (how much of the claim the body covers, and
with which cue words around the covering sentences) or generic properties of
either side (length, cue-word rates). None is a claim-vocabulary feature: FNC-1
has only ~1,650 headlines, so a model that learns headline words learns stories,
not stance.

Speed: Python touches each text once (lower-case, one regex ``findall`` that
also marks sentence ends, one C-level ``map`` of tokens to batch-local word
ids); everything else is numpy/scipy arithmetic on the whole batch, so a batch
costs little more than reading its text. The model keeps only an idf table.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import count

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words, plus sentence ends and line breaks as one-character tokens: one regex pass splits and tokenises.
_TOKEN_OR_END = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.!?\n]")
_ENDS = (".", "!", "?", "\n")
#: Bigram codes are hashed into this many columns.
BIGRAM_COLUMNS = 1 << 22
#: Body words near the claim are hashed into this many columns (for the linear stance model).
TERM_COLUMNS = 1 << 18

#: Sentences that form the lead, compared with the claim separately.
LEAD_SENTENCES = 2
#: Sentences covering this share of the claim (idf-weighted) count as "covering".
COVERS = 0.5
#: Pairs featurised at once (bounds the memory of the sentence x pair expansion in training).
CHUNK = 2048

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
NEGATION = frozenset(
    """not no never none nothing nobody neither nor cannot isn't wasn't aren't weren't don't doesn't didn't won't
    can't couldn't shouldn't wouldn't hasn't haven't hadn't""".split()
)
CUES = (REFUTE, HEDGE, ASSERT, NEGATION)

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


def _vocabulary() -> defaultdict[str, int]:
    # Unseen words get the next id at C speed (map(vocab.__getitem__, tokens) never enters Python per token).
    return defaultdict(count().__next__)


def _ids(vocab: defaultdict[str, int], tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(vocab.__getitem__, tokens), dtype=np.int64, count=len(tokens))


def _csr(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], binary: bool = False) -> sp.csr_matrix:
    m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape)
    m.sum_duplicates()
    if binary:
        m.data[:] = 1.0
    return m


def _bigram_codes(ids: np.ndarray, valid: np.ndarray, stable: np.ndarray) -> np.ndarray:
    # Codes from the words' hashes, not their batch-local ids: a bigram gets the same column in every batch.
    return (stable[ids[:-1][valid]] * 1_000_003 + stable[ids[1:][valid]]) % BIGRAM_COLUMNS


class Featurizer:
    """An idf table and the code turning (claim, body) pairs into the :data:`FEATURE_NAMES` matrix."""

    def __init__(self, max_body_chars: int = 3000) -> None:
        self.max_body_chars = max_body_chars

    def fit(self, texts: Sequence[str]) -> Featurizer:
        """Smoothed idf over ``texts``; words seen in fewer than two texts get the rare-word idf."""
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(tokenize(text[: self.max_body_chars])))
        n = len(texts)
        self.rare_idf_ = math.log((1 + n) / 2) + 1.0
        # Sorted: set order varies with the string-hash seed, and the saved file should not.
        self.idf_ = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in sorted(df.items()) if c >= 2}
        return self

    def word_idf(self, word: str) -> float:
        return self.idf_.get(word, self.rare_idf_)

    def transform(self, claims: Sequence[str], bodies: Sequence[str]) -> np.ndarray:
        """Feature rows of aligned pairs; identical claims and bodies are processed once."""
        return self.transform_both(claims, bodies)[0]

    def transform_both(self, claims: Sequence[str], bodies: Sequence[str]) -> tuple[np.ndarray, sp.csr_matrix]:
        """Dense feature rows, and hashed words of the three body sentences that cover each claim best.

        The words come from the body only (never the claim): they carry how the body talks about the claim.
        """
        out = np.zeros((len(claims), len(FEATURE_NAMES)), dtype=np.float32)
        terms = sp.csr_matrix((len(claims), TERM_COLUMNS), dtype=np.float32)
        if not len(claims):
            return out, terms
        claim_ids, unique_claims = _index(claims)
        body_ids, unique_bodies = _index(bodies)
        vocab = _vocabulary()
        C = _Claims(vocab, unique_claims)
        B = _Bodies(vocab, [b[: self.max_body_chars] for b in unique_bodies])
        tables = _Tables(self, vocab)
        C.finish(tables)
        B.finish(tables)
        parts = []
        for start in range(0, len(claims), CHUNK):
            stop = min(start + CHUNK, len(claims))
            out[start:stop], part = _pairs(C, B, claim_ids[start:stop], body_ids[start:stop])
            parts.append(part)
        terms = sp.vstack(parts).tocsr()
        # Batch-local word ids -> stable hashed columns (only for the words that occur).
        used = np.unique(terms.indices)
        words = list(vocab)
        column = np.zeros(len(words), dtype=np.int64)
        column[used] = [abs(murmurhash3_32(words[i], seed=0)) % TERM_COLUMNS for i in used.tolist()]
        terms = sp.csr_matrix((terms.data, column[terms.indices], terms.indptr), shape=(len(claims), TERM_COLUMNS))
        terms.sum_duplicates()
        terms.data[:] = 1.0
        return out, normalize(terms)


class _Tables:
    """Per-word idf, content mask and cue-word indicators for a batch's vocabulary."""

    def __init__(self, fz: Featurizer, vocab: defaultdict[str, int]) -> None:
        words = list(vocab)  # insertion order is id order
        size = len(words)
        self.idf = np.fromiter((fz.idf_.get(w, fz.rare_idf_) for w in words), dtype=np.float32, count=size)
        self.content = np.fromiter((len(w) > 1 for w in words), dtype=np.float32, count=size)
        self.stable = np.fromiter((murmurhash3_32(w, seed=0, positive=True) for w in words), dtype=np.int64, count=size)
        self.content[[vocab[w] for w in STOPWORDS if w in vocab]] = 0.0
        rows, cols = [], []
        for k, cue in enumerate(CUES):
            hits = [vocab[w] for w in cue if w in vocab]
            rows += hits
            cols += [k] * len(hits)
        self.cues = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(size, len(CUES)))

    def tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        m = counts.copy()
        m.data = (1.0 + np.log(m.data)) * self.idf[m.indices] * self.content[m.indices]
        m.eliminate_zeros()
        return normalize(m)

    def cue_counts(self, counts: sp.csr_matrix) -> np.ndarray:
        return np.asarray((counts @ self.cues).todense(), dtype=np.float32)


class _Claims:
    """The distinct claims of a batch."""

    def __init__(self, vocab: defaultdict[str, int], claims: list[str]) -> None:
        tokens = [_TOKEN.findall(c.lower()) for c in claims]
        self.n = len(claims)
        lengths = np.array([len(t) for t in tokens], dtype=np.int64)
        self.ids = _ids(vocab, [t for ts in tokens for t in ts])
        self.row = np.repeat(np.arange(self.n), lengths)
        self.n_tokens = lengths.astype(np.float32)
        self.question = np.array(["?" in c for c in claims], dtype=np.float32)

    def finish(self, t: _Tables) -> None:
        same = self.row[:-1] == self.row[1:]
        codes = _bigram_codes(self.ids, same, t.stable)
        self.bigrams = _csr(self.row[:-1][same], codes, (self.n, BIGRAM_COLUMNS), True)
        self.n_bigrams = np.diff(self.bigrams.indptr).astype(np.float32)
        counts = _csr(self.row, self.ids, (self.n, len(t.idf)))
        self.tfidf = t.tfidf(counts)
        self.content_bin = counts.copy()
        self.content_bin.data = t.content[counts.indices]
        self.content_bin.eliminate_zeros()
        self.weights = self.content_bin.copy()
        self.weights.data *= t.idf[self.weights.indices]
        self.weight_sum = np.asarray(self.weights.sum(axis=1)).ravel()
        self.n_content = np.diff(self.content_bin.indptr).astype(np.float32)
        self.cues = t.cue_counts(counts)


class _Bodies:
    """The distinct bodies of a batch: words, sentences, lead (first sentences) and bigrams."""

    def __init__(self, vocab: defaultdict[str, int], bodies: list[str]) -> None:
        tokens = [_TOKEN_OR_END.findall(b.lower()) for b in bodies]
        self.n = n = len(bodies)
        lengths = np.array([len(t) for t in tokens], dtype=np.int64)
        ids = _ids(vocab, [t for ts in tokens for t in ts])
        body = np.repeat(np.arange(n), lengths)
        is_end = np.isin(ids, [vocab[e] for e in _ENDS])
        starts = np.zeros(len(ids), dtype=bool)
        starts[np.concatenate([[0], np.cumsum(lengths)[:-1]])[lengths > 0]] = True
        word = ~is_end
        # Sentence number of each word: a new one after every end mark and at every body start.
        raw_sentence = np.cumsum(is_end | starts)[word]
        _, sentence = np.unique(raw_sentence, return_inverse=True)
        word_body = body[word]
        n_real = np.bincount(word_body[np.unique(sentence, return_index=True)[1]], minlength=n) if len(sentence) else (
            np.zeros(n, dtype=np.int64)
        )
        # A body without words gets one empty sentence, so every body has at least one.
        empty = (n_real == 0).astype(np.int64)
        sentence = sentence + (np.cumsum(empty) - empty)[word_body]
        self.n_sents = np.maximum(n_real, 1)
        self.sent_start = np.concatenate([[0], np.cumsum(self.n_sents)[:-1]]).astype(np.int64)
        n_total = int(self.n_sents.sum())
        self.sent_body = np.repeat(np.arange(n), self.n_sents)
        self.sent_local = np.arange(n_total) - self.sent_start[self.sent_body]
        self.word_ids, self.word_sentence = ids[word], sentence
        self.n_tokens = np.bincount(word_body, minlength=n).astype(np.float32)
        # Bigrams of adjacent words in one sentence of one body.
        same = word[:-1] & word[1:] & (body[:-1] == body[1:])
        pos_sentence = np.full(len(ids), -1)
        pos_sentence[word] = sentence
        in_lead = same & (self.sent_local[np.maximum(pos_sentence[:-1], 0)] < LEAD_SENTENCES)
        self._bigram_parts = (ids, body, same, in_lead)

    def finish(self, t: _Tables) -> None:
        ids, body, same, in_lead = self._bigram_parts
        self.bigrams = _csr(body[:-1][same], _bigram_codes(ids, same, t.stable), (self.n, BIGRAM_COLUMNS), True)
        lead_codes = _bigram_codes(ids, in_lead, t.stable)
        self.lead_bigrams = _csr(body[:-1][in_lead], lead_codes, (self.n, BIGRAM_COLUMNS), True)
        n_total = len(self.sent_body)
        S = _csr(self.word_sentence, self.word_ids, (n_total, len(t.idf)))
        ones = np.ones(n_total, dtype=np.float32)
        group = sp.csr_matrix((ones, (self.sent_body, np.arange(n_total))), shape=(self.n, n_total))
        lead = self.sent_local < LEAD_SENTENCES
        lead_group = sp.csr_matrix((ones[lead], (self.sent_body[lead], np.flatnonzero(lead))), shape=group.shape)
        counts, lead_counts = (group @ S).tocsr(), (lead_group @ S).tocsr()
        self.tfidf, self.lead_tfidf = t.tfidf(counts), t.tfidf(lead_counts)
        self.bin, self.lead_bin, self.sent_bin = _binary(counts), _binary(lead_counts), _binary(S)
        self.sent_content = self.sent_bin.copy()
        self.sent_content.data = t.content[self.sent_content.indices]
        self.sent_content.eliminate_zeros()
        self.n_words = np.diff(counts.indptr).astype(np.float32)
        self.sent_cues = t.cue_counts(S)
        self.cues = t.cue_counts(counts)
        self.lead_cues = t.cue_counts(lead_counts)


def _index(items: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    positions: dict[str, int] = {}
    ids = np.fromiter((positions.setdefault(item, len(positions)) for item in items), dtype=np.int64, count=len(items))
    return ids, list(positions)


def _rowdot(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def _binary(m: sp.csr_matrix) -> sp.csr_matrix:
    m = m.copy()
    m.data[:] = 1.0
    return m


def _pairs(C: _Claims, B: _Bodies, ci: np.ndarray, bi: np.ndarray) -> tuple[np.ndarray, sp.csr_matrix]:
    """Feature rows for pairs (claim ci[k], body bi[k])."""
    n = len(ci)
    W = C.weights[ci]
    weight_sum = np.maximum(C.weight_sum[ci], 1e-6)
    # Sentences of each pair's body, laid out pair after pair.
    counts = B.n_sents[bi]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rows = np.repeat(B.sent_start[bi] - starts, counts) + np.arange(counts.sum())
    owner = np.repeat(np.arange(n), counts)
    cov = np.asarray(B.sent_bin[rows].multiply(W[owner]).sum(axis=1)).ravel() / weight_sum[owner]
    cov = np.round(cov, 6)  # batch-independent ranking of sentences (see the rounding at the end)
    local = B.sent_local[rows]
    sent_cues = B.sent_cues[rows]

    order = np.lexsort((-cov, owner))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order)) - np.repeat(starts, counts)
    top = rank < 3
    top_rows = rows[top]
    pick = sp.csr_matrix(
        (np.ones(len(top_rows), dtype=np.float32), (owner[top], top_rows)), shape=(n, B.sent_bin.shape[0])
    )
    terms = (pick @ B.sent_content).tocsr()
    covered = cov >= COVERS
    n_top = np.minimum(counts, 3)
    top_cues = np.add.reduceat(sent_cues * top[:, None], starts)
    cov_cues = np.add.reduceat(sent_cues * covered[:, None], starts)
    first_cov = np.minimum.reduceat(np.where(covered, local, 1 << 30), starts)
    n_covered = np.add.reduceat(covered.astype(np.float32), starts)
    n_sents = counts.astype(np.float32)

    content_hits = _rowdot(C.content_bin[ci], B.bin[bi])
    union = np.maximum(C.n_content[ci] + B.n_words[bi] - content_hits, 1)
    n_bigrams = np.maximum(C.n_bigrams[ci], 1)
    claim_bigrams = C.bigrams[ci]
    features = np.column_stack([
        _rowdot(C.tfidf[ci], B.tfidf[bi]),
        _rowdot(C.tfidf[ci], B.lead_tfidf[bi]),
        _rowdot(W, B.bin[bi]) / weight_sum,
        _rowdot(W, B.lead_bin[bi]) / weight_sum,
        content_hits / np.maximum(C.n_content[ci], 1),
        content_hits / union,
        _rowdot(claim_bigrams, B.bigrams[bi]) / n_bigrams,
        _rowdot(claim_bigrams, B.lead_bigrams[bi]) / n_bigrams,
        np.maximum.reduceat(cov, starts),
        local[order[starts]] / n_sents,
        np.add.reduceat(cov * top, starts) / n_top,
        n_covered,
        np.where(n_covered > 0, first_cov / n_sents, 1.0),
        C.n_tokens[ci],
        np.log1p(B.n_tokens[bi]),
        n_sents,
        C.cues[ci],
        C.question[ci],
        B.cues[bi] * (100.0 / np.maximum(B.n_tokens[bi], 1))[:, None],
        B.lead_cues[bi],
        top_cues,
        (C.cues[ci, 3] % 2) == (top_cues[:, 3] % 2),
        cov_cues[:, 0],
        cov_cues[:, 1],
    ])
    # Sums run in batch-local word order, so their last bits could depend on the batch: round them away.
    return np.round(features, 5).astype(np.float32), terms
