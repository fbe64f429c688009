"""Outlet fingerprint features from bounded slices of the raw text, hashed with numpy.

Boilerplate, bylines and house style sit at the start and end of a page, so the
first and last lines get their own byte n-gram blocks, whole edge lines become
tokens, and longer byte n-grams (words and word pairs, case and punctuation
kept: house style) read only the first and last few KB. Hashing stores no
vocabulary, and every document costs a bounded amount of work whatever its
length. The n-grams of a whole batch are hashed at once with numpy (rolling
polynomial hash over the concatenated bytes), which is what makes the stage
fast: a Python-level analyzer would spend most of its time building strings.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

_PRIME = np.uint64(1099511628211)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _ngram_hashes(buffer: np.ndarray, owner: np.ndarray, sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Hash every byte n-gram of ``buffer`` (n in ``sizes``) that stays inside one text: (hashes, owning rows).

    One rolling pass: after k steps ``h[i]`` is the hash of bytes i..i+k-1, so each size is a snapshot.
    """
    hashes, owners = [], []
    h = np.zeros(len(buffer), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(1, max(sizes) + 1):
            count = len(buffer) - k + 1
            if count <= 0:
                break
            h = (h[:count] ^ buffer[k - 1 : k - 1 + count]) * _PRIME
            if k in sizes:
                keep = owner[:count] == owner[k - 1 : k - 1 + count]
                mixed = (h[keep] + np.uint64(k)) * _MIX
                hashes.append(mixed ^ (mixed >> np.uint64(29)))
                owners.append(owner[:count][keep])
    if not hashes:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate(hashes), np.concatenate(owners)


def _concat(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one uint64 byte array plus, per byte, the index of its text."""
    encoded = [t.encode("utf-8", "replace") for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    buffer = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.uint64)
    owner = np.repeat(np.arange(len(encoded), dtype=np.int64), lengths)
    return buffer, owner


class SourceFeatures(TransformerMixin, BaseEstimator):
    """Raw texts → hashed sparse features: edge-line bytes, head/tail word-ish bytes, whole edge lines."""

    def __init__(
        self,
        n_bits: int = 16,
        edge_lines: int = 6,
        line_chars: int = 120,
        head_chars: int = 1500,
        tail_chars: int = 800,
        edge_ngrams: Sequence[int] = (3, 5),
        body_ngrams: Sequence[int] = (6,),
        weights: Sequence[float] = (1.0, 1.0, 1.0, 1.0),
    ) -> None:
        self.n_bits = n_bits
        self.edge_lines = edge_lines
        self.line_chars = line_chars
        self.head_chars = head_chars
        self.tail_chars = tail_chars
        self.edge_ngrams = edge_ngrams
        self.body_ngrams = body_ngrams
        self.weights = weights

    def fit(self, texts: Iterable[str], y: object = None) -> SourceFeatures:
        return self

    @property
    def n_features(self) -> int:
        return 4 << self.n_bits

    def slices(self, text: str) -> tuple[str, str, str, list[str]]:
        """Bounded views of one text: head lines, tail lines, head+tail text, edge-line tokens."""
        n, width = self.edge_lines, self.line_chars
        head = [ln.strip() for ln in text[: self.head_chars].splitlines() if ln.strip()][:n]
        tail = [ln.strip() for ln in text[-self.tail_chars :].splitlines() if ln.strip()][-n:]
        body = text if len(text) <= self.head_chars + self.tail_chars else (
            text[: self.head_chars] + "\n" + text[-self.tail_chars :]
        )
        tokens = [f"H{i}:{ln[:width]}" for i, ln in enumerate(head)]
        tokens += [f"T{i}:{ln[-width:]}" for i, ln in enumerate(reversed(tail))]
        tokens += [f"L:{ln}" for ln in (*head, *tail) if len(ln) <= 60]
        tokens += [f"P:{ln[:24]}" for ln in (*head, *tail)]
        tokens += [f"E:{ln[-24:]}" for ln in (*head, *tail)]
        return "\n".join(ln[:width] for ln in head), "\n".join(ln[-width:] for ln in tail), body, tokens

    def _block(self, texts: Sequence[str], ngrams: Sequence[int], rows: int) -> sp.csr_matrix:
        buffer, owner = _concat(texts)
        hashes, owners = _ngram_hashes(buffer, owner, ngrams)
        return self._counts(hashes, owners, rows)

    def _token_block(self, token_lists: Sequence[list[str]], rows: int) -> sp.csr_matrix:
        hashes = np.fromiter(
            (zlib.crc32(tok.encode("utf-8", "replace")) for toks in token_lists for tok in toks), dtype=np.uint64
        )
        owners = np.repeat(np.arange(rows), [len(t) for t in token_lists])
        with np.errstate(over="ignore"):
            hashes = hashes * _MIX
            hashes ^= hashes >> np.uint64(31)
        return self._counts(hashes, owners, rows)

    def _counts(self, hashes: np.ndarray, owners: np.ndarray, rows: int) -> sp.csr_matrix:
        """Rows of hashed counts, length-normalised (each occurrence weighs 1/sqrt(n occurrences)).

        Duplicate (row, column) entries are left unsummed: a linear model sums them in its dot
        product anyway, and sorting millions of entries per batch would cost more than the rest.
        """
        order = np.argsort(owners, kind="stable") if len(owners) and np.any(np.diff(owners) < 0) else None
        if order is not None:
            hashes, owners = hashes[order], owners[order]
        cols = (hashes >> np.uint64(64 - self.n_bits)).astype(np.int32)
        per_row = np.bincount(owners, minlength=rows)
        weight = (1.0 / np.sqrt(np.maximum(per_row, 1))).astype(np.float32)
        indptr = np.concatenate(([0], np.cumsum(per_row))).astype(np.int64)
        return sp.csr_matrix((weight[owners], cols, indptr), shape=(rows, 1 << self.n_bits))

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        views = [self.slices(t or "") for t in texts]
        rows = len(views)
        blocks = [
            self._block([v[0] for v in views], self.edge_ngrams, rows),
            self._block([v[1] for v in views], self.edge_ngrams, rows),
            self._block([v[2] for v in views], self.body_ngrams, rows),
            self._token_block([v[3] for v in views], rows),
        ]
        weighted = [b * np.float32(w) for b, w in zip(blocks, self.weights, strict=False)]
        return sp.hstack(weighted, format="csr", dtype=np.float32)
