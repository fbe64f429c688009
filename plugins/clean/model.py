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

    def __init__(self, keep_threshold: float = 0.5, seed: int = 0, max_iter: int = 20, alpha: float = 2e-6) -> None:
        self.keep_threshold = keep_threshold
        self.alpha = alpha
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

    def _context(self, feats: np.ndarray, proba: np.ndarray, doc: np.ndarray) -> np.ndarray:
        parts = [feats, proba]
        parts += [shift_within_docs(proba, doc, k) for k in CONTEXT_OFFSETS]
        keep = proba[:, [CLASSES.index(c) for c in KEEP]].sum(axis=1)
        parts.append(_region_features(keep, doc))
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
        self.context_ = HistGradientBoostingClassifier(
            max_iter=80, learning_rate=0.15, max_leaf_nodes=15, min_samples_leaf=40, l2_regularization=1.0,
            random_state=self.seed,
        ).fit(X2, keep, sample_weight=weights)
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
        p1[:, self.lexical_.classes_] = self.lexical_.predict_proba(self._stage1_matrix(tokens, feats))
        # One thread: batches are small, and OpenMP threads fighting over shared cores cost more than they give.
        with _one_thread():
            keep = self.context_.predict_proba(self._context(feats, p1, lines.doc))[:, 1]
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


def _balanced_weights(y: np.ndarray) -> np.ndarray:
    # Square-root balancing: rare classes (title, credit) count more without swamping content.
    counts = Counter(y.tolist())
    w = np.array([1.0 / np.sqrt(counts[c]) for c in y.tolist()])
    return w * len(y) / w.sum()
