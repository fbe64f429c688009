"""Training and evaluation for the stance task (``newsprism train|evaluate stance DATA``).

Splits are by body: the FNC-1 baseline's hold-out (20% of Body IDs, seed
1489215) is never used for training or tuning; hyper-parameters are chosen on a
dev split of 10% of the *training* bodies, then the model is refit on all
training bodies and scored once on the hold-out.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np

from . import data as D
from .model import LABELS, StanceModel, decide

#: Candidate settings tried on the dev split (kept small: the machine is shared).
CANDIDATES: tuple[dict[str, Any], ...] = (
    {"max_iter": 150, "learning_rate": 0.1, "related_weights": (1.0, 3.0, 1.0)},
    {"max_iter": 150, "learning_rate": 0.1, "related_weights": (1.0, 3.0, 1.0), "term_weight": 0.5},
    {"max_iter": 150, "learning_rate": 0.1, "term_weight": 0.5},
    {"max_iter": 300, "learning_rate": 0.05, "related_weights": (1.0, 3.0, 1.0), "term_weight": 0.5},
)
DEV_SHARE = 0.1


def fnc_score(y_true: Any, y_pred: Any) -> float:
    """FNC-1 score as a share of the best possible: 0.25 per right related/unrelated call, +0.75 per right stance."""
    y = np.asarray(y_true, dtype=object)
    p = np.asarray(y_pred, dtype=object)
    related_ok = (y == "unrelated") == (p == "unrelated")
    score = 0.25 * related_ok + 0.75 * ((y != "unrelated") & (y == p))
    best = np.where(y == "unrelated", 0.25, 1.0)
    return float(score.sum() / best.sum()) if len(y) else 0.0


def load_split(path: Path, part: str) -> tuple[D.Pairs, str]:
    """``part`` ("train", "holdout" or "all") of the data at ``path``, and a description of it."""
    path = Path(path)
    files = D.fnc_files(path) if path.is_dir() else None
    if path.is_dir() and files is None:
        raise D.DataError(f"{path}: no FNC-1 files (*_bodies.csv + *_stances.csv) here or in {path / 'fnc-1'}")
    if files:
        pairs, ids = D.read_fnc(*files)
        name = f"FNC-1 {files[1].name}"
    else:
        pairs = D.read_generic(path)
        ids, name = D.unique_groups(pairs), path.name
    if part == "all":
        return pairs, f"{name}: all {len(pairs)} pairs"
    train_ids, held_ids = D.holdout_split(ids)
    if part == "train":
        # FNC-1 has a few identical bodies under two ids; keep held-out texts out of training entirely.
        held_texts = set(pairs.subset(held_ids).bodies)
        pairs_ = zip(pairs.groups, pairs.bodies, strict=True)
        train_ids = {g for g, b in pairs_ if g in train_ids and b not in held_texts}
    chosen = pairs.subset(train_ids if part == "train" else held_ids)
    share = "80% training" if part == "train" else "20% held-out"
    return chosen, (
        f"{name}: {share} bodies of the body-id split (seed {D.HOLDOUT_SEED}, as fnc-1-baseline), "
        f"{len(chosen)} pairs, {len(set(chosen.groups))} bodies"
    )


def _metrics(y_true: list[str], y_pred: Any) -> dict[str, Any]:
    from newsprism.evaluation import classification_report

    report = classification_report(y_true, [str(p) for p in y_pred], list(LABELS))
    report["metrics"]["fnc_score"] = fnc_score(y_true, y_pred)
    report["metrics"] = {"fnc_score": report["metrics"].pop("fnc_score"), **report["metrics"]}
    for label, row in report["per_class"].items():
        report["metrics"][f"f1_{label}"] = row["f1"]
    return report


def tune(train: D.Pairs, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The candidate with the best mean of FNC score and macro-F1 on a dev split of the training bodies."""
    groups = D.unique_groups(train)
    random.Random(seed).shuffle(groups)
    dev_ids = set(groups[: max(1, int(DEV_SHARE * len(groups)))])
    fit, dev = train.subset(set(groups) - dev_ids), train.subset(dev_ids)
    base = StanceModel().fit_idf(fit.pairs)
    X_fit, X_dev = base.parse(fit.pairs), base.parse(dev.pairs)
    trials = []
    for params in CANDIDATES:
        model = StanceModel(random_state=seed, **params)
        model.featurizer_ = base.featurizer_
        model.fit(fit.pairs, fit.labels, features=X_fit)
        m = _metrics(dev.labels, decide(model.predict_proba_features(X_dev)))["metrics"]
        trials.append({"params": params, "dev_fnc_score": m["fnc_score"], "dev_macro_f1": m["macro_f1"]})
    best = max(trials, key=lambda t: t["dev_fnc_score"] + t["dev_macro_f1"])
    return dict(best["params"]), trials


def train(request: Any) -> dict[str, Any]:
    """Tune on dev, refit on the training bodies, score the hold-out once, save ``stance``."""
    from threadpoolctl import threadpool_limits

    # One thread: the machine is shared, and boosting on ~40k rows gains little from more.
    with threadpool_limits(limits=int(request.options.get("threads", 1))):
        return _train(request)


def _train(request: Any) -> dict[str, Any]:
    from newsprism.data import fingerprint
    from newsprism.modelstore import save_model

    train_part, train_desc = load_split(request.data, "train")
    held, held_desc = load_split(request.data, "holdout")
    if request.options.get("tune", True):
        params, trials = tune(train_part, request.seed)
    else:
        params, trials = dict(CANDIDATES[0]), []
    params.update(request.options.get("params", {}))
    model = StanceModel(random_state=request.seed, **params).fit(train_part.pairs, train_part.labels)
    report = _metrics(held.labels, model.predict(held.pairs))
    metrics = {"split": held_desc, **{k: round(float(v), 4) for k, v in report["metrics"].items()}}
    return save_model(
        model,
        request.out_dir,
        "stance",
        task="stance",
        labels=LABELS,
        training_data=fingerprint(train_part.files),
        metrics=metrics,
        extra={
            "trained_on": train_desc,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
            "dev_trials": trials,
            "confusion": report["confusion"],
            "reproduce": "newsprism train stance ../shared/data",
        },
    )


def evaluate(request: Any) -> dict[str, Any]:
    """Score a model: FNC-1 training files -> the body-id hold-out; any other FNC folder or file -> all pairs."""
    from threadpoolctl import threadpool_limits

    from newsprism.modelstore import load_model

    model, manifest = load_model(request.model or "stance", trusted=request.trusted)
    path = Path(request.data)
    files = D.fnc_files(path) if path.is_dir() else None
    part = request.options.get("split") or ("holdout" if files and files[0].name.startswith("train_") else "all")
    pairs, desc = load_split(path, part)
    with threadpool_limits(limits=1):
        report = _metrics(pairs.labels, model.predict(pairs.pairs))
    report["split"] = desc
    report["model_sha256"] = manifest.get("sha256")
    if request.plot:
        from newsprism.evaluation import plot_confusion

        plot_confusion(report, request.plot, title=f"stance, {part} pairs (n={len(pairs)})")
    return report
