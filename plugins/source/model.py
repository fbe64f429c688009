"""The shipped source model: hashed features, a pruned linear classifier, and an abstention threshold."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from newsprism.document import reads_as_prose

from .features import SourceFeatures

try:  # scipy's own kernel for CSR × dense; unlike ``@`` it adds into an existing result
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - a scipy that moved it
    _csr_matvecs = None

#: Batches from this size up use the dense copy of the weights (made once, about 57 MB, ~0.02 s).
DENSE_FROM_BATCH = 32

class SourceModel(ClassifierMixin, BaseEstimator):
    """A linear outlet classifier over :class:`SourceFeatures`, stored small; ``X`` is a sequence of texts.

    ``fit`` learns the features' idf, a linear SVM, and keeps its ``keep_weights`` largest weights as a
    sparse float32 matrix (``coef_``), which keeps the file a few MB instead of hundreds. The weights are
    held and pickled feature-major (:attr:`by_feature`, packed by :func:`pack_weights`). Scores are a
    softmax over decision values at ``temperature``; a best class whose abstention score (``abstain_on``)
    is below its threshold (``class_thresholds[class]``, else ``threshold``) means "an outlet we were not
    trained on", and :meth:`predict` answers None instead of guessing. Temperature and thresholds are
    calibrated on left-out outlets (training.py) and set with ``set_params``.
    """

    def __init__(
        self,
        features: SourceFeatures | None = None,
        C: float = 1.0,
        keep_weights: int = 2_000_000,
        random_state: int = 0,
        temperature: float = 1.0,
        abstain_on: str = "proba",
        threshold: float = 0.0,
        class_thresholds: dict[str, float] | None = None,
        gate: dict | None = None,
        bylines: dict | None = None,
        house: dict | None = None,
    ) -> None:
        #: The feature extractor to fit (None: ``SourceFeatures()``); ``fit`` fits a clone (``features_``).
        self.features = features
        #: Linear SVM strength.
        self.C = C
        #: Non-zero weights kept after pruning.
        self.keep_weights = keep_weights
        self.random_state = random_state
        #: Softmax temperature (decision values are multiplied by it).
        self.temperature = temperature
        #: Which score the thresholds apply to: "proba" (top softmax), "decision" (top SVM value), "margin",
        #: or "gate" (the learned answer-or-abstain score of ``gate``).
        self.abstain_on = abstain_on
        #: Threshold for a best class that ``class_thresholds`` does not name.
        self.threshold = threshold
        #: Per-class thresholds (class name -> threshold), or None.
        self.class_thresholds = class_thresholds
        #: The answer-or-abstain gate (``abstain_on="gate"``): packed boosted trees over :func:`gate_features`
        #: (see :func:`gate_score`), fitted on the leave-outlets-out folds (training.py), or None.
        self.gate = gate
        #: Byline evidence (bylines.py), or None: ``names`` (author name -> outlet, learned from the training
        #: part's author fields), ``top_k`` (a byline's outlet is taken only when the model ranks it among its
        #: ``top_k`` best) and ``precision`` (of such answers on the calibration folds: their score).
        self.bylines = bylines
        #: House-style evidence (houselines.py), or None: ``shapes`` (date-line shape -> outlet, learned from the
        #: training part), ``top_k`` and ``precision`` as for ``bylines``.
        self.house = house

    def fit(self, X: Sequence[str], y: Sequence[str]) -> SourceModel:
        """Fit the features and the SVM on texts ``X`` and outlet labels ``y``; prune the weights."""
        from sklearn.svm import LinearSVC

        for name in ("_weights", "_by_feature", "coef_"):  # a refit drops the previous weights and their copies
            self.__dict__.pop(name, None)
        self.features_ = clone(self.features) if self.features is not None else SourceFeatures()
        self.features_.fit(X)
        svm = LinearSVC(C=self.C, random_state=self.random_state).fit(self.features_.transform(X), np.asarray(y))
        self.classes_ = svm.classes_
        self.coef_ = prune(svm.coef_, self.keep_weights)
        self.intercept_ = svm.intercept_.astype(np.float32)
        return self

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """SVM decision values (n_texts × n_classes, float32)."""
        return self.decision_from_blocks(self.block_decisions(texts))

    def decision_from_blocks(self, parts: np.ndarray) -> np.ndarray:
        """The decision values from :meth:`block_decisions`: the blocks' sums in block order, plus the intercept."""
        out = parts[:, 0].copy() if parts.shape[1] else np.zeros((len(parts), len(self.classes_)), np.float32)
        for i in range(1, parts.shape[1]):
            out += parts[:, i]
        return out + self.intercept_

    def block_decisions(self, texts: Sequence[str]) -> np.ndarray:
        """Each feature block's part of the decision values (n_texts × n_blocks × n_classes, float32, no intercept).

        What each view of the article (head lines, tail lines, edge tokens, full-text n-grams) says on its own:
        the answer-or-abstain gate reads whether they agree. Both paths add each document's terms of a block in
        the order of its row, so small (sparse) and large (dense) batches give the same float32 values.
        """
        check_is_fitted(self)
        blocks = self.features_.blocks(texts)
        if len(texts) < DENSE_FROM_BATCH and "_weights" not in self.__dict__:
            # A small batch (one file at start-up) is cheaper sparse × sparse than expanding the weights first.
            return self._sparse_blocks(blocks)
        return self._dense_blocks(blocks)

    def _sparse_blocks(self, blocks: list[sp.csr_matrix]) -> np.ndarray:
        weights, width = self.by_feature, self.by_feature.shape[0]
        rows, n_classes = blocks[0].shape[0], weights.shape[1]
        out = np.zeros((rows, len(blocks), n_classes), dtype=np.float32)
        offset = 0
        for k, block in enumerate(blocks):
            if block.nnz:  # the block's columns moved to their place in the full width: no slice of the weights
                wide = sp.csr_matrix((block.data, block.indices + offset, block.indptr), shape=(rows, width))
                out[:, k] = (wide @ weights).toarray()
            offset += block.shape[1]
        return out

    def _dense_blocks(self, blocks: list[sp.csr_matrix]) -> np.ndarray:
        """Block by block, each into its own accumulator: each pass reads only its block's rows of the dense weights.

        A whole batch's pass over one 7–14 MB slice stays in cache where one pass over all 57 MB does not
        (about a quarter faster).
        """
        weights = self._dense_weights()
        rows, n_classes = blocks[0].shape[0], weights.shape[1]
        out = np.zeros((len(blocks), rows, n_classes), dtype=np.float32)
        offset = 0
        for k, block in enumerate(blocks):
            width = block.shape[1]
            if block.nnz:
                part = weights[offset : offset + width]
                if _csr_matvecs is None:  # scipy without its kernels' module: the same product through ``@``
                    out[k] = block @ part
                else:
                    _csr_matvecs(rows, width, n_classes, block.indptr, block.indices, block.data, part.ravel(),
                                 out[k].ravel())
            offset += width
        return out.transpose(1, 0, 2)

    @property
    def by_feature(self) -> sp.csr_matrix:
        """The weights feature-major (n_features × n_classes): what a product with the features reads.

        Either product sums each class's terms in the order of the document's entries, skipping zero weights,
        so the sparse and the dense path give the same numbers.
        """
        weights = self.__dict__.get("_by_feature")
        if weights is None:
            weights = self.__dict__["_by_feature"] = self.__dict__["coef_"].T.tocsr()
        return weights

    def _dense_weights(self) -> np.ndarray:
        # Sparse × dense is several times faster than sparse × sparse; the dense copy lives in memory only.
        weights = self.__dict__.get("_weights")
        if weights is None:
            weights = np.ascontiguousarray(self.by_feature.toarray(), dtype=np.float32)
            self.__dict__["_weights"] = weights
        return weights

    def __getattr__(self, name: str) -> sp.csr_matrix:
        # A loaded model holds its weights feature-major only; ``coef_`` (class-major) is made when asked for.
        if name == "coef_" and "_by_feature" in self.__dict__:
            coef = self.__dict__["coef_"] = self.__dict__["_by_feature"].T.tocsr()
            return coef
        raise AttributeError(name)

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_weights", "_by_feature", "coef_")}
        if "intercept_" in state:  # fitted
            state["packed_weights"] = pack_weights(self.by_feature)
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        if "classes" in state:  # files pickled before the estimator conventions
            state = _legacy_state(state)
        state.setdefault("gate", None)  # files pickled before the gate
        state.setdefault("bylines", None)  # and before the bylines
        state.setdefault("house", None)  # and before the house shapes
        packed = state.pop("packed_weights", None)
        if packed is not None:
            state["_by_feature"] = unpack_weights(packed)
        self.__dict__.update(state)

    def proba_from_decision(self, decision: np.ndarray) -> np.ndarray:
        z = decision * np.float32(self.temperature)
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.proba_from_decision(self.decision_function(texts))

    def assess(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(class probabilities, best class index, whether the model is confident enough to answer)."""
        parts = self.block_decisions(texts)
        decision = self.decision_from_blocks(parts)
        proba = self.proba_from_decision(decision)
        best = proba.argmax(axis=1)
        confident = self.confidence(parts, decision, proba, texts) >= self.thresholds_for(best)
        for i in np.flatnonzero(confident).tolist():  # only answers need the check
            confident[i] = reads_as_prose(texts[i])
        return proba, best, confident

    def confidence(self, parts: np.ndarray, decision: np.ndarray, proba: np.ndarray,
                   texts: Sequence[str]) -> np.ndarray:
        """The score the abstention thresholds apply to (``abstain_on``), per text."""
        if self.abstain_on != "gate":
            return abstention_score(decision, proba, self.abstain_on)
        lengths = np.fromiter((len(t or "") for t in texts), dtype=np.float64, count=len(texts))
        return gate_score(self.gate, gate_features(parts, decision, proba, lengths, self.gate))

    def thresholds_for(self, best: np.ndarray) -> np.ndarray | float:
        """The abstention threshold that applies to each document, given its best class index."""
        if self.class_thresholds is None:
            return self.threshold
        get, default = self.class_thresholds.get, self.threshold
        return np.array([get(c, default) for c in self.classes_.tolist()], dtype=np.float32)[best]

    def byline_answer(self, authors: str | None, proba_row: Sequence[float]) -> str | None:
        """The outlet the bylines in ``authors`` name, if the model ranks it among its ``top_k`` best; else None."""
        if not self.bylines or not authors:
            return None
        from .bylines import byline_outlet, ranked_within

        outlet = byline_outlet(self.bylines["names"], authors)
        if outlet is None or not ranked_within(self.classes_.tolist(), proba_row, outlet, self.bylines["top_k"]):
            return None
        return outlet

    def house_answer(self, text: str | None, proba_row: Sequence[float]) -> tuple[str, str] | None:
        """(outlet, evidence line) the date-line shapes of ``text`` name, if the model ranks that outlet among its
        ``top_k`` best; else None."""
        if not self.house or not text:
            return None
        from .bylines import ranked_within
        from .houselines import house_outlet

        # Reading the shapes costs more than asking whether any outlet that has shapes is high enough to be taken.
        classes, top_k = self.classes_.tolist(), self.house["top_k"]
        kth = sorted(proba_row, reverse=True)[min(top_k, len(proba_row)) - 1]
        if not any(proba_row[classes.index(o)] >= kth for o in set(self.house["shapes"].values()) if o in classes):
            return None
        found = house_outlet(self.house["shapes"], text)
        if found is None or not ranked_within(classes, proba_row, found[0], top_k):
            return None
        return found if reads_as_prose(text) else None  # a date line over junk is no story of that outlet

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Best outlet per text, or None where the model is not confident (an outlet it was not trained on?)."""
        _, best, confident = self.assess(texts)
        return np.array([str(self.classes_[b]) if ok else None for b, ok in zip(best, confident, strict=True)],
                        dtype=object)

    def score(self, X: Sequence[str], y: Sequence[str], sample_weight: np.ndarray | None = None) -> float:
        """Accuracy of :meth:`predict`, an abstention (None) counting as wrong."""
        right = np.asarray([p == t for p, t in zip(self.predict(X), y, strict=True)], dtype=float)
        return float(np.average(right, weights=sample_weight)) if len(right) else 0.0


def _legacy_state(state: dict) -> dict:
    """The state of a model pickled before it was a scikit-learn estimator, in today's names."""
    state = dict(state)
    classes = state.pop("classes")
    thresholds = state.pop("class_thresholds", None)  # aligned with the classes; absent in the oldest files
    learned = {"classes_": classes, "features_": state.pop("features"), "intercept_": state.pop("intercept")}
    learned["features_"].__dict__.setdefault("idf_", None)  # the oldest files have no full-text block, no idf
    if "coef" in state:  # the oldest files hold the class-major weights themselves
        learned["coef_"] = state.pop("coef")
    params = {"features": None, "C": 1.0, "keep_weights": 2_000_000, "random_state": 0, "temperature": 1.0,
              "abstain_on": "proba", "threshold": 0.0, "gate": None}
    by_class = None if thresholds is None else {str(c): float(t) for c, t in zip(classes, thresholds, strict=True)}
    return {**params, **state, **learned, "class_thresholds": by_class}


def abstention_score(decision: np.ndarray, proba: np.ndarray, kind: str) -> np.ndarray:
    """How sure the model is of its top class; the threshold on it is calibrated on left-out outlets."""
    if kind == "proba":
        return proba.max(axis=1)
    top2 = np.sort(decision, axis=1)[:, -2:]
    return top2[:, 1] if kind == "decision" else top2[:, 1] - top2[:, 0]


def pack_weights(by_feature: sp.csr_matrix) -> dict:
    """Feature-major weights in a form that is small and quick to decompress (the model file is zlib'd).

    Per feature its number of weights, per weight its class as one byte, and the float32 values as separate
    byte planes: the top byte (sign and exponent: few distinct values, it compresses well), the next one, and
    the two low bytes (nearly random: zlib keeps them almost as they are, and inflates them fast). Lossless.
    """
    n_features, n_classes = by_feature.shape
    if n_classes > 255:
        return {"csr": by_feature}
    values = np.ascontiguousarray(by_feature.data, dtype="<f4").view(np.uint8).reshape(-1, 4)
    return {
        "shape": (int(n_features), int(n_classes)),
        "counts": np.diff(by_feature.indptr).astype(np.uint8),
        "classes": by_feature.indices.astype(np.uint8),
        "byte3": np.ascontiguousarray(values[:, 3]),
        "byte2": np.ascontiguousarray(values[:, 2]),
        "bytes01": np.ascontiguousarray(values[:, :2]).view("<u2").ravel(),
    }


def unpack_weights(packed: dict) -> sp.csr_matrix:
    """The feature-major CSR matrix :func:`pack_weights` packed: the same float32 bits."""
    if "csr" in packed:
        return packed["csr"]
    data = np.empty(len(packed["byte3"]), dtype="<f4")
    data.view("<u2")[0::2] = packed["bytes01"]  # strided copies of whole planes: a few ms for 2 M weights
    data.view(np.uint8)[2::4] = packed["byte2"]
    data.view(np.uint8)[3::4] = packed["byte3"]
    indptr = np.zeros(len(packed["counts"]) + 1, dtype=np.int32)
    np.cumsum(packed["counts"], out=indptr[1:])
    return sp.csr_matrix((data.astype(np.float32, copy=False), packed["classes"].astype(np.int32), indptr),
                         shape=packed["shape"])


def prune(coef: np.ndarray, keep: int) -> sp.csr_matrix:
    """Keep the ``keep`` largest-magnitude weights of a dense coefficient matrix, as sparse float32."""
    flat = np.abs(coef).ravel()
    if keep < flat.size:
        cut = np.partition(flat, flat.size - keep)[flat.size - keep]
        coef = np.where(np.abs(coef) >= cut, coef, 0.0)
    return sp.csr_matrix(coef.astype(np.float32))


def fit_temperature(parts: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """The softmax temperature minimising log-loss on held-out (decisions, true class index) parts."""
    best_t, best_loss = 1.0, np.inf
    for t in np.geomspace(0.25, 64, 40):
        loss = 0.0
        for decision, y_index in parts:
            z = decision * t
            z = z - z.max(axis=1, keepdims=True)
            log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            loss -= log_p[np.arange(len(y_index)), y_index].sum()
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


#: The answer-or-abstain gate's inputs, per text, about its best class b (see :func:`gate_features`).
GATE_FEATURES = (
    "top_decision", "second_decision", "margin", "top_proba", "entropy",
    "group_allsides", "group_buzzfeed", "group_fakes", "log_length",
    *(f"block{i}_{what}" for what in ("part", "margin", "agrees") for i in range(5)),
    "blocks_agreeing",
)


def gate_features(parts: np.ndarray, decision: np.ndarray, proba: np.ndarray, lengths: np.ndarray,
                  gate: dict) -> np.ndarray:
    """Per text (float64, columns :data:`GATE_FEATURES`): how sure the model is of its best class b, and whether
    the article's views agree on it.

    The SVM's top two values, their margin, the top softmax probability and the entropy; the group of b (the data
    set its outlet comes from); the text's log length; and for each feature block ``gate["blocks"]`` (head lines,
    tail lines, edge tokens, full-text 5- and 9-grams) b's part of the decision, its lead over the best other class
    in that block, and whether the block on its own ranks b first. An article of a known outlet tends to carry its
    outlet's boilerplate and its house style together; one of an unknown outlet is pulled to a known outlet by
    one view (a wire story, a shared phrase) while the others disagree.
    """
    n = len(decision)
    rows = np.arange(n)
    best = proba.argmax(axis=1)  # the model's answer (ties as :meth:`SourceModel.assess` breaks them)
    rest = decision.copy()
    rest[rows, best] = -np.inf
    second = rest.argmax(axis=1)
    top, runner = decision[rows, best].astype(np.float64), decision[rows, second].astype(np.float64)
    p = proba.astype(np.float64)
    entropy = -(p * np.log(p + 1e-12)).sum(axis=1)
    group = np.asarray(gate["class_group"])[best]
    blocks = parts[:, gate["blocks"], :].astype(np.float64)
    part = blocks[rows, :, best]
    others = blocks.copy()
    others[rows, :, best] = -np.inf
    agrees = (blocks.argmax(axis=2) == best[:, None]).astype(np.float64)
    columns = [top, runner, top - runner, p[rows, best], entropy,
               *((group == g).astype(np.float64) for g in range(3)), np.log1p(lengths),
               *part.T, *(part - others.max(axis=2)).T, *agrees.T, agrees.sum(axis=1)]
    return np.column_stack(columns) if n else np.zeros((0, len(GATE_FEATURES)))


def gate_score(gate: dict, X: np.ndarray) -> np.ndarray:
    """The gate's score (log-odds of "a right answer, not an unknown outlet"): the sum of its trees' leaf values.

    The trees are a scikit-learn ``HistGradientBoostingClassifier``'s (training.py), packed so that the stage
    needs no import of scikit-learn's ensemble module and walks no tree node by node (the QuickScorer way): each
    tree's leaves are numbered left to right, and every split whose test sends a text right rules out the leaves
    of its left subtree (``mask``: their bits cleared); the leftmost leaf not ruled out is where the text lands.
    A few whole-batch array operations, whatever the depth; equal to the classifier's ``decision_function``.
    """
    if not len(X):
        return np.zeros(0)
    # Split-major (splits × texts): each step runs along contiguous rows of the whole batch.
    goes_right = np.ascontiguousarray(X.T)[gate["feature"]] > gate["threshold"][:, None]
    masks = gate["mask"][:, None] | (~goes_right * np.uint16(0xFFFF))  # a split that sends left rules nothing out
    left_over = np.bitwise_and.reduceat(masks, gate["starts"], axis=0)
    leaf = _LOWEST_BIT()[left_over] + gate["leaf_start"][:, None]
    # Summed text-major, tree after tree as before (the same float sums whichever layout computed the leaves).
    return gate["baseline"] + np.ascontiguousarray(gate["leaf_value"][leaf].T).sum(axis=1)


def _lowest_bits() -> Callable[[], np.ndarray]:
    table: list[np.ndarray] = []

    def get() -> np.ndarray:
        # Index of the lowest set bit of every 16-bit value (made on first use: 64 KB, under a millisecond).
        if not table:
            values = np.arange(1 << 16, dtype=np.int64)
            lowest = values & -values
            bits = np.zeros(1 << 16, dtype=np.int32)
            bits[1:] = np.log2(lowest[1:]).astype(np.int32)
            table.append(bits)
        return table[0]

    return get


_LOWEST_BIT = _lowest_bits()
