"""The main job on the shipped models: `newsprism classify seeds/` against the hand labels in seeds/gold.json."""

from __future__ import annotations

import pytest
from clirunner import records, run_cli


@pytest.fixture(scope="module")
def seed_records(seeds_dir):
    result = run_cli("classify", str(seeds_dir), "--text")
    assert result.returncode == 0, result.stderr
    return {f"{r['id']}.txt": r for r in records(result.stdout)}


def test_one_clean_record_per_seed(seed_records, seed_gold):
    assert set(seed_records) == set(seed_gold)
    assert all(r["errors"] == [] for r in seed_records.values())


def test_clean_removes_only_gold_boilerplate_and_captions(seed_records, seed_gold):
    # Precision is met: no title, content or credit line is ever removed. Recall is not yet (17 of 24 gold
    # boilerplate/caption lines; see docs/clean.md), so this asserts the floor it has reached.
    removed_total = gold_total = 0
    for name, gold in seed_gold.items():
        droppable = set(gold["lines"]["boilerplate"]) | set(gold["lines"]["caption"])
        removed = {item["line"] for item in seed_records[name]["clean"]["removed"]}
        assert removed <= droppable, f"{name}: removed kept-class lines {sorted(removed - droppable)}"
        removed_total, gold_total = removed_total + len(removed), gold_total + len(droppable)
    assert removed_total / gold_total >= 0.70


def test_publishers_are_right_or_withheld_and_credits_match(seed_records, seed_gold):
    for name, gold in seed_gold.items():
        source = seed_records[name]["source"]
        assert source["publisher"] in (gold["publisher"], None), name
        assert [c["name"] for c in source["credits"]] == gold["credits"], name
    assert seed_records["000_6e8e1cac3b659b8b.txt"]["source"]["publisher"] == "The Independent"
    assert seed_records["004_f5093dfa6d855a6c.txt"]["source"]["publisher"] == "Asharq Al-Awsat"


def test_topic_and_stance(seed_records):
    for name, record in seed_records.items():
        assert (record["topic"]["label"], record["topic"]["code"]) == ("conflict, war and peace", "medtop:16000000")
        assert record["stance"]["label"] in {"agree", "discuss"}, name
        assert record["stance"]["claim"] == record["title"], "the default claim is the article's own headline"
