"""The shipped source model: hashed features, a pruned linear classifier, and an abstention threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .features import SourceFeatures

#: Batches from this size up use the dense copy of the weights (made once, about 57 MB, ~0.2 s).
DENSE_FROM_BATCH = 32


@dataclass
class SourceModel:
    """A linear outlet classifier over :class:`SourceFeatures`, stored small.

    ``coef`` is a sparse float32 (n_classes × n_features) matrix: weights below the
    pruning cut are dropped, which keeps the file a few MB instead of hundreds.
    Scores are a softmax over decision values (``temperature`` fitted on held-out
    data); a top score below ``threshold`` means "an outlet we were not trained on"
    and the stage answers null instead of guessing.
    """

    features: SourceFeatures
    classes: np.ndarray
    coef: sp.csr_matrix
    intercept: np.ndarray
    temperature: float = 1.0
    threshold: float = 0.0
    #: Which score the threshold applies to: "proba" (top softmax), "decision" (top SVM value) or "margin".
    abstain_on: str = "proba"
    #: Per-class thresholds (aligned with ``classes``) that replace ``threshold`` for the best class, or None.
    class_thresholds: np.ndarray | None = None

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        X = self.features.transform(texts)
        if len(texts) < DENSE_FROM_BATCH and "_weights" not in self.__dict__:
            # A small batch (one file at start-up) is cheaper sparse × sparse than expanding the weights first.
            return np.asarray((X @ self.coef.T).toarray(), dtype=np.float32) + self.intercept
        return np.asarray(X @ self._dense_weights(), dtype=np.float32) + self.intercept

    def _dense_weights(self) -> np.ndarray:
        # Sparse × dense is several times faster than sparse × sparse; the dense copy lives in memory only.
        weights = self.__dict__.get("_weights")
        if weights is None:
            weights = np.ascontiguousarray(self.coef.T.toarray(), dtype=np.float32)
            self.__dict__["_weights"] = weights
        return weights

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_weights", None)
        return state

    def proba_from_decision(self, decision: np.ndarray) -> np.ndarray:
        z = decision * np.float32(self.temperature)
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.proba_from_decision(self.decision_function(texts))

    def assess(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(class probabilities, best class index, whether the model is confident enough to answer)."""
        decision = self.decision_function(texts)
        proba = self.proba_from_decision(decision)
        best = proba.argmax(axis=1)
        return proba, best, abstention_score(decision, proba, self.abstain_on) >= self.thresholds_for(best)

    def thresholds_for(self, best: np.ndarray) -> np.ndarray | float:
        """The abstention threshold that applies to each document, given its best class index."""
        thresholds = self.__dict__.get("class_thresholds")  # models pickled before per-class thresholds lack it
        return self.threshold if thresholds is None else thresholds[best]

    def predict(self, texts: Sequence[str]) -> list[str | None]:
        """Best outlet per text, or None where the model is not confident (an outlet it was not trained on?)."""
        _, best, confident = self.assess(texts)
        return [str(self.classes[b]) if ok else None for b, ok in zip(best, confident, strict=False)]


def abstention_score(decision: np.ndarray, proba: np.ndarray, kind: str) -> np.ndarray:
    """How sure the model is of its top class; the threshold on it is calibrated on left-out outlets."""
    if kind == "proba":
        return proba.max(axis=1)
    top2 = np.sort(decision, axis=1)[:, -2:]
    return top2[:, 1] if kind == "decision" else top2[:, 1] - top2[:, 0]


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
