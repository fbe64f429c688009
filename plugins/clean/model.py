"""The line classifier: a lexical model, then a context model that sees its neighbours' classes.

Stage 1 is a logistic regression over hashed words of the line plus its scaled numeric features.
Stage 2 is a gradient-boosted tree model over the numeric features and stage 1's class
probabilities for the line and its two neighbours on each side (jusText's context step, learned).
Trained on out-of-fold stage 1 probabilities, so stage 2 does not learn to trust an overfitted stage 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from .corpus import CLASSES, KEEP
from .features import (
    FEATURE_NAMES,
    BatchLines,
    Tokens,
    collect_lines,
    extract,
    hashed_words,
    shift_within_docs,
    tokenize,
)

CONTEXT_OFFSETS = (2, 1, -1, -2)
SMOOTH_OFFSETS = (3, 2, 1, -1, -2, -3)


@dataclass
class LinePredictions:
    """Per batch line: owning doc and line number, class probabilities (stage 1), keep probability (stage 2)."""

    lines: BatchLines
    proba: np.ndarray
    keep: np.ndarray
    features: np.ndarray


class LineCleaner:
    """Classifies every non-blank line of a batch as title, content, credit, caption or boilerplate."""

    classes_ = CLASSES

    def __init__(self, keep_threshold: float = 0.5, seed: int = 0, max_iter: int = 20, alpha: float = 2e-6,
                 rounds: int = 1, span: bool = False) -> None:
        self.keep_threshold = keep_threshold
        self.alpha = alpha
        #: 2: a third stage smooths stage 2's keep probabilities over the neighbouring lines (stacked, out-of-fold).
        self.rounds = rounds
        #: Whether the context stages see where the document's best-scoring contiguous span of lines lies.
        self.span = span
        #: Threshold for the second pass over trafilatura's extraction (tuned on dev pages at training).
        self.html_threshold: float | None = None
        self.seed = seed
        self.max_iter = max_iter
        self.train_df: dict[int, int] = {}

    # -- features ---------------------------------------------------------------------------------------
    def _stage1_matrix(self, tokens: Tokens, feats: np.ndarray) -> sp.csr_matrix:
        # Clipped: a rare feature value far out in the tails must not dominate the linear model.
        scaled = np.clip((feats - self.mean_) / self.scale_, -5.0, 5.0)
        return sp.hstack([hashed_words(tokens, len(feats)), sp.csr_matrix(scaled.astype(np.float32))], format="csr")

    def _lexical_proba(self, tokens: Tokens, feats: np.ndarray) -> np.ndarray:
        """Stage 1's predict_proba without stacking the hashed words and the numeric block into one matrix:
        hashed words (sparse) and scaled numeric features (dense) are scored apart. Same values as
        ``SGDClassifier.predict_proba`` (one-vs-rest logistic, normalised)."""
        coef, n_hashed = self.lexical_.coef_, self.lexical_.coef_.shape[1] - feats.shape[1]
        scaled = np.clip((feats - self.mean_) / self.scale_, -5.0, 5.0).astype(np.float32)
        scores = hashed_words(tokens, len(feats), n_hashed) @ coef[:, :n_hashed].T
        scores = scores + scaled @ coef[:, n_hashed:].T + self.lexical_.intercept_
        proba = expit(np.asarray(scores, dtype=np.float64))
        return proba / proba.sum(axis=1, keepdims=True)

    def _context(self, feats: np.ndarray, proba: np.ndarray, doc: np.ndarray) -> np.ndarray:
        parts = [feats, proba]
        parts += [shift_within_docs(proba, doc, k) for k in CONTEXT_OFFSETS]
        keep = proba[:, [CLASSES.index(c) for c in KEEP]].sum(axis=1)
        parts.append(_region_features(keep, doc))
        if getattr(self, "span", False):
            parts.append(_span_features(keep, doc))
        return np.hstack(parts).astype(np.float32)

    def _smoothing(self, context: np.ndarray, keep: np.ndarray, doc: np.ndarray) -> np.ndarray:
        """Stage 3's input: stage 2's input plus its keep probability for the line and its neighbours."""
        column = keep[:, None]
        parts = [context, column] + [shift_within_docs(column, doc, k) for k in SMOOTH_OFFSETS]
        parts += [_region_features(keep, doc), _span_features(keep, doc)]
        return np.hstack(parts).astype(np.float32)

    # -- training -------------------------------------------------------------------------------------
    def fit(self, docs_lines: Sequence[Sequence[str]], docs_labels: Sequence[Sequence[str | None]],
            train_df: dict[int, int], batch_size: int = 64) -> LineCleaner:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.linear_model import SGDClassifier
        from sklearn.model_selection import GroupKFold

        self.train_df = dict(train_df)
        lines, feats = self._batched_features(docs_lines, batch_size)
        tokens = tokenize(lines.text)
        # Each training line counted its own document in train_df: show the model what a new document sees.
        col = FEATURE_NAMES.index("train_df")
        feats[:, col] = np.log1p(np.maximum(np.expm1(feats[:, col]) - 1, 0))
        y = np.array([CLASSES.index(lab) for labels in docs_labels for lab in labels if lab is not None])
        if len(y) != len(lines.text):
            raise ValueError(f"{len(y)} labels for {len(lines.text)} non-blank lines")
        self.mean_ = feats.mean(axis=0)
        self.scale_ = feats.std(axis=0) + 1e-6
        X1 = self._stage1_matrix(tokens, feats)
        weights = _balanced_weights(y)

        def lexical():
            return SGDClassifier(
                loss="log_loss", alpha=self.alpha, max_iter=self.max_iter, tol=1e-4, random_state=self.seed
            )

        oof = np.zeros((len(y), len(CLASSES)))
        for tr, te in GroupKFold(n_splits=3).split(X1, y, groups=lines.doc):
            model = lexical().fit(X1[tr], y[tr], sample_weight=weights[tr])
            oof[np.ix_(te, model.classes_)] = model.predict_proba(X1[te])
        self.lexical_ = lexical().fit(X1, y, sample_weight=weights)
        self.lexical_.coef_ = self.lexical_.coef_.astype(np.float32)
        X2 = self._context(feats, oof, lines.doc)
        keep = np.isin(y, [CLASSES.index(c) for c in KEEP])

        def context():
            return HistGradientBoostingClassifier(
                max_iter=80, learning_rate=0.15, max_leaf_nodes=15, min_samples_leaf=40, l2_regularization=1.0,
                random_state=self.seed,
            )

        self.context_ = context().fit(X2, keep, sample_weight=weights)
        self.smooth_ = None
        if self.rounds >= 2:
            # Out-of-fold stage 2 probabilities, so stage 3 learns how far to trust its neighbours' verdicts.
            oof2 = np.zeros(len(y))
            for tr, te in GroupKFold(n_splits=3).split(X2, y, groups=lines.doc):
                oof2[te] = context().fit(X2[tr], keep[tr], sample_weight=weights[tr]).predict_proba(X2[te])[:, 1]
            self.smooth_ = context().fit(self._smoothing(X2, oof2, lines.doc), keep, sample_weight=weights)
        return self

    def _batched_features(self, docs_lines: Sequence[Sequence[str]], batch_size: int) -> tuple[BatchLines, np.ndarray]:
        """Features as the processor sees them: batch recurrence computed within batches of ``batch_size``."""
        texts, docs, numbers, fps, feats = [], [], [], [], []
        for start in range(0, len(docs_lines), batch_size):
            chunk = docs_lines[start:start + batch_size]
            lines = collect_lines(chunk)
            texts += lines.text
            docs.append(lines.doc + start)
            numbers.append(lines.number)
            fps.append(lines.fingerprints)
            feats.append(extract(lines, len(chunk), self.train_df))
        merged = BatchLines(texts, np.concatenate(docs), np.concatenate(numbers), np.concatenate(fps), None)
        return merged, np.vstack(feats)

    # -- prediction -----------------------------------------------------------------------------------
    def predict_lines(self, docs_lines: Sequence[Sequence[str]]) -> LinePredictions:
        lines = collect_lines(docs_lines)
        if not lines.text:
            return LinePredictions(lines, np.zeros((0, len(CLASSES))), np.zeros(0), np.zeros((0, len(FEATURE_NAMES))))
        tokens = lines.tokens
        feats = extract(lines, len(docs_lines), self.train_df, tokens)
        p1 = np.zeros((len(lines.text), len(CLASSES)))
        p1[:, self.lexical_.classes_] = self._lexical_proba(tokens, feats)
        # One thread: batches are small, and OpenMP threads fighting over shared cores cost more than they give.
        with _one_thread():
            context = self._context(feats, p1, lines.doc)
            keep = self.context_.predict_proba(context)[:, 1]
            if getattr(self, "smooth_", None) is not None:
                keep = self.smooth_.predict_proba(self._smoothing(context, keep, lines.doc))[:, 1]
        return LinePredictions(lines, p1, keep, feats)


_CONTROLLER = None


def _one_thread():
    """A context limiting OpenMP to one thread; the controller is built once (it inspects loaded libraries)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="openmp")


def _region_features(keep: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Where the line sits relative to the document's content: the article body is one contiguous region.

    Columns: the document's mean keep probability; mean keep probability in windows of +-2 and +-6 lines;
    the share of the document's keep mass before the line (about 0 above the article, 1 below it).
    """
    n = len(keep)
    first = np.searchsorted(doc, doc, side="left")
    last = np.searchsorted(doc, doc, side="right") - 1
    cum = np.concatenate([[0.0], np.cumsum(keep)])
    idx = np.arange(n)
    doc_total = cum[last + 1] - cum[first]
    out = [doc_total / (last - first + 1)]
    for w in (2, 6):
        lo, hi = np.maximum(idx - w, first), np.minimum(idx + w, last)
        out.append((cum[hi + 1] - cum[lo]) / (hi - lo + 1))
    out.append((cum[idx] - cum[first]) / np.maximum(doc_total, 1e-6))
    return np.column_stack(out)


def _span_features(keep: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Where the line sits relative to the document's best contiguous span (maximum sum of keep - 0.5).

    Columns: inside the span; log distance in lines to it (0 inside); the span's share of the document's lines.
    An article body is one run of lines; chrome sits around it, so distance to that run is a strong cue.
    """
    n = len(keep)
    out = np.zeros((n, 3))
    bounds = np.flatnonzero(np.diff(doc)) + 1
    for lo, hi in zip(np.concatenate([[0], bounds]).tolist(), np.concatenate([bounds, [n]]).tolist(), strict=True):
        cum = np.concatenate([[0.0], np.cumsum(keep[lo:hi] - 0.5)])
        low_at = np.minimum.accumulate(cum)  # the best span ending at j starts where cum was lowest before j
        end = int(np.argmax(cum[1:] - low_at[:-1])) + 1
        start = int(np.flatnonzero(cum[:end] == low_at[end - 1])[-1])
        idx = np.arange(hi - lo)
        dist = np.maximum(start - idx, 0) + np.maximum(idx - (end - 1), 0)
        out[lo:hi, 0] = dist == 0
        out[lo:hi, 1] = np.log1p(dist)
        out[lo:hi, 2] = (end - start) / (hi - lo)
    return out


def _balanced_weights(y: np.ndarray) -> np.ndarray:
    # Square-root balancing: rare classes (title, credit) count more without swamping content.
    counts = Counter(y.tolist())
    w = np.array([1.0 / np.sqrt(counts[c]) for c in y.tolist()])
    return w * len(y) / w.sum()
