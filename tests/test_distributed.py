"""Parallel and distributed runs produce exactly the records of a serial run."""

from __future__ import annotations

import json

import pytest
from clirunner import records, run_cli


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir):
    """The seeds plus 300 JSON Lines records cut from them: enough for several batches."""
    folder = tmp_path_factory.mktemp("corpus")
    paragraphs = [p for f in sorted(seeds_dir.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")]
    with open(folder / "cut.jsonl", "w", encoding="utf-8") as handle:
        for i in range(300):
            text = "\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(6))
            handle.write(json.dumps({"id": f"cut-{i}", "text": text}) + "\n")
    return [str(seeds_dir), str(folder / "cut.jsonl")]


@pytest.fixture(scope="module")
def serial(corpus):
    result = run_cli("classify", *corpus, "--batch-size", "16")
    assert result.returncode in (0, 1), result.stderr
    return records(result.stdout)


def test_two_processes_match_serial(corpus, serial):
    assert records(run_cli("classify", *corpus, "--batch-size", "16", "--jobs", "2").stdout) == serial


def test_unordered_has_the_same_records_in_some_order(corpus, serial):
    out = records(run_cli("classify", *corpus, "--batch-size", "16", "--jobs", "2", "--unordered").stdout)
    key = lambda r: (r["path"], r["id"])  # noqa: E731
    assert sorted(out, key=key) == sorted(serial, key=key)


def test_local_dask_cluster_matches_serial(corpus, serial):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        result = run_cli("classify", *corpus, "--batch-size", "16", "--dask", cluster.scheduler_address)
    assert result.returncode in (0, 1), result.stderr
    assert records(result.stdout) == serial
    assert len(serial) == 305


def test_timeout_holds_on_dask_worker_threads():
    """Dask runs tasks in worker threads, which cannot take SIGALRM; the time budget must hold there too."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    from pipeline_fixtures import SpinsOnSlow

    from newsprism import Engine

    engine = Engine([SpinsOnSlow], timeout=1.0, batch_size=4)
    texts = ["a quick one", "a slow one", "another quick one"]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        docs = list(engine.pipe(texts, dask=cluster.scheduler_address))
    assert [d.predictions.get("topic") and d.predictions["topic"].label for d in docs] == ["done", None, "done"]
    assert [e.message for e in docs[1].errors] == ["timed out after 1 s"]
