"""The line classifier: a lexical model, then a context model that sees its neighbours' classes.

Stage 1 is a logistic regression over hashed words of the line plus its scaled numeric features.
Stage 2 is a gradient-boosted tree model over the numeric features and stage 1's class
probabilities for the line and its two neighbours on each side (jusText's context step, learned).
Trained on out-of-fold stage 1 probabilities, so stage 2 does not learn to trust an overfitted stage 1.
Optionally (``titles``) a third model picks each document's headline among its lines, from both stages'
probabilities, where the line sits against the document's main run of content and how much of that content
shares its words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .corpus import CLASSES, KEEP
from .features import (
    FEATURE_NAMES,
    BatchLines,
    Tokens,
    appeal_features,
    collect_lines,
    extract,
    hashed_words,
    keep_weighted_coherence,
    line_fingerprints,
    shift_within_docs,
    tokenize,
)

CONTEXT_OFFSETS = (2, 1, -1, -2)
SMOOTH_OFFSETS = (3, 2, 1, -1, -2, -3)
#: The context stage's size by ``LineCleaner(context_size=...)``: 2 is the shipped recipe's (CV, docs/clean.md).
CONTEXT_SIZES = {1: {"max_iter": 80, "learning_rate": 0.15, "max_leaf_nodes": 15},
                 2: {"max_iter": 200, "learning_rate": 0.1, "max_leaf_nodes": 31}}
#: The line's own features the title picker reads (besides both stages' probabilities and its place in the page).
TITLE_FEATURES = ("log_words", "log_chars", "title_case", "all_caps", "ends_terminal", "stop_density", "pipes",
                  "date_like", "dup_count", "is_first", "log_pos", "rel_pos")


@dataclass
class LinePredictions:
    """Per batch line: owning doc and line number, class probabilities (stage 1), keep probability (stage 2)."""

    lines: BatchLines
    proba: np.ndarray
    keep: np.ndarray
    features: np.ndarray
    #: Per line, the title picker's probability that it is its document's headline (None without a picker).
    title: np.ndarray | None = None


class LineCleaner(BaseEstimator):
    """Classifies every non-blank line of a batch as title, content, credit, caption or boilerplate.

    A scikit-learn estimator whose ``X`` is a sequence of documents, each a sequence of lines, and ``y`` the
    documents' line labels (:data:`~.corpus.CLASSES`, None for blank lines). The constructor only stores the
    hyper-parameters; ``fit`` sets the learned state (attributes ending in ``_``). ``keep_threshold`` and
    ``html_threshold`` are decision thresholds, tuned on dev pages after ``fit`` and set with ``set_params``.
    Not a ``ClassifierMixin``: its predictions are per line of ragged documents, which ``score`` cannot take.
    """

    def __init__(self, keep_threshold: float = 0.5, html_threshold: float | None = None, random_state: int = 0,
                 max_iter: int = 20, alpha: float = 2e-6, rounds: int = 1, span: bool = False,
                 batch_size: int = 64, bags: int = 1, appeal: bool = False, min_groups: int = 1,
                 context_size: int = 1, cohesion: bool = False, titles: bool = False) -> None:
        #: Keep-probability threshold for plain text.
        self.keep_threshold = keep_threshold
        #: Threshold for the second pass over trafilatura's extraction (None: ``keep_threshold``).
        self.html_threshold = html_threshold
        self.random_state = random_state
        self.max_iter = max_iter
        self.alpha = alpha
        #: 2: a third stage smooths stage 2's keep probabilities over the neighbouring lines (stacked, out-of-fold).
        self.rounds = rounds
        #: Whether the context stages see where the document's best-scoring contiguous span of lines lies.
        self.span = span
        #: Training documents per batch when the batch-recurrence features are computed (as the processor sees them).
        self.batch_size = batch_size
        #: Stage 1 is the mean of this many SGD fits' coefficients (random_state + 1000 b): less training noise,
        #: the same size and prediction cost as one fit.
        self.bags = bags
        #: Whether the numeric features end with :data:`~.features.APPEAL_NAMES` (reader-appeal vocabulary).
        self.appeal = appeal
        #: Stage 1 learns only hashed words used by at least this many training sources (``groups`` in ``fit``):
        #: one page's own vocabulary would let it memorise that page's lines.
        self.min_groups = min_groups
        #: The context stage's size, a key of :data:`CONTEXT_SIZES` (2: 200 trees of 31 leaves, 1: 80 of 15).
        self.context_size = context_size
        #: Whether the context stages see how much of the document's likely content (stage 1's keep mass) shares
        #: the line's words: an article's lines share its subject, chrome beside or inside it does not.
        self.cohesion = cohesion
        #: Whether a third model (``title_``) picks each document's headline: on whole pages the first line
        #: stage 1 calls a title is mostly a site name or a menu.
        self.titles = titles

    def __setstate__(self, state: dict) -> None:
        # Files pickled before the estimator conventions: learned document counts as ``train_df``, ``seed``.
        if "train_df" in state:
            state = {"rounds": 1, "span": False, "smooth_": None, "html_threshold": None, **state}
            state.update(train_df_=state.pop("train_df"), random_state=state.pop("seed", 0), batch_size=64,
                         classes_=np.array(CLASSES))
        state.setdefault("bags", 1)
        state.setdefault("appeal", False)
        state.setdefault("min_groups", 1)
        state.setdefault("context_size", 1)
        state.setdefault("cohesion", False)
        state.setdefault("titles", False)
        state.setdefault("title_", None)
        super().__setstate__(state)

    # -- features ---------------------------------------------------------------------------------------
    def _with_extra(self, feats: np.ndarray, tokens: Tokens) -> np.ndarray:
        """The optional feature columns, after FEATURE_NAMES (so the named columns keep their indices)."""
        if not getattr(self, "appeal", False):
            return feats
        return np.hstack([feats, appeal_features(tokens, len(feats))])

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

    def _context(self, feats: np.ndarray, proba: np.ndarray, doc: np.ndarray, tokens: Tokens) -> np.ndarray:
        parts = [feats, proba]
        parts += [shift_within_docs(proba, doc, k) for k in CONTEXT_OFFSETS]
        keep = proba[:, [CLASSES.index(c) for c in KEEP]].sum(axis=1)
        parts.append(_region_features(keep, doc))
        if self.span:
            parts.append(_span_features(keep, doc))
        if self.cohesion:
            parts.append(keep_weighted_coherence(tokens, doc, keep))
        return np.hstack(parts).astype(np.float32)

    def _smoothing(self, context: np.ndarray, keep: np.ndarray, doc: np.ndarray) -> np.ndarray:
        """Stage 3's input: stage 2's input plus its keep probability for the line and its neighbours."""
        column = keep[:, None]
        parts = [context, column] + [shift_within_docs(column, doc, k) for k in SMOOTH_OFFSETS]
        parts += [_region_features(keep, doc), _span_features(keep, doc)]
        return np.hstack(parts).astype(np.float32)

    # -- training -------------------------------------------------------------------------------------
    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str | None]],
            train_df: Mapping[int, int] | None = None, groups: Sequence[str] | None = None) -> LineCleaner:
        """Fit on documents' lines ``X`` and their line labels ``y``.

        ``train_df``: line fingerprint -> training documents holding it (the recurrence feature); by default
        :func:`document_counts` of ``X`` (pass your own when ``X`` repeats documents, e.g. crops of pages).
        ``groups``: per document, the source it was made from (crops of one page share it), so stage 1's
        out-of-fold probabilities never come from a model that saw the same lines; by default each document.
        """
        from sklearn.linear_model import SGDClassifier
        from sklearn.model_selection import GroupKFold

        docs_lines, docs_labels = X, y
        self.train_df_ = dict(document_counts(docs_lines) if train_df is None else train_df)
        lines, feats = self._batched_features(docs_lines, self.batch_size)
        tokens = tokenize(lines.text)
        feats = self._with_extra(feats, tokens)
        # Each training line counted its own document in train_df: show the model what a new document sees.
        col = FEATURE_NAMES.index("train_df")
        feats[:, col] = np.log1p(np.maximum(np.expm1(feats[:, col]) - 1, 0))
        y = np.array([CLASSES.index(lab) for labels in docs_labels for lab in labels if lab is not None])
        if len(y) != len(lines.text):
            raise ValueError(f"{len(y)} labels for {len(lines.text)} non-blank lines")
        self.mean_ = feats.mean(axis=0)
        self.scale_ = feats.std(axis=0) + 1e-6
        X1 = self._stage1_matrix(tokens, feats)
        line_groups = lines.doc if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1][lines.doc]
        if self.min_groups > 1:
            _drop_rare_words(X1, line_groups, X1.shape[1] - feats.shape[1], self.min_groups)
        weights = _balanced_weights(y)

        def lexical(rows=None):
            Xr, yr, wr = (X1, y, weights) if rows is None else (X1[rows], y[rows], weights[rows])
            fits = [SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=self.max_iter, tol=1e-4,
                                  random_state=self.random_state + 1000 * b).fit(Xr, yr, sample_weight=wr)
                    for b in range(self.bags)]
            if len(fits) > 1:
                fits[0].coef_ = np.mean([f.coef_ for f in fits], axis=0)
                fits[0].intercept_ = np.mean([f.intercept_ for f in fits], axis=0)
            return fits[0]

        oof = np.zeros((len(y), len(CLASSES)))
        for tr, te in GroupKFold(n_splits=3).split(X1, y, groups=line_groups):
            model = lexical(tr)
            oof[np.ix_(te, model.classes_)] = model.predict_proba(X1[te])
        self.lexical_ = lexical()
        self.lexical_.coef_ = self.lexical_.coef_.astype(np.float32)
        X2 = self._context(feats, oof, lines.doc, tokens)
        keep = np.isin(y, [CLASSES.index(c) for c in KEEP])

        self.context_ = self._new_context().fit(X2, keep, sample_weight=weights)
        self.classes_ = np.array(CLASSES)
        self.smooth_ = self.title_ = None
        if self.rounds >= 2 or self.titles:
            # Out-of-fold stage 2 probabilities: the later models learn how far to trust stage 2's verdicts.
            oof2 = np.zeros(len(y))
            for tr, te in GroupKFold(n_splits=3).split(X2, y, groups=line_groups):
                model = self._new_context().fit(X2[tr], keep[tr], sample_weight=weights[tr])
                oof2[te] = model.predict_proba(X2[te])[:, 1]
            if self.rounds >= 2:
                self.smooth_ = self._new_context().fit(self._smoothing(X2, oof2, lines.doc), keep,
                                                       sample_weight=weights)
            if self.titles:
                self.title_ = self._fit_titles(_title_features(lines, tokens, feats, oof, oof2), y, lines.doc)
        return self

    def _new_context(self):
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(**CONTEXT_SIZES[self.context_size], min_samples_leaf=40,
                                              l2_regularization=1.0, random_state=self.random_state)

    def _fit_titles(self, X: np.ndarray, y: np.ndarray, doc: np.ndarray):
        """The headline picker, learned on the documents that have a title line (each line: is it the title?).
        Documents without one are left out: a page whose headline differs from its metadata title by a word
        would teach that its headline is not one."""
        from sklearn.ensemble import HistGradientBoostingClassifier

        is_title = y == CLASSES.index("title")
        titled = np.isin(doc, doc[is_title])
        picker = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=15, min_samples_leaf=5,
                                                class_weight="balanced", random_state=self.random_state)
        return picker.fit(X[titled], is_title[titled])

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
            feats.append(extract(lines, len(chunk), self.train_df_))
        merged = BatchLines(texts, np.concatenate(docs), np.concatenate(numbers), np.concatenate(fps), None)
        return merged, np.vstack(feats)

    # -- prediction -----------------------------------------------------------------------------------
    def predict_lines(self, docs_lines: Sequence[Sequence[str]]) -> LinePredictions:
        """Stage 1's class probabilities and the keep probability of every non-blank line of a batch."""
        check_is_fitted(self)
        lines = collect_lines(docs_lines)
        if not lines.text:
            return LinePredictions(lines, np.zeros((0, len(CLASSES))), np.zeros(0), np.zeros((0, len(FEATURE_NAMES))))
        tokens = lines.tokens
        feats = self._with_extra(extract(lines, len(docs_lines), self.train_df_, tokens), tokens)
        p1 = np.zeros((len(lines.text), len(CLASSES)))
        p1[:, self.lexical_.classes_] = self._lexical_proba(tokens, feats)
        # One thread: batches are small, and OpenMP threads fighting over shared cores cost more than they give.
        title = None
        with _one_thread():
            context = self._context(feats, p1, lines.doc, tokens)
            keep = self.context_.predict_proba(context)[:, 1]
            if self.smooth_ is not None:
                keep = self.smooth_.predict_proba(self._smoothing(context, keep, lines.doc))[:, 1]
            if getattr(self, "title_", None) is not None:
                title = self.title_.predict_proba(_title_features(lines, tokens, feats, p1, keep))[:, 1]
        return LinePredictions(lines, p1, keep, feats, title)


_CONTROLLER = None


def _one_thread():
    """A context limiting OpenMP to one thread; the controller is built once (it inspects loaded libraries)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="openmp")


def _drop_rare_words(X: sp.csr_matrix, line_groups: np.ndarray, n_hashed: int, min_groups: int) -> None:
    """Zero, in place, the hashed-word entries of columns that fewer than ``min_groups`` sources use: their
    stage-1 weights then stay 0 (SGD starts from 0 and a zero column has no gradient)."""
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    words = X.indices < n_hashed
    pairs = np.unique(line_groups[rows[words]].astype(np.int64) * n_hashed + X.indices[words])
    sources = np.bincount(pairs % n_hashed, minlength=n_hashed)
    X.data[words & (sources[np.minimum(X.indices, n_hashed - 1)] < min_groups)] = 0
    X.eliminate_zeros()


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


def _title_features(lines: BatchLines, tokens: Tokens, feats: np.ndarray, proba: np.ndarray,
                    keep: np.ndarray) -> np.ndarray:
    """The title picker's input: stage 1's class probabilities, the keep probability of the line and of its three
    neighbours on each side, its signed log offset from the start of the document's main run of content (a
    headline sits just above it), how much of the likely content shares its words (a headline's words recur in
    its article; a menu's or a site name's do not), and its own shape (:data:`TITLE_FEATURES`)."""
    column = keep[:, None]
    parts = [proba, column] + [shift_within_docs(column, lines.doc, k) for k in SMOOTH_OFFSETS]
    parts += [_span_offset(keep, lines.doc)[:, None], keep_weighted_coherence(tokens, lines.doc, keep),
              feats[:, [FEATURE_NAMES.index(name) for name in TITLE_FEATURES]]]
    return np.hstack(parts).astype(np.float32)


def _best_spans(keep: np.ndarray, doc: np.ndarray) -> Iterable[tuple[int, int, int, int]]:
    """Per document (rows ``lo:hi``), its best contiguous span of lines ``start:end`` (relative to ``lo``): the one
    with the largest sum of keep - 0.5. An article body is one run of lines; chrome sits around it."""
    bounds = np.flatnonzero(np.diff(doc)) + 1
    n = len(keep)
    for lo, hi in zip(np.concatenate([[0], bounds]).tolist(), np.concatenate([bounds, [n]]).tolist(), strict=True):
        cum = np.concatenate([[0.0], np.cumsum(keep[lo:hi] - 0.5)])
        low_at = np.minimum.accumulate(cum)  # the best span ending at j starts where cum was lowest before j
        end = int(np.argmax(cum[1:] - low_at[:-1])) + 1
        start = int(np.flatnonzero(cum[:end] == low_at[end - 1])[-1])
        yield lo, hi, start, end


def _span_offset(keep: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Each line's signed log offset, in lines, from the first line of its document's best span."""
    out = np.zeros(len(keep))
    for lo, hi, start, _ in _best_spans(keep, doc):
        offset = np.arange(hi - lo) - start
        out[lo:hi] = np.sign(offset) * np.log1p(np.abs(offset))
    return out


def _span_features(keep: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Where the line sits relative to the document's best contiguous span (:func:`_best_spans`).

    Columns: inside the span; log distance in lines to it (0 inside); the span's share of the document's lines.
    """
    out = np.zeros((len(keep), 3))
    for lo, hi, start, end in _best_spans(keep, doc):
        idx = np.arange(hi - lo)
        dist = np.maximum(start - idx, 0) + np.maximum(idx - (end - 1), 0)
        out[lo:hi, 0] = dist == 0
        out[lo:hi, 1] = np.log1p(dist)
        out[lo:hi, 2] = (end - start) / (hi - lo)
    return out


def document_counts(docs_lines: Iterable[Sequence[str]], min_docs: int = 2) -> dict[int, int]:
    """Line fingerprint -> number of documents holding the line, for lines in ``min_docs`` or more documents."""
    counts: Counter = Counter()
    for lines in docs_lines:
        counts.update(set(line_fingerprints([line.strip() for line in lines if line.strip()]).tolist()))
    return {k: v for k, v in counts.items() if v >= min_docs}


def _balanced_weights(y: np.ndarray) -> np.ndarray:
    # Square-root balancing: rare classes (title, credit) count more without swamping content.
    counts = Counter(y.tolist())
    w = np.array([1.0 / np.sqrt(counts[c]) for c in y.tolist()])
    return w * len(y) / w.sum()
