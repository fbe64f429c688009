"""Training and leave-one-part-out evaluation of the credit-line classifier (:mod:`.creditlines`).

Examples come from the hand-labelled parts of ``tests/fixtures/credits_labels.json`` only (ids and credit names;
texts from the shared data sets). Each outlet mention the candidate reader finds is an example: positive when its
name is a gold credit of the article and its line is the rules' evidence line for that name, left out when its name
is a gold credit on another line (a credit may be said twice; the labels do not say which line), negative otherwise
("told Reuters", "© Reuters", the site's own chrome).

Measured by leave-one-part-out over the labelled parts (twelve when it was built, thirteen since sample 12 was
added): the classifier is trained on all parts but one and predicts that one; its threshold is the lowest that keeps
the precision of out-of-fold predictions on the training parts (inner leave-one-part-out) at or above
``TARGET_PRECISION`` — never chosen on the part predicted.

    newsprism train credits ../shared/data --out DIR   # labels: $NEWSPRISM_CREDIT_LABELS or the repo's fixture
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .creditlines import CreditLineModel, _key, _Matcher, article_features
from .credits import CreditFinder

log = logging.getLogger(__name__)

#: The repository's labels (ids and names only); $NEWSPRISM_CREDIT_LABELS or the ``labels`` option overrides it.
LABELS_PATH = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "credits_labels.json"
LABELS_ENV = "NEWSPRISM_CREDIT_LABELS"
#: Out-of-fold precision the threshold must keep on the training parts (the union's target is 0.99: the rules'
#: precision on fresh samples is ~0.99-1.00, so the classifier's extra names must be nearly all right).
TARGET_PRECISION = 0.995
GRID = np.round(np.r_[np.arange(0.05, 0.95, 0.025), np.arange(0.95, 0.996, 0.005)], 3)
C = 1.0


@dataclass
class Examples:
    """One row per outlet mention of the labelled articles."""

    feats: list[list[str]]
    y: np.ndarray  # 1 credit line, 0 not, -1 left out of training
    part: np.ndarray
    doc: list[str]
    name: list[str]
    gold: dict[str, dict[str, set[str]]]  # part -> article id -> gold name keys
    rules: dict[str, set[str]]  # article id -> the rules' name keys


def read_labels(path: Path | None = None) -> dict[str, Any]:
    path = Path(path or os.environ.get(LABELS_ENV) or LABELS_PATH)
    return json.loads(path.read_text(encoding="utf-8"))


def label_parts(labels: dict[str, Any]) -> list[str]:
    return [name for name in labels if name != "about"]


def examples(texts: dict[str, str], labels: dict[str, Any], finder: CreditFinder | None = None) -> Examples:
    """The mentions of every labelled article (``texts``: article id -> text), labelled as the module says."""
    finder = finder or CreditFinder()
    matcher = _Matcher(finder)
    out = Examples([], np.zeros(0), np.zeros(0), [], [], {}, {})
    ys, parts = [], []
    for part in label_parts(labels):
        out.gold[part] = {}
        for doc, names in labels[part]["documents"].items():
            lines = texts[doc].splitlines()
            gold = {_key(n) for n in names}
            out.gold[part][doc] = gold
            rules = finder.find(lines)
            out.rules[doc] = {_key(c.name) for c in rules}
            evidence = {_key(c.name): c.evidence for c in rules}
            content, cands, feats = article_features(lines, matcher)
            for cand, f in zip(cands, feats, strict=True):
                key, line = _key(cand.name), content[cand.line]
                said = evidence.get(key)
                if key not in gold:
                    ys.append(0)
                elif said is not None and (line[:200] == said or line.startswith(said[:150])):
                    ys.append(1)
                else:
                    ys.append(-1)
                parts.append(part)
                out.feats.append(f)
                out.doc.append(doc)
                out.name.append(cand.name)
    out.y, out.part = np.array(ys), np.array(parts)
    return out


def vectorize(feats: list[list[str]]) -> tuple[Any, list[str]]:
    """Feature strings as a sparse count matrix, with the column names (a repeated string counts twice, as the
    model's sum of look-ups does)."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    indices, indptr = [], [0]
    for fs in feats:
        indices.extend(vocab.setdefault(f, len(vocab)) for f in fs)
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(feats), len(vocab)))
    x.sum_duplicates()
    return x, list(vocab)


def fit(x: Any, y: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    """Logistic-regression weights on the rows labelled 0/1."""
    from sklearn.linear_model import LogisticRegression

    keep = y >= 0
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=0)
    lr.fit(x[keep], y[keep])
    return lr.coef_.ravel(), float(lr.intercept_[0])


def _probs(x: Any, coef: np.ndarray, intercept: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))


def article_best(ex: Examples, rows: np.ndarray, probs: np.ndarray) -> dict[tuple[str, str], float]:
    """Each (article, name key)'s best probability over its mentions."""
    best: dict[tuple[str, str], float] = defaultdict(float)
    for i, p in zip(rows.tolist(), probs.tolist(), strict=True):
        k = (ex.doc[i], _key(ex.name[i]))
        best[k] = max(best[k], p)
    return best


def counts(ex: Examples, parts: Sequence[str], best: dict[tuple[str, str], float], threshold: float,
           union: bool = False) -> dict[str, int]:
    """tp/fp/gold of the classifier (or of the union with the rules) over ``parts``."""
    found: dict[str, set[str]] = defaultdict(set)
    for (doc, key), p in best.items():
        if p >= threshold:
            found[doc].add(key)
    tp = fp = n = extra_tp = extra_fp = 0
    for part in parts:
        for doc, gold in ex.gold[part].items():
            names = found[doc] | ex.rules[doc] if union else found[doc]
            tp, fp, n = tp + len(names & gold), fp + len(names - gold), n + len(gold)
            extra = found[doc] - ex.rules[doc]
            extra_tp, extra_fp = extra_tp + len(extra & gold), extra_fp + len(extra - gold)
    return {"tp": tp, "fp": fp, "gold": n, "extra_right": extra_tp, "extra_wrong": extra_fp}


def choose_threshold(ex: Examples, parts: Sequence[str], best: dict[tuple[str, str], float]) -> float:
    """The lowest grid threshold whose out-of-fold precision over ``parts`` reaches TARGET_PRECISION."""
    for t in GRID.tolist():
        c = counts(ex, parts, best, t)
        if c["tp"] and c["tp"] / (c["tp"] + c["fp"]) >= TARGET_PRECISION:
            return t
    return float(GRID[-1])


def out_of_fold(ex: Examples, x: Any, parts: Sequence[str]) -> dict[tuple[str, str], float]:
    """Leave-one-part-out predictions over ``parts``, each from a model trained on the others of ``parts``."""
    best: dict[tuple[str, str], float] = {}
    for held in parts:
        train = np.isin(ex.part, [p for p in parts if p != held])
        coef, b = fit(x[train], ex.y[train])
        rows = np.flatnonzero(ex.part == held)
        best.update(article_best(ex, rows, _probs(x[rows], coef, b)))
    return best


def nested_lopo(ex: Examples, x: Any) -> dict[str, Any]:
    """Per part: threshold chosen on the other parts' out-of-fold scores, then the part predicted once."""
    parts = label_parts_of(ex)
    per_part, pooled, union = {}, defaultdict(int), defaultdict(int)
    for held in parts:
        train_parts = [p for p in parts if p != held]
        t = choose_threshold(ex, train_parts, out_of_fold(ex, x, train_parts))
        train = np.isin(ex.part, train_parts)
        coef, b = fit(x[train], ex.y[train])
        rows = np.flatnonzero(ex.part == held)
        best = article_best(ex, rows, _probs(x[rows], coef, b))
        alone, both = counts(ex, [held], best, t), counts(ex, [held], best, t, union=True)
        per_part[held] = {"threshold": t, **alone, "union_tp": both["tp"], "union_fp": both["fp"]}
        log.info("%s: threshold %.3f, %s", held, t, per_part[held])
        for k, v in alone.items():
            pooled[k] += v
        for k, v in both.items():
            union[k] += v
    return {"per_part": per_part, "pooled": dict(pooled), "union": dict(union)}


def label_parts_of(ex: Examples) -> list[str]:
    return list(ex.gold)


def labelled_texts(root: Path, labels: dict[str, Any]) -> dict[str, str]:
    """The texts of the labelled articles only (nothing else is kept or read further)."""
    from .datasets import read_all

    wanted = {doc for part in label_parts(labels) for doc in labels[part]["documents"]}
    return {a.id: a.text for a in read_all(root) if a.id in wanted}


def build(root: Path, labels: dict[str, Any], nested: bool = True) -> tuple[CreditLineModel, dict[str, Any]]:
    """The shipped classifier: trained on every labelled part, its threshold chosen on their leave-one-part-out
    scores; plus the nested leave-one-part-out figures (the held-out evidence)."""
    ex = examples(labelled_texts(root, labels), labels)
    x, columns = vectorize(ex.feats)  # columns unseen in a fold's training rows get weight 0 there
    parts = label_parts_of(ex)
    report = nested_lopo(ex, x) if nested else {}
    threshold = choose_threshold(ex, parts, out_of_fold(ex, x, parts))
    coef, b = fit(x, ex.y)
    weights = {f: round(float(w), 6) for f, w in zip(columns, coef.tolist(), strict=True) if w != 0.0}
    meta = {"C": C, "target_precision": TARGET_PRECISION, "rows": len(ex.y), "positives": int((ex.y == 1).sum()),
            "features": len(weights)}
    return CreditLineModel(weights, b, threshold, meta), report


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def metrics(report: dict[str, Any]) -> dict[str, float]:
    p, u = report["pooled"], report["union"]
    return {
        "lopo_classifier_precision": _ratio(p["tp"], p["tp"] + p["fp"]),
        "lopo_classifier_recall": _ratio(p["tp"], p["gold"]),
        "lopo_union_precision": _ratio(u["tp"], u["tp"] + u["fp"]),
        "lopo_union_recall": _ratio(u["tp"], u["gold"]),
        "lopo_extra_right": float(p["extra_right"]),
        "lopo_extra_wrong": float(p["extra_wrong"]),
    }


def train(req: Any) -> dict[str, Any]:
    """``newsprism train credits DATA``: DATA is the shared data folder; labels from the fixture (see module doc)."""
    from newsprism.data import fingerprint
    from newsprism.modelstore import save_model

    from .datasets import data_fingerprint

    labels_path = Path(req.options.get("labels") or os.environ.get(LABELS_ENV) or LABELS_PATH)
    labels = read_labels(labels_path)
    model, report = build(Path(req.data), labels)
    split = f"leave-one-part-out over the {len(label_parts(labels))} labelled parts, threshold nested"
    return save_model(
        model, req.out_dir, "credits", task="credits", labels=["credit"],
        training_data=f"{data_fingerprint(Path(req.data))} labels {fingerprint([labels_path])}",
        metrics={**metrics(report), "split": split},
        extra={"threshold": model.threshold, "lopo": report, **model.meta},
    )  # fmt: skip


def evaluate(req: Any) -> dict[str, Any]:
    """The nested leave-one-part-out figures (classifier alone and union with the rules) on the labelled parts."""
    labels = read_labels(req.options.get("labels"))
    ex = examples(labelled_texts(Path(req.data), labels), labels)
    report = nested_lopo(ex, vectorize(ex.feats)[0])
    return {"metrics": metrics(report), **report}
