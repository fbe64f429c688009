"""The stance model: two gradient-boosted stages over dense pair features.

Stage 1 decides related vs unrelated on all pairs; stage 2 decides agree /
disagree / discuss on related pairs. Class probabilities combine as
P(unrelated) = p1 and P(k) = (1 - p1) * p2(k), so ``predict_proba`` sums to one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from . import features as F

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED: tuple[str, ...] = ("agree", "disagree", "discuss")
#: What :meth:`StanceModel.parse` returns: dense pair features and sparse covering-sentence words.
Features = tuple[np.ndarray, sp.csr_matrix]


class StanceModel(ClassifierMixin, BaseEstimator):
    """Classifies (claim, body) pairs; ``X`` is a sequence of ``(claim, body)`` string pairs."""

    def __init__(
        self,
        max_iter: int = 300,
        learning_rate: float = 0.08,
        max_leaf_nodes: int = 31,
        l2_regularization: float = 1.0,
        related_weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
        max_body_chars: int = 3000,
        term_weight: float = 0.0,
        term_c: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.related_weights = related_weights
        self.max_body_chars = max_body_chars
        self.term_weight = term_weight
        self.term_c = term_c
        self.random_state = random_state

    def fit_idf(self, X: Sequence[tuple[str, str]]) -> StanceModel:
        """Learn idf weights from the distinct claims and bodies of ``X``."""
        texts = list(dict.fromkeys([c for c, _ in X] + [b for _, b in X]))
        self.featurizer_ = F.Featurizer(max_body_chars=self.max_body_chars).fit(texts)
        return self

    def parse(self, pairs: Sequence[tuple[str, str]]) -> Features:
        """Dense features of ``pairs`` (:data:`features.FEATURE_NAMES`) and hashed words of their covering sentences."""
        return self.featurizer_.transform_both([c for c, _ in pairs], [b for _, b in pairs])

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
    def fit(self, X: Sequence[tuple[str, str]], y: Sequence[str], features: Features | None = None) -> StanceModel:
        """Fit on pairs; ``features`` may pass precomputed :meth:`parse` output (same idf) to save parsing."""
        y = np.asarray(y)
        unknown = set(y) - set(LABELS)
        if unknown:
            raise ValueError(f"unknown stance labels {sorted(unknown)}; expected {LABELS}")
        if features is None:
            self.fit_idf(X)
        Xf, terms = self.parse(X) if features is None else features
        self.classes_ = np.array(LABELS)
        self.related_ = self._booster(0).fit(Xf, (y != "unrelated").astype(int))
        mask = y != "unrelated"
        weights = dict(zip(RELATED, self.related_weights, strict=False))
        sample_weight = np.array([weights[label] for label in y[mask]])
        self.stance_ = self._booster(1).fit(Xf[mask], y[mask], sample_weight=sample_weight)
        self.terms_ = None
        if self.term_weight > 0:
            linear = LogisticRegression(C=self.term_c, max_iter=2000)
            self.terms_ = linear.fit(terms[mask], y[mask], sample_weight=sample_weight)
            self.terms_.coef_ = self.terms_.coef_.astype(np.float32)  # halves the shipped size
        return self

    def predict_proba_features(self, features: Features) -> np.ndarray:
        Xf, terms = features
        p_related = self.related_.predict_proba(Xf)[:, 1]
        order = [list(self.stance_.classes_).index(label) for label in RELATED]
        p_stance = self.stance_.predict_proba(Xf)[:, order]
        if self.terms_ is not None:
            linear = self.terms_.predict_proba(terms)[:, [list(self.terms_.classes_).index(c) for c in RELATED]]
            p_stance = (1.0 - self.term_weight) * p_stance + self.term_weight * linear
        out = np.empty((len(Xf), len(LABELS)), dtype=np.float64)
        out[:, :3] = p_stance * p_related[:, None]
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
