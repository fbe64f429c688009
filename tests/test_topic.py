"""Topic stage: the shipped IPTC model on the seeds, the processor contract, the mapping file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.document import NOT_PROSE, Document, reads_as_prose
from newsprism.modelstore import read_manifest, shipped_dir
from newsprism.plugins.topic import newsprism_register_processors, newsprism_register_tasks
from newsprism.plugins.topic.assemble import load_mapping
from newsprism.plugins.topic.processor import TopicProcessor

CONFLICT = "conflict, war and peace"
IPTC_TOP = {
    "arts, culture, entertainment and media", CONFLICT, "crime, law and justice",
    "disaster, accident and emergency incident", "economy, business and finance", "education", "environment",
    "health", "human interest", "labour", "lifestyle and leisure", "politics", "religion",
    "science and technology", "society", "sport", "weather",
}


@pytest.fixture(scope="module")
def processor() -> TopicProcessor:
    proc = TopicProcessor({})
    proc.ensure_setup()
    return proc


@pytest.fixture(scope="module")
def manifest() -> dict:
    return read_manifest(shipped_dir() / "topic.joblib")


def seed_docs(seeds_dir: Path) -> list[Document]:
    paths = sorted(seeds_dir.glob("*.txt"))
    return [Document(id=p.name, raw=p.read_text(encoding="utf-8"), path=str(p)) for p in paths]


def test_every_seed_is_conflict_war_and_peace(processor, seeds_dir, seed_gold):
    docs = seed_docs(seeds_dir)
    assert len(docs) == len(seed_gold) == 5
    processor.process_batch(docs)
    for doc in docs:
        prediction = doc.predictions["topic"]
        assert prediction.label == CONFLICT, (doc.id, sorted(prediction.scores.items(), key=lambda kv: -kv[1])[:3])
        assert prediction.extra == {"code": "medtop:16000000"}
        assert prediction.model_sha256 == processor.manifest["sha256"]


def test_record_carries_label_code_and_score(processor, seeds_dir):
    doc = seed_docs(seeds_dir)[0]
    processor.process_batch([doc])
    record = doc.to_record(top_k=3)["topic"]
    assert record["label"] == CONFLICT and record["code"] == "medtop:16000000"
    assert [item["label"] for item in record["top"]][0] == CONFLICT
    assert 0.0 < record["score"] <= 1.0


def test_reads_clean_text_when_present(processor, seeds_dir):
    # A war article's raw page whose clean text (doc.text) is a football report: the stage must read doc.text.
    doc = seed_docs(seeds_dir)[0]
    doc.text = (
        "Arsenal beat Chelsea 2-1 in the Premier League on Saturday. The striker scored twice in the second half "
        "and the manager praised the defence after the match. The win lifts the club to second in the table, "
        "three points behind the leaders, with the cup final against Liverpool next week."
    )
    processor.process_batch([doc])
    assert doc.predictions["topic"].label == "sport"


def test_manifest_ships_the_taxonomy_and_says_what_is_left_out(manifest):
    assert set(manifest["codes"]) == IPTC_TOP
    assert manifest["codes"][CONFLICT] == "medtop:16000000"
    labels = set(manifest["labels"])
    assert labels <= IPTC_TOP and CONFLICT in labels
    # Classes below the documented floor are neither trained nor predicted, and are listed as such.
    assert labels.isdisjoint(manifest["too_little_data"])
    assert set(manifest["not_predicted"]) == IPTC_TOP - labels
    assert all(n < manifest["min_docs"] for n in manifest["too_little_data"].values())
    assert manifest["metrics"]["macro_f1"] >= 0.85 and "held-out" in manifest["metrics"]["split"]


def test_model_file_is_within_budget():
    assert (shipped_dir() / "topic.joblib").stat().st_size <= 10 * 1024 * 1024


def test_mapping_targets_are_iptc_names():
    mapping = load_mapping()
    for name, spec in mapping["sets"].items():
        for label, (target, why) in spec["labels"].items():
            assert target is None or target in IPTC_TOP, (name, label, target)
            assert why, (name, label)
    assert mapping["sets"]["fa-kes"]["labels"]["*"][0] == CONFLICT
    bbc = mapping["sets"]["bbc-news"]["labels"]
    assert {k: v[0] for k, v in bbc.items()} == {
        "business": "economy, business and finance", "entertainment": "arts, culture, entertainment and media",
        "politics": "politics", "sport": "sport", "tech": "science and technology",
    }


def test_plugin_registers_processor_and_task():
    processors, tasks = [], []
    newsprism_register_processors(processors.append)
    newsprism_register_tasks(tasks.append)
    assert processors == [TopicProcessor]
    assert TopicProcessor.stage == "topic" and TopicProcessor.provides == ("topic",) and not TopicProcessor.requires
    assert [task.name for task in tasks] == ["topic"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(max_size=300), min_size=1, max_size=6))
def test_scores_are_a_distribution_over_every_class(processor, manifest, texts):
    docs = [Document(id=str(i), raw=text) for i, text in enumerate(texts)]
    processor.process_batch(docs)
    for doc in docs:
        prediction = doc.predictions["topic"]
        if prediction.label is None:  # declined: only for wordless text or text that is no prose, saying so
            assert prediction.scores == {} and prediction.extra["reason"]
            assert not (re.search(r"\w", doc.raw) and reads_as_prose(doc.raw, min_word_types=1))
            continue
        assert set(prediction.scores) == set(manifest["labels"])
        assert sum(prediction.scores.values()) == pytest.approx(1.0, abs=1e-4)
        assert prediction.label == max(prediction.scores, key=prediction.scores.get)
        assert prediction.score == pytest.approx(prediction.scores[prediction.label])
        assert prediction.extra["code"] == manifest["codes"][prediction.label]


def test_wordless_documents_get_no_topic_and_leave_the_batch_alone(processor, seeds_dir):
    seeds = seed_docs(seeds_dir)
    batch = [Document(id="empty", raw=""), seeds[0], Document(id="punct", raw=" \n--- ... \n"), seeds[1]]
    processor.process_batch(batch)
    for doc in (batch[0], batch[2]):
        assert doc.predictions["topic"].label is None
        assert doc.predictions["topic"].extra == {"code": None, "reason": "no words to classify"}
    assert [d.predictions["topic"].label for d in (batch[1], batch[3])] == [CONFLICT, CONFLICT]


def test_repeated_tokens_digits_and_emoji_get_no_topic_but_a_short_headline_does(processor):
    junk = {"repeated": "word " * 400_000, "digits": "1234 5678 " * 300, "emoji": "\U0001F600" * 500}
    batch = [Document(id=key, raw=text) for key, text in junk.items()]
    batch.append(Document(id="headline", raw="Japan narrowly escapes recession"))
    processor.process_batch(batch)
    reasons = {doc.id: doc.predictions["topic"].extra.get("reason") for doc in batch}
    assert reasons == {"repeated": NOT_PROSE, "digits": NOT_PROSE, "emoji": "no words to classify", "headline": None}
    assert [doc.predictions["topic"].label is None for doc in batch] == [True, True, True, False]


def test_batch_and_single_agree(processor, seeds_dir):
    batch = seed_docs(seeds_dir)
    processor.process_batch(batch)
    for doc in seed_docs(seeds_dir):
        processor.process_batch([doc])
        match = next(d for d in batch if d.id == doc.id)
        assert doc.predictions["topic"].scores == pytest.approx(match.predictions["topic"].scores, abs=1e-6)


def test_manifest_is_json_beside_the_model():
    text = (shipped_dir() / "topic.json").read_text(encoding="utf-8")
    assert json.loads(text)["task"] == "topic"
