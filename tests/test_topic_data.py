"""Topic stage on the shared data: assembly, held-out evaluation, and training a user's own taxonomy.

Every test here needs ../shared/data and skips without it. Training runs on small subsets only.
"""

from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from newsprism.document import Document
from newsprism.plugins.topic import assemble as asm
from newsprism.plugins.topic.processor import TopicProcessor
from newsprism.plugins.topic.train import evaluate, train
from newsprism.tasks import EvalRequest, TrainRequest


def test_bbc_duplicates_are_dropped_before_splitting(shared_data):
    _, rows = asm._read_bbc(shared_data / "bbc-news")
    # 133 exact duplicate bodies, and 4 more that differ only in case or spacing.
    assert len(rows) == 2225 - 133 - 4
    assert len({asm._key(text.split("\n", 1)[1]) for text, _ in rows}) == len(rows)


def test_taxonomy_has_the_17_top_level_topics(shared_data):
    codes = asm.read_taxonomy(shared_data)
    assert len(codes) == 17
    assert codes["conflict, war and peace"] == "medtop:16000000" and codes["sport"] == "medtop:15000000"


def test_mapping_lists_every_allsides_topic_in_the_data(shared_data):
    with gzip.open(shared_data / "allsides-article-bias/articles_subset.jsonl.gz", "rt", encoding="utf-8") as handle:
        topics = {json.loads(line)["topic"] for line in handle if line.strip()}
    listed = asm.load_mapping()["sets"]["allsides-article-bias"]["labels"]
    assert topics <= set(listed), sorted(topics - set(listed))


def test_assembled_set_is_deduplicated_and_mapped(shared_data):
    examples, files = asm.assemble(shared_data)
    assert all(path.is_file() for path in files)
    assert len({asm._key(ex.text) for ex in examples}) == len(examples)
    by_origin = Counter((ex.origin, ex.label) for ex in examples)
    assert {label for origin, label in by_origin if origin == "fa-kes"} == {"conflict, war and peace"}
    assert {origin for origin, _ in by_origin} == set(asm.SETS)


def test_shipped_model_on_its_held_out_split(shared_data, tmp_path):
    plot = tmp_path / "confusion.png"
    report = evaluate(EvalRequest(data=shared_data, plot=plot))
    assert "held-out" in report["split"]
    # Same split as training: the figures match the manifest's.
    assert report["metrics"]["macro_f1"] >= 0.85
    assert set(report["per_class"]) == set(report["confusion"]["labels"])
    assert plot.stat().st_size > 1000


def _bbc_subset(shared_data: Path, per_class: int, phase: int) -> list[dict]:
    """Every 5th BBC article of three classes, starting at ``phase`` (BBC files are grouped by sub-topic)."""
    # Custom labels, not IPTC names: the model must learn and serve whatever the user gives it.
    names = {"business": "money", "sport": "games", "tech": "gadgets"}
    _, rows = asm._read_bbc(shared_data / "bbc-news")
    seen: Counter = Counter()
    taken: Counter = Counter()
    out = []
    for text, label in rows:
        if label in names:
            seen[label] += 1
            if seen[label] % 5 == phase and taken[label] < per_class:
                taken[label] += 1
                out.append({"text": text, "label": names[label]})
    return out


def _write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "label"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def user_model(shared_data, tmp_path_factory) -> tuple[Path, dict]:
    """A model for three custom labels, trained once on 30 BBC articles per label."""
    folder = tmp_path_factory.mktemp("topic_user")
    train_file = _write_csv(folder / "train.csv", _bbc_subset(shared_data, 30, 0))
    out = folder / "model"
    return out, train(TrainRequest(data=train_file, out_dir=out))


def test_own_taxonomy_train_serve_evaluate(shared_data, user_model, tmp_path):
    out, manifest = user_model
    assert manifest["labels"] == ["gadgets", "games", "money"] and manifest["codes"] == {}
    assert manifest["taxonomy"] == "custom"

    proc = TopicProcessor({"model": str(out / "topic.joblib"), "trusted": [out]})
    docs = [Document(id=str(i), raw=row["text"]) for i, row in enumerate(_bbc_subset(shared_data, 5, 2))]
    proc.ensure_setup()
    proc.process_batch(docs)
    assert {doc.predictions["topic"].label for doc in docs} <= {"gadgets", "games", "money"}
    assert all(doc.predictions["topic"].extra == {"code": None} for doc in docs)

    test_file = _write_csv(tmp_path / "test.csv", _bbc_subset(shared_data, 20, 1))
    report = evaluate(EvalRequest(data=test_file, model=out / "topic.joblib", trusted=[out]))
    assert report["metrics"]["n"] == 60 and report["metrics"]["accuracy"] >= 0.85


def test_cli_evaluates_a_user_model(shared_data, user_model, tmp_path):
    out, _ = user_model
    test_file = tmp_path / "test.jsonl"
    test_file.write_text("".join(json.dumps(r) + "\n" for r in _bbc_subset(shared_data, 10, 1)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "newsprism", "evaluate", "topic", str(test_file), "--model", str(out / "topic.joblib"),
         "--trust", str(out), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["metrics"]["n"] == 30 and set(report["per_class"]) == {"gadgets", "games", "money"}
