"""The stance model: two gradient-boosted stages over dense pair features.

Stage 1 decides related vs unrelated on all pairs; stage 2 decides agree /
disagree / discuss on related pairs. Class probabilities combine as
P(unrelated) = p1 and P(k) = (1 - p1) * p2(k), so ``predict_proba`` sums to one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier

from . import features as F

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED: tuple[str, ...] = ("agree", "disagree", "discuss")


class StanceModel(ClassifierMixin, BaseEstimator):
    """Classifies (claim, body) pairs; ``X`` is a sequence of ``(claim, body)`` string pairs."""

    def __init__(
        self,
        max_iter: int = 300,
        learning_rate: float = 0.08,
        max_leaf_nodes: int = 31,
        l2_regularization: float = 1.0,
        related_weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
        random_state: int = 0,
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.related_weights = related_weights
        self.random_state = random_state

    def fit_idf(self, X: Sequence[tuple[str, str]]) -> StanceModel:
        """Learn idf weights from the distinct claims and bodies of ``X``."""
        texts = list(dict.fromkeys([c for c, _ in X] + [b for _, b in X]))
        self.idf_, self.default_idf_ = F.fit_idf(texts)
        return self

    # --- features -------------------------------------------------------------------------------------------
    def parse(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Feature matrix of ``pairs``; identical claim or body strings are parsed once."""
        claims: dict[str, F.Claim] = {}
        bodies: dict[str, F.Body] = {}
        rows = []
        for claim, body in pairs:
            c = claims.get(claim)
            if c is None:
                c = claims[claim] = F.parse_claim(claim, self.idf_, self.default_idf_)
            b = bodies.get(body)
            if b is None:
                b = bodies[body] = F.parse_body(body, self.idf_, self.default_idf_)
            rows.append(F.pair_features(c, b))
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), len(F.FEATURE_NAMES))

    def _booster(self, seed_offset: int) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state + seed_offset,
        )

    # --- estimator API --------------------------------------------------------------------------------------
    def fit(self, X: Sequence[tuple[str, str]], y: Sequence[str], features: np.ndarray | None = None) -> StanceModel:
        """Fit on pairs; ``features`` may pass a precomputed matrix (same idf) to save parsing."""
        y = np.asarray(y)
        unknown = set(y) - set(LABELS)
        if unknown:
            raise ValueError(f"unknown stance labels {sorted(unknown)}; expected {LABELS}")
        if features is None:
            self.fit_idf(X)
        Xf = self.parse(X) if features is None else features
        self.classes_ = np.array(LABELS)
        self.related_ = self._booster(0).fit(Xf, (y != "unrelated").astype(int))
        mask = y != "unrelated"
        weights = dict(zip(RELATED, self.related_weights, strict=False))
        sample_weight = np.array([weights[label] for label in y[mask]])
        self.stance_ = self._booster(1).fit(Xf[mask], y[mask], sample_weight=sample_weight)
        return self

    def predict_proba_features(self, Xf: np.ndarray) -> np.ndarray:
        p_related = self.related_.predict_proba(Xf)[:, 1]
        p_stance = self.stance_.predict_proba(Xf)
        order = [list(self.stance_.classes_).index(label) for label in RELATED]
        out = np.empty((len(Xf), len(LABELS)), dtype=np.float64)
        out[:, :3] = p_stance[:, order] * p_related[:, None]
        out[:, 3] = 1.0 - p_related
        return out

    def predict_proba(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        if len(X) == 0:
            return np.zeros((0, len(LABELS)))
        return self.predict_proba_features(self.parse(X))

    def predict(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        return decide(self.predict_proba(X))


def decide(proba: np.ndarray) -> np.ndarray:
    """Labels from :meth:`StanceModel.predict_proba`: unrelated when P(related) < 0.5, else the best related class.

    (A plain argmax would call a pair unrelated when a related pair's mass is split between two stances.)
    """
    labels = np.array(LABELS)
    best_related = proba[:, :3].argmax(axis=1)
    return np.where(proba[:, 3] > 0.5, labels[3], labels[best_related])
