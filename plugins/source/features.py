"""Outlet fingerprint features from the raw text, hashed with numpy.

Boilerplate, bylines and house style sit at the start and end of a page, so the
first and last lines get their own byte n-gram blocks, whole edge lines become
tokens (with the headline's casing pattern), and longer byte n-grams read the
first and last few KB. House style runs through the whole article too (quotes,
dashes, "Mr.", spelling, favourite words), so a last block hashes byte 3- and
5-grams of the whole text (up to a bound: the head and tail of very long ones),
tf-idf weighted. Hashing stores no vocabulary, and every document costs a
bounded amount of work whatever its length. The n-grams of a whole batch are
hashed at once with numpy (rolling polynomial hash over the concatenated bytes),
which is what makes the stage fast: a Python-level analyzer (scikit-learn's char
n-grams) would spend most of its time building strings, about 40 docs/s here.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

_PRIME = np.uint64(1099511628211)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _ngram_hashes(buffer: np.ndarray, owner: np.ndarray, sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Hash every byte n-gram of ``buffer`` (n in ``sizes``) that stays inside one text: (hashes, owning rows)."""
    parts = _ngram_hashes_by_size(buffer, owner, sizes)
    if not parts:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate([h for h, _ in parts]), np.concatenate([o for _, o in parts])


def _ngram_hashes_by_size(
    buffer: np.ndarray, owner: np.ndarray, sizes: Sequence[int]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(hashes, owning rows) per n-gram size, each ordered by row.

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
    return list(zip(hashes, owners, strict=True))


def _word_ngram_hashes_by_size(
    buffer: np.ndarray, lengths: np.ndarray, sizes: Sequence[int]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Like :func:`_ngram_hashes_by_size`, but only the n-grams that start a word (after a space or line break).

    A fifth of the n-grams of every position, covering the same text: words, their prefixes, word pairs.
    ``lengths`` are the byte lengths of the texts in ``buffer`` (see :func:`_encode`). The bytes of every start
    are gathered at once (reading past a text's end into padding) and the n-grams that would cross the end are
    dropped per size: no per-byte owner array, no filtering of the running arrays at each step.
    """
    if not len(buffer):
        return []
    last = max(sizes)
    ends = np.cumsum(lengths)
    separator = (buffer == 32) | (buffer == 10)
    start = np.empty(len(buffer), dtype=bool)
    start[0] = True
    start[1:] = separator[:-1]
    start[(ends - lengths)[lengths > 0]] = True  # every text's first byte
    start &= ~separator
    at = np.flatnonzero(start)
    owner = np.searchsorted(ends, at, side="right")
    room = ends[owner] - at  # bytes of its own text from each start on
    padded = np.concatenate((buffer, np.zeros(last - 1, dtype=np.uint8)))
    out = []
    h = np.zeros(len(at), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(1, last + 1):
            h ^= padded[at + (k - 1)]
            h *= _PRIME
            if k in sizes:
                keep = room >= k
                mixed = (h[keep] + np.uint64(k)) * _MIX
                out.append((mixed ^ (mixed >> np.uint64(29)), owner[keep]))
    return out


def _encode(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one byte array, and each text's length in bytes."""
    encoded = [t.encode("utf-8", "replace") for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), lengths


def _concat(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one byte array plus, per byte, the index of its text."""
    buffer, lengths = _encode(texts)
    return buffer, np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)


def title_shape(line: str, words: int = 12) -> str:
    """The casing pattern of a headline's first words (``Aa a Aa A 9``), punctuation kept as is."""
    return " ".join(map(_word_shape, line.split()[:words]))


@lru_cache(maxsize=1 << 15)  # headline words repeat a lot ("the", "Trump", "Syria"): a third faster
def _word_shape(word: str) -> str:
    core = word.strip("\"'“”‘’()[],.:;!?-–—")
    shape = ("A" if core.isupper() else "Aa" if core[:1].isupper() else "9" if core[:1].isdigit()
             else "a" if core else "")
    return word[: len(word) - len(word.lstrip("\"'“‘(["))] + shape + word[len(word.rstrip("\"'”’)],.:;!?")) :]


class SourceFeatures(TransformerMixin, BaseEstimator):
    """Raw texts → hashed sparse features: edge-line bytes, head/tail word-ish bytes, whole edge lines.

    A scikit-learn transformer: ``fit`` learns the full-text block's inverse document frequencies (``idf_``;
    None, i.e. all 1, without that block).
    """

    def __init__(
        self,
        n_bits: int = 15,
        edge_lines: int = 6,
        line_chars: int = 120,
        head_chars: int = 1500,
        tail_chars: int = 800,
        edge_ngrams: Sequence[int] = (3, 5),
        body_ngrams: Sequence[int] = (6,),
        weights: Sequence[float] = (1.0, 1.0, 0.0, 1.0, 2.0),
        full_bits: int | None = 16,
        full_ngrams: Sequence[int] = (5, 9),
        full_head_chars: int = 12000,
        full_tail_chars: int = 3000,
        full_word_starts: bool = True,
    ) -> None:
        self.n_bits = n_bits
        self.edge_lines = edge_lines
        self.line_chars = line_chars
        self.head_chars = head_chars
        self.tail_chars = tail_chars
        self.edge_ngrams = edge_ngrams
        self.body_ngrams = body_ngrams
        self.weights = weights
        self.full_bits = full_bits
        self.full_ngrams = full_ngrams
        self.full_head_chars = full_head_chars
        self.full_tail_chars = full_tail_chars
        #: Full-text block: only n-grams starting a word (5× fewer entries, hence a faster product).
        self.full_word_starts = full_word_starts

    def __setstate__(self, state: dict) -> None:
        # Models pickled before the full-text block have none: they keep working, without it. Before the
        # estimator conventions the learned idf was ``idf``.
        state = {"full_bits": None, "full_word_starts": False, **state}
        if "idf" in state:
            state["idf_"] = state.pop("idf")
        self.__dict__.update(state)

    def fit(self, texts: Iterable[str], y: object = None) -> SourceFeatures:
        """Learn the full-text block's inverse document frequencies (``idf_``; None without that block)."""
        self.idf_ = None
        if self.full_bits:
            bodies = [self.full_text(t or "") for t in texts]
            seen = np.zeros(len(self.full_ngrams) << self.full_bits, dtype=np.int64)
            for start in range(0, len(bodies), 256):
                block = sp.hstack(self._full_blocks(bodies[start : start + 256], idf=None), format="csc")
                block.sum_duplicates()
                seen += np.diff(block.indptr)  # after summing, one entry per (document, column)
            self.idf_ = (np.log((1 + len(bodies)) / (1 + seen)) + 1).astype(np.float32)
        return self

    @property
    def n_features(self) -> int:
        return (4 << self.n_bits) + ((len(self.full_ngrams) << self.full_bits) if self.full_bits else 0)

    def full_text(self, text: str) -> str:
        """The full-text block's view: the whole article up to a bound (head and tail of very long ones)."""
        head, tail = self.full_head_chars, self.full_tail_chars
        return text if len(text) <= head + tail else text[:head] + "\n" + text[-tail:]

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
        if head:  # headline style: Title Case, sentence case, ALL CAPS, quotes and dashes
            tokens.append(f"S:{title_shape(head[0])}")
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

    def _full_blocks(self, texts: Sequence[str], idf: np.ndarray | None, weight: float = 1.0) -> list[sp.csr_matrix]:
        """Byte n-grams of the whole text, one block per size, tf-idf weighted, each row of norm ``weight``.

        Duplicates stay unsummed (see ``_counts``); the norm treats each occurrence as its own entry, which
        is not the exact tf-idf norm but is the same transform at training and prediction. Each size comes
        out of the rolling hash ordered by row, so it makes its own CSR block with no sort.
        """
        rows, bits = len(texts), int(self.full_bits or 0)
        if self.full_word_starts:
            ngrams = _word_ngram_hashes_by_size(*_encode(texts), self.full_ngrams)
        else:
            ngrams = _ngram_hashes_by_size(*_concat(texts), self.full_ngrams)
        parts, squares = [], np.zeros(rows)
        for k, (hashes, owners) in enumerate(ngrams):
            cols = (hashes >> np.uint64(64 - bits)).astype(np.int32)
            values = idf[cols + (k << bits)] if idf is not None else np.ones(len(cols), dtype=np.float32)
            squares += np.bincount(owners, weights=values * values, minlength=rows)
            parts.append((values, cols, owners))
        scale = (weight / np.sqrt(np.maximum(squares, 1e-12))).astype(np.float32)
        blocks = []
        for values, cols, owners in parts:
            indptr = np.concatenate(([0], np.cumsum(np.bincount(owners, minlength=rows)))).astype(np.int64)
            blocks.append(sp.csr_matrix((values * scale[owners], cols, indptr), shape=(rows, 1 << bits)))
        while len(blocks) < len(self.full_ngrams):  # every text shorter than the n-gram size
            blocks.append(sp.csr_matrix((rows, 1 << bits), dtype=np.float32))
        return blocks

    def blocks(self, texts: Iterable[str]) -> list[sp.csr_matrix]:
        """The feature blocks side by side, each with its own columns: :meth:`transform` is their ``hstack``."""
        check_is_fitted(self)
        texts = [t or "" for t in texts]
        views = [self.slices(t) for t in texts]
        rows = len(views)
        blocks = [
            self._block([v[0] for v in views], self.edge_ngrams, rows),
            self._block([v[1] for v in views], self.edge_ngrams, rows),
            self._block([v[2] for v in views], self.body_ngrams, rows) if self.weights[2]
            else sp.csr_matrix((rows, 1 << self.n_bits), dtype=np.float32),
            self._token_block([v[3] for v in views], rows),
        ]
        blocks = [b if w == 1 else b * np.float32(w) for b, w in zip(blocks, self.weights[:4], strict=True)]
        if self.full_bits:
            blocks += self._full_blocks([self.full_text(t) for t in texts], self.idf_, self.weights[4])
        for block in blocks:
            block.data = block.data.astype(np.float32, copy=False)
        return blocks

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        return sp.hstack(self.blocks(texts), format="csr", dtype=np.float32)
