"""Training and evaluation of the source stage (``newsprism train|evaluate source``).

Split (deterministic, ``seed``): 80 % train / 20 % held-out test, stratified by
data set and outlet. Everything that is tuned — the softmax temperature and the
abstention threshold — is tuned on the training side only: four leave-outlets-out
folds (each fold's model never sees a quarter of the outlets, nor a 20 % dev part
of the rest) give in-set and unknown-outlet scores to calibrate on. The held-out
test part is used for reporting only, and so are the test articles of each fold's
left-out outlets (the leave-outlets-out figure).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.tasks import EvalRequest, TrainRequest

from .datasets import Article, data_fingerprint, read_all
from .features import SourceFeatures
from .model import GATE_FEATURES, SourceModel, abstention_score, fit_temperature, gate_features, gate_score

log = logging.getLogger(__name__)

#: Linear SVM strength, chosen on the dev part of the training side.
C = 1.0
#: Non-zero weights kept after pruning (the model file stays well under 15 MB).
KEEP_WEIGHTS = 2_000_000
#: Highest share of unknown-outlet articles (calibration folds) allowed a confident, hence wrong, publisher.
UNKNOWN_WRONG_BUDGET = 0.09
FOLDS = 4
#: Byline evidence: the minimum counts tried for a name to be trusted (its model rank is tried from 1 to all).
BYLINE_MIN_COUNTS = (1, 2, 3)
#: Minimum counts tried for a house shape (houselines.py).
HOUSE_MIN_COUNTS = (2, 3, 5, 8)
#: The answer-or-abstain gate: boosted trees (scikit-learn's HistGradientBoostingClassifier) over
#: model.GATE_FEATURES, told apart right in-set answers from unknown-outlet ones on the calibration folds.
GATE_PARAMS = {"max_iter": 100, "learning_rate": 0.15, "max_leaf_nodes": 15, "min_samples_leaf": 40,
               "l2_regularization": 1.0, "early_stopping": False, "random_state": 0}
#: The outlet groups the gate knows (one-hot of the best class's group); other groups read as none of them.
GATE_GROUPS = ("allsides", "buzzfeed", "fakes")


def split(articles: Sequence[Article], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the train and held-out test parts (80/20, stratified by set and outlet)."""
    from sklearn.model_selection import train_test_split

    strata = [f"{a.dataset}|{a.label}" for a in articles]
    return train_test_split(np.arange(len(articles)), test_size=0.2, random_state=seed, stratify=strata)


def fit_model(texts: Sequence[str], labels: Sequence[str], features: SourceFeatures | None = None) -> SourceModel:
    return SourceModel(features, C=C, keep_weights=KEEP_WEIGHTS, random_state=0).fit(texts, labels)


def _outlet_folds(labels: Sequence[str], seed: int) -> list[set[str]]:
    outlets = sorted(set(labels))
    order = np.random.default_rng(seed).permutation(len(outlets))
    return [{outlets[i] for i in order[k::FOLDS]} for k in range(FOLDS)]


def calibrate(articles: Sequence[Article], train_idx: np.ndarray, seed: int) -> dict[str, Any]:
    """Leave-outlets-out folds on the training side: temperature, threshold, and the fold models."""
    rng = np.random.default_rng(seed + 1)
    dev_mask = rng.random(len(train_idx)) < 0.2
    labels = np.array([a.label for a in articles])
    texts = [a.text for a in articles]
    folds = []
    for unknown in _outlet_folds(labels[train_idx], seed):
        known = ~np.isin(labels[train_idx], list(unknown))
        fit_idx = train_idx[known & ~dev_mask]
        model = fit_model([texts[i] for i in fit_idx], labels[fit_idx])
        dev_idx = train_idx[known & dev_mask]
        unk_idx = train_idx[~known]
        dev_texts, unk_texts = [texts[i] for i in dev_idx], [texts[i] for i in unk_idx]
        dev_parts, unk_parts = model.block_decisions(dev_texts), model.block_decisions(unk_texts)
        folds.append(
            {
                "unknown": unknown,
                "model": model,
                "fit_idx": fit_idx,
                "dev_idx": dev_idx,
                "unk_idx": unk_idx,
                "dev": (labels[dev_idx], model.decision_from_blocks(dev_parts)),
                "unk": model.decision_from_blocks(unk_parts),
                "dev_parts": (dev_parts, _lengths(dev_texts)),
                "unk_parts": (unk_parts, _lengths(unk_texts)),
            }
        )
        log.info("fold: %d outlets left out, %d fit, %d dev, %d unknown", len(unknown), len(fit_idx),
                 len(dev_idx), len(unk_idx))
    temperature = fit_temperature([(f["dev"][1], np.searchsorted(f["model"].classes_, f["dev"][0])) for f in folds])
    groups = outlet_groups([articles[i] for i in train_idx])
    return {"temperature": temperature, **choose_threshold(folds, temperature, groups), "folds": folds,
            "groups": groups}


def calibration_views(articles: Sequence[Article], cal: dict[str, Any]) -> list[dict[str, Any]]:
    """Each calibration fold's stage answers before bylines and house shapes (see :func:`_fold_view`)."""
    return [_fold_view(articles, fold, set_abstention(fold["model"], cal, cal["groups"], gate=gate))
            for fold, gate in zip(cal["folds"], cal["fold_gates"], strict=True)]


def calibrate_bylines(articles: Sequence[Article], train_idx: np.ndarray,
                      views: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Byline evidence: which names to trust, and how far down the model's ranking a byline's outlet may sit.

    On each calibration fold a name table learned from the fold's fit part answers the fold's in-set dev and
    unknown-outlet articles (after self-naming, before the model with the fold's gate). Of the names' minimum
    counts and model ranks tried, the pair that keeps the most right dev answers while the unknown-outlet
    articles answered wrongly stay within the budget wins; its table is then learned from the whole training
    part. None when no training article has an author field.
    """
    from .bylines import learn_bylines

    if not any(articles[i].authors for i in train_idx):
        return None
    best, rows = _best_setting(views, BYLINE_MIN_COUNTS, lambda view, m: _byline_rows(articles, view, m), "byline")
    if not best or best["dev_answered_by_byline"] == 0:
        return None
    best["without_bylines"] = _evidence_figures(rows, 0, "byline")
    names = learn_bylines([articles[i].authors for i in train_idx], [articles[i].label for i in train_idx],
                          best["min_count"])
    return {"names": names, "top_k": best["top_k"], "precision": best["byline_precision"], "calibration": best}


def _best_setting(views: list[dict[str, Any]], min_counts: Sequence[int],
                  rows_for: Callable[[dict[str, Any], int], dict[str, Any]],
                  name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Of the minimum counts and model ranks tried, the pair keeping the most right dev answers while the
    unknown-outlet articles answered wrongly stay within the budget ({} if none), and the folds' rows at its count."""
    n_classes = min(len(v["classes"]) for v in views)
    best: dict[str, Any] = {}
    best_rows: list[dict[str, Any]] = []
    for min_count in min_counts:
        rows = [rows_for(view, min_count) for view in views]
        for top_k in range(1, n_classes + 1):
            figures = _evidence_figures(rows, top_k, name)
            if figures["unknown_wrong"] <= UNKNOWN_WRONG_BUDGET and figures["dev_right"] > best.get("dev_right", -1):
                best, best_rows = {"min_count": min_count, "top_k": top_k, **figures}, rows
    return best, best_rows


def _fold_view(articles: Sequence[Article], fold: dict[str, Any], model: SourceModel) -> dict[str, Any]:
    """A fold model's stage answers (self-naming, then the gated model) and class probabilities."""
    from .publishers import SelfNamer, load_table

    namer = SelfNamer(load_table())
    view: dict[str, Any] = {"classes": model.classes_.tolist(), "fit_idx": fold["fit_idx"]}
    for part in ("dev", "unk"):
        idx = fold[f"{part}_idx"]
        proba, best, confident = model.assess([articles[i].text for i in idx])
        named = [namer.find(articles[i].text.splitlines()) for i in idx]
        view[part] = {"idx": idx, "proba": proba, "named": [n is not None for n in named],
                      "stage": [n[0] if n else (view["classes"][b] if ok else None)
                                for n, b, ok in zip(named, best.tolist(), confident.tolist(), strict=True)]}
    return view


def _byline_rows(articles: Sequence[Article], view: dict[str, Any], min_count: int) -> dict[str, Any]:
    """Per dev and unknown article of a fold: label, stage answer, byline outlet and its rank by the model."""
    from .bylines import byline_outlet, learn_bylines

    fit = view["fit_idx"]
    names = learn_bylines([articles[i].authors for i in fit], [articles[i].label for i in fit], min_count)
    out = {}
    for part in ("dev", "unk"):
        p = view[part]
        outlets = [None if named else byline_outlet(names, articles[i].authors)
                   for i, named in zip(p["idx"], p["named"], strict=True)]
        out[part] = {"label": [articles[i].label for i in p["idx"]], "stage": p["stage"], "outlet": outlets,
                     "rank": _ranks(view["classes"], outlets, p["proba"])}
    return out


def _ranks(classes: list[str], outlets: list[str | None], proba: np.ndarray) -> np.ndarray:
    """How many classes the model ranks above each outlet (inf: no outlet, or one the model has no class for)."""
    return np.array([np.inf if o is None or o not in classes else int((row > row[classes.index(o)]).sum())
                     for o, row in zip(outlets, proba, strict=True)], dtype=float)


def calibrate_house(articles: Sequence[Article], train_idx: np.ndarray, views: list[dict[str, Any]],
                    bylines: dict[str, Any] | None) -> dict[str, Any] | None:
    """House-shape evidence (houselines.py), calibrated as the bylines are, on the same folds and after them.

    The stage reads a house shape after self-naming and bylines, before the model; of the shapes' minimum counts
    and model ranks tried, the pair keeping the most right dev answers while the unknown-outlet articles answered
    wrongly (bylines included) stay within the budget wins."""
    from .houselines import learn_house_shapes

    best, rows = _best_setting(views, HOUSE_MIN_COUNTS, lambda view, m: _house_rows(articles, view, m, bylines),
                               "house")
    if not best or best["dev_answered_by_house"] == 0:
        return None
    best["without_house"] = _evidence_figures(rows, 0, "house")
    text_only = [_house_rows(articles, view, best["min_count"], None) for view in views]
    best["text_only"] = {"with_house": _evidence_figures(text_only, best["top_k"], "house"),
                         "without_house": _evidence_figures(text_only, 0, "house")}
    shapes = learn_house_shapes([articles[i].text for i in train_idx], [articles[i].label for i in train_idx],
                                best["min_count"])
    return {"shapes": shapes, "top_k": best["top_k"], "precision": best["house_precision"], "calibration": best}


def _house_rows(articles: Sequence[Article], view: dict[str, Any], min_count: int,
                bylines: dict[str, Any] | None) -> dict[str, Any]:
    """Per dev and unknown article of a fold: label, stage answer with bylines, house outlet and its rank."""
    from .houselines import house_outlet, learn_house_shapes

    fit = view["fit_idx"]
    shapes = learn_house_shapes([articles[i].text for i in fit], [articles[i].label for i in fit], min_count)
    by_rows = _byline_rows(articles, view, bylines["calibration"]["min_count"]) if bylines else None
    out = {}
    for part in ("dev", "unk"):
        p = view[part]
        stage, taken = list(p["stage"]), list(p["named"])
        if by_rows is not None:
            r = by_rows[part]
            for j, (outlet, rank) in enumerate(zip(r["outlet"], r["rank"], strict=True)):
                if rank < bylines["top_k"]:
                    stage[j], taken[j] = outlet, True
        found = [None if done else house_outlet(shapes, articles[i].text)
                 for i, done in zip(p["idx"], taken, strict=True)]
        outlets = [f[0] if f else None for f in found]
        out[part] = {"label": [articles[i].label for i in p["idx"]], "stage": stage, "outlet": outlets,
                     "rank": _ranks(view["classes"], outlets, p["proba"])}
    return out


def _evidence_figures(rows: list[dict[str, Any]], top_k: int, name: str) -> dict[str, Any]:
    """Right dev answers and wrong unknown-outlet answers when an evidence's outlet is taken within ``top_k``."""
    dev_right = dev_n = unk_wrong = unk_n = by_answered = by_right = 0
    for r in rows:
        for part in ("dev", "unk"):
            p = r[part]
            for label, stage, outlet, rank in zip(p["label"], p["stage"], p["outlet"], p["rank"], strict=True):
                by = bool(rank < top_k)
                answer = outlet if by else stage
                if part == "dev":
                    dev_n += 1
                    dev_right += answer == label
                    by_answered += by
                    by_right += by and answer == label
                else:
                    unk_n += 1
                    unk_wrong += answer is not None and answer != label
    return {"dev_right": float(dev_right / max(dev_n, 1)), "unknown_wrong": float(unk_wrong / max(unk_n, 1)),
            f"dev_answered_by_{name}": int(by_answered), f"{name}_precision": float(by_right / max(by_answered, 1))}


def _lengths(texts: Sequence[str]) -> np.ndarray:
    return np.array([len(t or "") for t in texts], dtype=np.float64)


def gate_frame(model: SourceModel, groups: dict[str, str]) -> dict[str, Any]:
    """What the gate needs to know of a model besides its trees: the blocks it reads and each class's group."""
    features = model.features_
    blocks = [i for i, w in enumerate(features.weights[:4]) if w]
    if features.full_bits:
        blocks += [4 + k for k in range(len(features.full_ngrams))]
    class_group = [GATE_GROUPS.index(groups[c]) if groups.get(c) in GATE_GROUPS else len(GATE_GROUPS)
                   for c in model.classes_.tolist()]
    return {"blocks": blocks, "class_group": np.array(class_group, dtype=np.int64)}


def fit_gate(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Boosted trees telling right in-set answers (1) from unknown-outlet answers (0), packed for the stage.

    In-set wrong answers are left out: answering them or not changes no accuracy (an abstention counts as
    wrong), so only "right" against "unknown" matters to the trade the thresholds make.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    X = np.vstack([r["k_X"][r["right"]] for r in rows] + [r["u_X"] for r in rows])
    y = np.concatenate([np.ones(int(r["right"].sum()), int) for r in rows] + [np.zeros(len(r["u_X"]), int)
                                                                             for r in rows])
    with threadpool_limits(1):  # n_jobs=1: the machine is shared
        clf = HistGradientBoostingClassifier(**GATE_PARAMS).fit(X, y)
    packed = pack_trees(clf)
    # The packed trees must score as the classifier does (they replace it at prediction).
    np.testing.assert_allclose(gate_score(packed, X), clf.decision_function(X), rtol=1e-9, atol=1e-9)
    return packed


def pack_trees(clf: Any) -> dict[str, Any]:
    """A fitted binary HistGradientBoostingClassifier's trees in the form :func:`model.gate_score` reads.

    Per tree its split nodes (feature, threshold, and the mask of the leaves in its left subtree, cleared) and
    its leaf values left to right; trees have at most ``max_leaf_nodes`` (≤ 16) leaves, so a mask is 16 bits.
    """
    if GATE_PARAMS["max_leaf_nodes"] > 16:
        raise ValueError("the packed gate holds at most 16 leaves per tree")
    features, thresholds, masks, starts, leaf_values, leaf_starts = [], [], [], [], [], []
    for (tree,) in clf._predictors:
        nodes = tree.nodes
        leaves: list[int] = []
        splits: list[tuple[int, list[int]]] = []

        def walk(v: int, nodes=nodes, leaves=leaves, splits=splits) -> list[int]:
            if nodes["is_leaf"][v]:
                leaves.append(v)
                return [v]
            below_left = walk(int(nodes["left"][v]))
            below = below_left + walk(int(nodes["right"][v]))
            splits.append((v, below_left))
            return below

        walk(0)
        if not splits:
            raise ValueError("a gate tree without a split")
        place = {v: i for i, v in enumerate(leaves)}
        starts.append(len(features))
        for v, below_left in splits:
            features.append(int(nodes["feature_idx"][v]))
            thresholds.append(float(nodes["num_threshold"][v]))
            masks.append(0xFFFF & ~sum(1 << place[leaf] for leaf in below_left))
        leaf_starts.append(len(leaf_values))
        leaf_values += [float(nodes["value"][v]) for v in leaves]
    return {
        "feature": np.array(features, dtype=np.int32),
        "threshold": np.array(thresholds, dtype=np.float64),
        "mask": np.array(masks, dtype=np.uint16),
        "starts": np.array(starts, dtype=np.int64),
        "leaf_value": np.array(leaf_values, dtype=np.float64),
        "leaf_start": np.array(leaf_starts, dtype=np.int64),
        "baseline": float(np.ravel(clf._baseline_prediction)[0]),
        "features": list(GATE_FEATURES),
    }


def _fold_rows(fold: dict[str, Any], temperature: float, groups: dict[str, str]) -> dict[str, Any]:
    """One fold's in-set dev and unknown-outlet rows: rightness, best class's group, gate features."""
    model: SourceModel = fold["model"].set_params(temperature=temperature)
    labels, decision = fold["dev"]
    proba, unk_proba = model.proba_from_decision(decision), model.proba_from_decision(fold["unk"])
    best = model.classes_[proba.argmax(axis=1)]
    frame = gate_frame(model, groups)
    (dev_parts, dev_len), (unk_parts, unk_len) = fold["dev_parts"], fold["unk_parts"]
    return {
        "right": best == labels,
        "k_group": np.array([groups[c] for c in best]),
        "u_group": np.array([groups[c] for c in model.classes_[unk_proba.argmax(axis=1)]]),
        "k_scores": {kind: abstention_score(decision, proba, kind) for kind in ("proba", "decision", "margin")},
        "u_scores": {kind: abstention_score(fold["unk"], unk_proba, kind) for kind in ("proba", "decision", "margin")},
        "k_X": gate_features(dev_parts, decision, proba, dev_len, frame),
        "u_X": gate_features(unk_parts, fold["unk"], unk_proba, unk_len, frame),
    }


def choose_threshold(folds: list[dict[str, Any]], temperature: float, groups: dict[str, str]) -> dict[str, Any]:
    """The abstention score and per-group thresholds that keep answers on unknown outlets within budget.

    For each score kind, one threshold per group of outlets (the data set an outlet comes from: its
    articles read alike) is chosen to keep the most correct in-set answers while the unknown-outlet
    articles answered stay within the budget overall; the kind that keeps the most correct answers wins.
    The kinds: top softmax probability, top SVM value, margin, and the learned gate, cross-fitted — each
    fold's rows are scored by a gate fitted on the other folds' rows only, and the thresholds are chosen on
    those out-of-fold scores; the gate the model ships is then fitted on all folds' rows.
    """
    rows = [_fold_rows(fold, temperature, groups) for fold in folds]
    oof_gates = [fit_gate([r for j, r in enumerate(rows) if j != k]) for k in range(len(rows))]
    for r, gate in zip(rows, oof_gates, strict=True):
        r["k_scores"]["gate"], r["u_scores"]["gate"] = gate_score(gate, r["k_X"]), gate_score(gate, r["u_X"])
    k_right = np.concatenate([r["right"] for r in rows])
    k_grp, u_grp = np.concatenate([r["k_group"] for r in rows]), np.concatenate([r["u_group"] for r in rows])
    options = {}
    for kind in ("proba", "decision", "margin", "gate"):
        k_score = np.concatenate([r["k_scores"][kind] for r in rows])
        u_score = np.concatenate([r["u_scores"][kind] for r in rows])
        thresholds = group_thresholds(k_score, k_right, k_grp, u_score, u_grp, UNKNOWN_WRONG_BUDGET)
        k_cut = np.array([thresholds[g] for g in k_grp]) if len(k_grp) else np.zeros(0)
        u_cut = np.array([thresholds[g] for g in u_grp]) if len(u_grp) else np.zeros(0)
        options[kind] = {
            "thresholds": thresholds,
            "known_accuracy": float(np.mean(k_right & (k_score >= k_cut))),
            "known_accuracy_without_abstention": float(np.mean(k_right)),
            "unknown_answered": float(np.mean(u_score >= u_cut)),
        }
    best = max(options, key=lambda kind: options[kind]["known_accuracy"])
    gate = fit_gate(rows) if best == "gate" else None
    return {"kind": best, "thresholds": options[best]["thresholds"], "options": options, "gate": gate,
            "fold_gates": oof_gates}


def group_thresholds(k_score: np.ndarray, k_right: np.ndarray, k_group: np.ndarray, u_score: np.ndarray,
                     u_group: np.ndarray, budget: float) -> dict[str, float]:
    """Per-group thresholds maximising correct in-set answers with at most ``budget`` of unknowns answered.

    A Lagrangian search: for a price λ on each unknown answered, every group independently takes the
    threshold maximising (correct known answered − λ · unknown answered); the cheapest λ within budget wins.
    """
    names = sorted(set(k_group.tolist()) | set(u_group.tolist()))
    table = {}
    for g in names:
        ks, kr, us = k_score[k_group == g], k_right[k_group == g], np.sort(u_score[u_group == g])
        cuts = np.unique(np.concatenate([ks, us, [np.inf]]))
        right_sorted = np.sort(ks[kr])
        gain = len(right_sorted) - np.searchsorted(right_sorted, cuts, side="left")
        cost = len(us) - np.searchsorted(us, cuts, side="left")
        table[g] = (cuts, gain, cost)
    allowed = budget * len(u_score)
    best: tuple[float, dict[str, int]] = (-1.0, {g: len(table[g][0]) - 1 for g in names})
    for price in np.concatenate([[0.0], np.geomspace(0.01, 1000, 400)]):
        pick = {g: int(np.argmax(gain - price * cost)) for g, (cuts, gain, cost) in table.items()}
        spent = sum(table[g][2][i] for g, i in pick.items())
        earned = sum(table[g][1][i] for g, i in pick.items())
        if spent <= allowed and earned > best[0]:
            best = (float(earned), pick)
    pick = _spend_rest(table, dict(best[1]), allowed)
    # A group that should never answer gets a threshold no score reaches (JSON has no infinity).
    return {g: float(min(table[g][0][i], 1e9)) for g, i in pick.items()}


def _spend_rest(table: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], pick: dict[str, int],
                allowed: float) -> dict[str, int]:
    """Lower thresholds while budget is left: the price steps of the Lagrangian search leave some unspent."""
    while True:
        left = allowed - sum(table[g][2][i] for g, i in pick.items())
        moves = []
        for g, (_cuts, gain, cost) in table.items():
            i = pick[g]
            fits = np.flatnonzero(cost[:i] - cost[i] <= left)  # lower cuts answer more: gain and cost grow
            if len(fits):
                j = fits[np.argmax(gain[fits] - 1e-6 * cost[fits])]
                moves.append((gain[j] - gain[i], g, int(j)))
        if not moves or max(moves)[0] <= 0:
            return pick
        _, g, j = max(moves)
        pick[g] = j


def outlet_groups(articles: Sequence[Article]) -> dict[str, str]:
    """Each outlet's group: the data set most of its articles come from."""
    from collections import Counter

    counts = Counter((a.label, a.dataset) for a in articles)
    groups: dict[str, str] = {}
    for (label, dataset), _n in sorted(counts.items(), key=lambda kv: -kv[1]):
        groups.setdefault(label, dataset)
    return groups


def set_abstention(model: SourceModel, cal: dict[str, Any], groups: dict[str, str],
                   gate: dict[str, Any] | None = None) -> SourceModel:
    """Give a model the calibrated temperature, score kind, per-class thresholds (its group's) and gate.

    ``gate``: other packed trees than the calibrated gate (a fold's out-of-fold gate, for the leave-outlets-out
    figure).
    """
    thresholds = cal["thresholds"]
    trees = gate if gate is not None else cal.get("gate")
    return model.set_params(
        temperature=cal["temperature"],
        abstain_on=cal["kind"],
        class_thresholds={str(c): float(thresholds.get(groups[c], np.inf)) for c in model.classes_},
        threshold=float(min(thresholds.values())),
        gate={**trees, **gate_frame(model, groups)} if cal["kind"] == "gate" else None,
    )


def train(req: TrainRequest) -> dict[str, Any]:
    """Train on the shared sets (or a labelled file), calibrate abstention, save with held-out metrics."""
    from newsprism.modelstore import save_model

    articles, fingerprint = _load(req.data)
    train_idx, test_idx = split(articles, req.seed)
    cal = calibrate(articles, train_idx, req.seed)
    texts = [a.text for a in articles]
    labels = [a.label for a in articles]
    model = set_abstention(fit_model([texts[i] for i in train_idx], [labels[i] for i in train_idx]), cal,
                           cal["groups"])
    views = calibration_views(articles, cal)
    bylines = calibrate_bylines(articles, train_idx, views)
    house = calibrate_house(articles, train_idx, views, bylines)
    model.set_params(bylines=None if bylines is None else {k: bylines[k] for k in ("names", "top_k", "precision")},
                     house=None if house is None else {k: house[k] for k in ("shapes", "top_k", "precision")})
    metrics = held_out_metrics(model, articles, test_idx)
    metrics["leave_outlets_out"] = leave_outlets_out(cal, articles, test_idx, bylines, house)
    manifest = save_model(
        model,
        req.out_dir,
        "source",
        task="source",
        labels=[str(c) for c in model.classes_],
        training_data=fingerprint,
        metrics=metrics,
        extra={
            "split": {"seed": req.seed, "test_size": 0.2, "stratify": "dataset|outlet", "n_test": len(test_idx)},
            "abstention": {"temperature": cal["temperature"], "score": cal["kind"], "thresholds": cal["thresholds"],
                           "groups": "the data set most of an outlet's articles come from",
                           "unknown_wrong_budget": UNKNOWN_WRONG_BUDGET, "folds": FOLDS,
                           "gate": {"params": GATE_PARAMS, "features": list(GATE_FEATURES),
                                    "trees": len(cal["gate"]["starts"]) if cal.get("gate") else 0,
                                    "fitted_on": "right in-set dev answers against unknown-outlet answers of the "
                                                 f"{FOLDS} calibration folds; thresholds on out-of-fold scores"},
                           "calibration": cal["options"]},
            "bylines": None if bylines is None else {
                "names": len(bylines["names"]), "top_k": bylines["top_k"], "precision": bylines["precision"],
                "min_count": bylines["calibration"]["min_count"], "calibration": bylines["calibration"],
                "taken": "after URL, sitename and self-naming, when the model ranks the byline's outlet in its "
                         "top_k"},
            "house": None if house is None else {
                "shapes": len(house["shapes"]), "top_k": house["top_k"], "precision": house["precision"],
                "min_count": house["calibration"]["min_count"], "calibration": house["calibration"],
                "taken": "after self-naming and bylines, when the model ranks the shape's outlet in its top_k"},
            "command": f"newsprism train source {req.data} --seed {req.seed}",
        },
        compress=0,  # the packed weights barely compress (10.8 vs 7.9 MB) and load 5x faster uncompressed
    )
    return manifest


def _load(data: Path) -> tuple[list[Article], str]:
    from newsprism.data import fingerprint, read_labelled

    data = Path(data)
    if data.is_dir():
        return read_all(data), data_fingerprint(data)
    from .publishers import load_table

    table = load_table()
    rows = read_labelled(data)
    articles = [
        Article(str(r.get("id") or i), "file", r["text"], table.canonical(r["label"]) or r["label"], r.get("url"),
                r.get("title"), r.get("author") or r.get("authors") or None)
        for i, r in enumerate(rows)
    ]
    return articles, fingerprint([data])


def stage_predictions(model: SourceModel, articles: Sequence[Article], forced: bool = False,
                      bylines: bool = False) -> list[str | None]:
    """What the stage answers without a URL: self-naming first, then (``bylines``) the articles' authors, then the
    house shapes, then the model (``forced``: no abstention)."""
    from .publishers import SelfNamer, load_table

    namer = SelfNamer(load_table())
    if not articles:
        return []
    proba, best, confident = model.assess([a.text for a in articles])
    classes = [str(c) for c in model.classes_]
    out: list[str | None] = []
    for article, row, b, ok in zip(articles, proba, best.tolist(), confident.tolist(), strict=True):
        named = namer.find(article.text.splitlines())
        by = model.byline_answer(article.authors, row) if bylines and not named else None
        house = model.house_answer(article.text, row) if not (named or by) else None
        out.append(named[0] if named else by or (house[0] if house else None) or (classes[b] if ok or forced else None))
    return out


def held_out_metrics(model: SourceModel, articles: Sequence[Article], test_idx: np.ndarray) -> dict[str, Any]:
    from newsprism.evaluation import classification_report

    test = [articles[i] for i in test_idx]
    preds = stage_predictions(model, test)
    forced = stage_predictions(model, test, forced=True)
    with_bylines = stage_predictions(model, test, bylines=True)
    metrics: dict[str, Any] = {"split": "held-out 20% (stratified by set and outlet), text only, no URL; "
                                        "*_with_bylines: text and the set's author field"}
    for dataset in ("allsides", "fakes", "buzzfeed", "file"):
        rows = [(a.label, p, f, b) for a, p, f, b in zip(test, preds, forced, with_bylines, strict=True)
                if a.dataset == dataset]
        if rows:
            y, p, f, b = zip(*rows, strict=True)
            report = classification_report(y, p, sorted(set(y)))
            wrong = sum(x is not None and x != t for t, x in zip(y, p, strict=True))
            metrics[dataset] = {**report["metrics"], "abstained": sum(x is None for x in p),
                                "wrong_publisher_share": wrong / len(y),
                                "accuracy_forced": sum(t == x for t, x in zip(y, f, strict=True)) / len(y),
                                "accuracy_with_bylines": sum(t == x for t, x in zip(y, b, strict=True)) / len(y),
                                "wrong_publisher_share_with_bylines":
                                    sum(x is not None and x != t for t, x in zip(y, b, strict=True)) / len(y)}
    return metrics


def leave_outlets_out(cal: dict[str, Any], articles: Sequence[Article], test_idx: np.ndarray,
                      bylines: dict[str, Any] | None = None, house: dict[str, Any] | None = None) -> dict[str, Any]:
    """Held-out articles of outlets a fold's model never saw: share given a wrong publisher (not null).

    With ``house`` (calibrated), each fold's shapes are learned from its own fit part. With ``bylines``, also the
    share when the articles' authors are read too, each fold's names learned from its own fit part."""
    from .bylines import learn_bylines
    from .houselines import learn_house_shapes

    wrong = wrong_by = total = 0
    for k, fold in enumerate(cal["folds"]):
        # A fold's unknown outlets must be unknown to the gate as well: the gate fitted without its rows.
        model = set_abstention(fold["model"], cal, cal["groups"], gate=cal["fold_gates"][k])
        fit = fold["fit_idx"]
        model.set_params(bylines=None, house=None if house is None else {
            "shapes": learn_house_shapes([articles[i].text for i in fit], [articles[i].label for i in fit],
                                         house["calibration"]["min_count"]),
            "top_k": house["top_k"], "precision": house["precision"]})
        unseen = [articles[i] for i in test_idx if articles[i].label in fold["unknown"]]
        preds = stage_predictions(model, unseen)
        wrong += sum(p is not None and p != a.label for a, p in zip(unseen, preds, strict=False))
        total += len(unseen)
        if bylines is not None:
            names = learn_bylines([articles[i].authors for i in fit], [articles[i].label for i in fit],
                                  bylines["calibration"]["min_count"])
            model.set_params(bylines={"names": names, "top_k": bylines["top_k"], "precision": bylines["precision"]})
            preds = stage_predictions(model, unseen, bylines=True)
            wrong_by += sum(p is not None and p != a.label for a, p in zip(unseen, preds, strict=False))
    out = {"n": total, "wrong_publisher_share": wrong / max(total, 1),
           "split": f"held-out 20% articles of outlets left out of training, {FOLDS} outlet folds"}
    if bylines is not None:
        out["wrong_publisher_share_with_bylines"] = wrong_by / max(total, 1)
    return out


def evaluate(req: EvalRequest) -> dict[str, Any]:
    """Report on the held-out test part of the shared sets (model's own split seed), or on a labelled file."""
    from newsprism.evaluation import classification_report, plot_confusion
    from newsprism.modelstore import load_model

    model, manifest = load_model(req.model or "source", trusted=req.trusted)
    articles, _ = _load(req.data)
    if Path(req.data).is_dir():
        _, test_idx = split(articles, int(manifest.get("split", {}).get("seed", 0)))
        articles = [articles[i] for i in test_idx]
    preds = stage_predictions(model, articles)
    labels = sorted({a.label for a in articles})
    report = classification_report([a.label for a in articles], preds, labels)
    report["metrics"]["abstained"] = sum(p is None for p in preds)
    forced = stage_predictions(model, articles, forced=True)
    report["metrics"]["accuracy_forced"] = float(np.mean([a.label == f for a, f in zip(articles, forced, strict=True)]))
    with_bylines = stage_predictions(model, articles, bylines=True)
    report["metrics"]["accuracy_with_bylines"] = float(np.mean([a.label == b for a, b in zip(articles, with_bylines,
                                                                                               strict=True)]))
    report["per_dataset"] = {}
    for dataset in sorted({a.dataset for a in articles}):
        rows = [(a.label, p, b) for a, p, b in zip(articles, preds, with_bylines, strict=True) if a.dataset == dataset]
        y, p, b = zip(*rows, strict=True)
        report["per_dataset"][dataset] = classification_report(y, p, sorted(set(y)))["metrics"]
        report["per_dataset"][dataset]["accuracy_with_bylines"] = float(np.mean([t == x for t, x in zip(y, b,
                                                                                                       strict=True)]))
    report["split"] = "held-out test part (model's split seed)" if Path(req.data).is_dir() else str(req.data)
    if req.plot:
        plot_confusion(report, req.plot, title="source: publisher (held-out)")
    return report
