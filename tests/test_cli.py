"""The real CLI: formats, outputs, stdin, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json

from clirunner import records, run_cli

SEED = "seeds/000_6e8e1cac3b659b8b.txt"


def test_classify_seeds_prints_one_record_per_article_with_the_fixed_fields():
    result = run_cli("classify", "seeds/")
    assert result.returncode in (0, 1), result.stderr
    out = records(result.stdout)
    assert [r["id"] for r in out] == sorted(p["id"] for p in out) and len(out) == 5
    for record in out:
        assert {"id", "path", "title", "clean", "errors"} <= set(record)
        assert set(record["clean"]) == {"removed"}, "the clean body only with --text"


def test_text_flag_includes_the_clean_body():
    (record,) = records(run_cli("classify", SEED, "--text", "--only", "clean").stdout)
    assert "cessation of hostilities across Syria" in record["clean"]["text"]


def test_csv_and_table_formats_and_output_file(tmp_path):
    result = run_cli("classify", "seeds/", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5 and {"id", "publisher", "topic", "stance", "errors"} <= set(rows[0])
    table = run_cli("classify", SEED, "--format", "table")
    assert "000_6e8e1cac3b659b8b" in table.stdout
    target = tmp_path / "out.jsonl"
    result = run_cli("classify", "seeds/", "--output", str(target))
    assert result.stdout == "" and len(records(target.read_text())) == 5


def test_stdin_json_lines_with_claim_and_title():
    lines = [
        {"id": "r1", "text": "Rebels left the city on Friday after the deal.", "title": "Rebels leave"},
        {"id": "r2", "text": "Markets rallied.", "url": "https://www.reuters.com/x"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines)
    out = records(run_cli("classify", "-", stdin=stdin).stdout)
    assert [(r["id"], r["title"]) for r in out] == [("r1", "Rebels leave"), ("r2", None)]
    assert out[1]["url"] == "https://www.reuters.com/x"


def test_unreadable_inputs_still_yield_records_and_exit_1(tmp_path):
    (tmp_path / "ok.txt").write_text("A short article about the council vote.\n")
    (tmp_path / "broken.jsonl").write_text('{"id": "a", "text": "fine"}\nnot json\n')
    result = run_cli("classify", str(tmp_path), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    out = records(result.stdout)
    assert len(out) == 4
    errors = {r["id"]: r["errors"] for r in out}
    assert "cannot read" in errors["missing"][0]["message"]
    assert "line 2" in errors["broken:2"][0]["message"]
    assert "4 documents, 2 with errors" in result.stderr


def test_summary_counts_one_failed_document_in_the_singular(tmp_path):
    result = run_cli("classify", str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert "1 document, 1 with errors" in result.stderr


def test_usage_errors_exit_2():
    assert run_cli("classify", SEED, "--only", "no-such-stage").returncode == 2
    assert "unknown stage or processor" in run_cli("classify", SEED, "--only", "no-such-stage").stderr
    assert run_cli("classify", SEED, "--format", "xml").returncode == 2
    assert run_cli("classify", SEED, "--model", "topic").returncode == 2
    assert run_cli("train", "no-such-task", "seeds/gold.json").returncode == 2


def test_help_explains_inputs_and_exit_codes():
    result = run_cli("classify", "--help")
    assert result.returncode == 0
    assert "glob" in result.stdout and "Exit code" in result.stdout and "--jobs" in result.stdout


def test_models_lists_shipped_models_as_json():
    result = run_cli("models", "--json")
    assert result.returncode == 0
    for model in json.loads(result.stdout):
        assert model["hash_ok"] is True and model["task"] in {"clean", "source", "topic", "stance"}


def test_models_table_shows_each_models_hash_check_and_held_out_results_in_80_columns():
    result = run_cli("models", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("sha256 ok") == 4
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "fnc_score" in result.stdout and "allsides.accuracy " in result.stdout


def test_headline_metrics_leave_out_tuning_groups_counts_and_thresholds():
    from newsprism.cli.models import headline_metrics

    metrics = {"dev": {"f1": 0.9}, "split": "20%", "n": 400, "threshold": 0.4, "test": {"f1": 0.8, "accuracy": 0.7}}
    assert headline_metrics(metrics) == [("test.f1", 0.8), ("test.accuracy", 0.7)]
