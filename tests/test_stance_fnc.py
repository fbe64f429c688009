"""Stance on FNC-1 (needs ../shared/data): the body-id split, the shipped model's held-out score, small trainings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from newsprism.modelstore import load_model
from newsprism.plugins.stance import data as D
from newsprism.plugins.stance.train import evaluate, fnc_score, load_split, train
from newsprism.tasks import EvalRequest, TrainRequest


@pytest.fixture(scope="module")
def fnc(shared_data):
    files = D.fnc_files(shared_data)
    if files is None:
        pytest.skip("FNC-1 files are absent from the shared data")
    return D.read_fnc(*files)


def test_fnc_pairs_join_bodies_on_body_id(fnc):
    pairs, ids = fnc
    assert len(pairs) == 49972 and len(ids) == 1683
    assert set(pairs.labels) == {"agree", "disagree", "discuss", "unrelated"}
    assert set(pairs.groups) <= set(ids)


def test_holdout_is_20_percent_of_bodies_disjoint_and_deterministic(fnc, shared_data):
    pairs, ids = fnc
    train_ids, held_ids = D.holdout_split(ids)
    assert not train_ids & held_ids and train_ids | held_ids == set(ids)
    assert len(held_ids) == len(ids) - int(0.8 * len(ids))
    assert D.holdout_split(ids) == (train_ids, held_ids)
    # A few bodies appear under two ids, some on both sides; training drops those, so no held-out text is seen.
    train_part, held = load_split(shared_data, "train")[0], load_split(shared_data, "holdout")[0]
    assert not set(held.bodies) & set(train_part.bodies)
    assert set(held.groups) == held_ids and set(train_part.groups) <= train_ids
    assert len(set(train_part.groups)) >= len(train_ids) - 10


def test_shipped_model_meets_the_targets_on_the_held_out_bodies(shared_data):
    report = evaluate(EvalRequest(data=shared_data))
    assert "20% held-out bodies" in report["split"]
    assert report["metrics"]["n"] == len(load_split(shared_data, "holdout")[0])
    assert report["metrics"]["fnc_score"] >= 0.85
    assert report["metrics"]["macro_f1"] >= 0.60
    assert report["per_class"]["unrelated"]["f1"] >= 0.95
    assert sum(map(sum, report["confusion"]["matrix"])) == report["metrics"]["n"]


def _write_generic(path: Path, pairs: D.Pairs, limit: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "claim", "label"])
        for i, (claim, body, label) in enumerate(zip(pairs.claims, pairs.bodies, pairs.labels, strict=False)):
            if i == limit:
                break
            writer.writerow([i, body, claim, label])
    return path


def test_a_generic_labelled_file_is_evaluated_whole(shared_data, tmp_path):
    held, _ = load_split(shared_data, "holdout")
    path = _write_generic(tmp_path / "pairs.csv", held, 400)
    report = evaluate(EvalRequest(data=path))
    assert report["metrics"]["n"] == 400 and "all 400 pairs" in report["split"]
    assert report["metrics"]["fnc_score"] > 0.7


def test_training_on_a_small_generic_file_learns_relatedness(shared_data, tmp_path):
    train_part, _ = load_split(shared_data, "train")
    small = train_part.subset(D.unique_groups(train_part)[:160])
    path = _write_generic(tmp_path / "small.csv", small, len(small))
    options = {"tune": False, "params": {"max_iter": 40}}
    manifest = train(TrainRequest(data=path, out_dir=tmp_path / "model", options=options))
    assert manifest["metrics"]["split"].startswith("small.csv: 20% held-out bodies")
    model, _ = load_model(tmp_path / "model" / "stance.joblib", trusted=[tmp_path / "model"])
    held, _ = load_split(shared_data, "holdout")
    sample = held.subset(D.unique_groups(held)[:60])
    predicted = model.predict(sample.pairs)
    # Chance would be ~0.25-0.4; relatedness alone is learnt from a few thousand pairs.
    assert fnc_score(sample.labels, predicted) > 0.6
