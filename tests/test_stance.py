"""Stance stage: the shipped FNC-1 model on the seeds, the default claim, the processor contract, the FNC score."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.document import Document, reads_as_prose
from newsprism.modelstore import read_manifest, shipped_dir
from newsprism.plugins.stance import (
    StanceProcessor,
    newsprism_register_processors,
    newsprism_register_tasks,
)
from newsprism.plugins.stance.claim import claim_from, headline_candidates, pick_headline, strip_claim
from newsprism.plugins.stance.model import LABELS, decide
from newsprism.plugins.stance.train import fnc_score

OFF_TOPIC = "Apple unveils a new iPhone with a faster chip and a better camera at its September event"


@pytest.fixture(scope="module")
def processor() -> StanceProcessor:
    proc = StanceProcessor({})
    proc.ensure_setup()
    return proc


def seed_docs(seeds_dir: Path, gold: dict | None = None) -> list[Document]:
    docs = []
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        title = None
        if gold is not None:
            title = raw.splitlines()[gold[path.name]["lines"]["title"][0] - 1]
        docs.append(Document(id=path.name, raw=raw, path=str(path), title=title))
    return docs


def test_plugin_registers_a_stance_processor_and_task():
    processors, tasks = [], []
    newsprism_register_processors(processors.append)
    newsprism_register_tasks(tasks.append)
    assert processors == [StanceProcessor]
    assert StanceProcessor.stage == "stance" and StanceProcessor.provides == ("stance",)
    assert StanceProcessor.requires == ()
    assert [t.name for t in tasks] == ["stance"]


def test_shipped_model_is_small_and_its_manifest_reports_held_out_figures():
    model = shipped_dir() / "stance.joblib"
    assert model.stat().st_size <= 10 * 1024 * 1024
    manifest = read_manifest(model)
    assert manifest["labels"] == list(LABELS)
    metrics = manifest["metrics"]
    assert "held-out bodies of the body-id split" in metrics["split"]
    assert metrics["fnc_score"] >= 0.85 and metrics["macro_f1"] >= 0.60
    assert manifest["reproduce"] == "newsprism train stance ../shared/data"


@pytest.mark.parametrize("with_title", [True, False], ids=["title-from-gold", "no-title"])
def test_seeds_with_their_own_headline_are_never_unrelated_or_disagree(processor, seeds_dir, seed_gold, with_title):
    docs = seed_docs(seeds_dir, seed_gold if with_title else None)
    processor.process_batch(docs)
    for doc in docs:
        prediction = doc.predictions["stance"]
        assert prediction.label in {"agree", "discuss"}, (doc.id, prediction.label, prediction.extra["claim"])
        if with_title:
            assert prediction.extra["claim"] == doc.title


def test_without_a_title_the_headline_line_is_found_even_below_a_date_or_site_line(processor, seeds_dir, seed_gold):
    docs = seed_docs(seeds_dir)
    processor.process_batch(docs)
    for doc in docs:
        gold_line = doc.lines[seed_gold[doc.id]["lines"]["title"][0] - 1].strip()
        assert doc.predictions["stance"].extra["claim"] == gold_line, doc.id


def test_an_off_topic_claim_is_unrelated_and_the_claim_given_is_used(processor, seeds_dir):
    docs = seed_docs(seeds_dir)
    for doc in docs:
        doc.claim = OFF_TOPIC
    processor.process_batch(docs)
    assert [d.predictions["stance"].label for d in docs] == ["unrelated"] * len(docs)
    assert all(d.predictions["stance"].extra["claim"] == OFF_TOPIC for d in docs)


def test_prediction_scores_cover_every_label_and_sum_to_one(processor, seeds_dir):
    docs = seed_docs(seeds_dir)
    processor.process_batch(docs)
    for doc in docs:
        p = doc.predictions["stance"]
        assert set(p.scores) == set(LABELS)
        assert sum(p.scores.values()) == pytest.approx(1.0)
        assert p.score == p.scores[p.label]
        assert p.model_sha256 == processor.manifest["sha256"]
        record = doc.to_record()["stance"]
        assert record["label"] == p.label and record["claim"] == p.extra["claim"]


def test_the_body_read_is_the_clean_text_when_there_is_one(processor):
    doc = Document(id="x", raw="Home\nMenu\n" + "junk line\n" * 5, text="Short clean text.", title="A headline here")
    claim, body = processor.claim_and_body(doc)
    assert (claim, body) == ("A headline here", "Short clean text.")


def test_html_headline_comes_from_the_extracted_text_and_wordless_pairs_get_no_stance(processor, seeds_dir):
    article = sorted(seeds_dir.glob("*.txt"))[1].read_text(encoding="utf-8")
    page = Document(id="p", raw="<html><body><p>markup</p></body></html>", text=article, format="html")
    empty = Document(id="e", raw="<html><body><script>x()</script></body></html>", text="", format="html")
    processor.process_batch([page, empty])
    assert "<" not in page.predictions["stance"].extra["claim"]
    assert page.predictions["stance"].label in LABELS
    assert empty.predictions["stance"].label is None
    assert empty.predictions["stance"].extra["reason"] == "no claim to judge"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.text(max_size=400),
    title=st.one_of(st.none(), st.text(max_size=60)),
    claim=st.one_of(st.none(), st.text(max_size=60)),
)
def test_any_document_gets_one_valid_label_or_says_why_not(processor, raw, title, claim):
    doc = Document(id="h", raw=raw, title=title, claim=claim)
    processor.process_batch([doc])
    p = doc.predictions["stance"]
    used_claim, body = processor.claim_and_body(doc)
    if p.label is None:  # declined: only for a wordless claim or a body that is no prose, and it says so
        assert p.score is None and p.extra["reason"].startswith("no ")
        assert not (re.search(r"\w", used_claim) and reads_as_prose(body, min_word_types=1))
        return
    assert p.label in LABELS
    assert 0.0 <= p.score <= 1.0
    assert sum(p.scores.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("body", ["word " * 5000, "1234 5678 " * 300, "aaa aaa aaa bbb"])
def test_a_body_of_repeated_tokens_or_digits_gets_no_stance_and_says_why(processor, body):
    doc = Document(id="junk", raw=body, claim="Russia calls for a ceasefire in Syria")
    processor.process_batch([doc])
    p = doc.predictions["stance"]
    assert (p.label, p.score, p.scores) == (None, None, {})
    assert p.extra["reason"].startswith("no prose body to judge the claim on: too few distinct words")


def test_a_short_body_of_distinct_words_is_still_judged(processor):
    doc = Document(id="short", raw="Russia seeks Syria ceasefire", claim="Russia calls for a ceasefire in Syria")
    processor.process_batch([doc])
    assert doc.predictions["stance"].label in LABELS


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50), max_size=12))
def test_picked_headline_is_a_line_of_the_text(lines):
    raw = "\n".join(lines)
    picked = pick_headline(raw)
    assert picked == "" or picked in {line.strip() for line in raw.splitlines()}
    assert set(headline_candidates(raw)) <= {line.strip() for line in raw.splitlines()}


@given(st.text(max_size=300), st.text(max_size=40))
def test_strip_claim_only_removes_lines(body, claim):
    stripped = strip_claim(body, claim)
    kept = stripped.splitlines()
    assert len(kept) <= len(body.splitlines())
    assert all(line in body.splitlines() for line in kept)


def test_claim_from_prefers_the_title_then_the_first_non_empty_line():
    assert claim_from("  Title  ", "first\nsecond") == "Title"
    assert claim_from(None, "\n  \n first line \nsecond") == "first line"
    assert claim_from("", "") == ""


def test_fnc_score_weights_related_calls_and_stances():
    truth = ["agree", "disagree", "discuss", "unrelated"]
    assert fnc_score(truth, truth) == 1.0
    # 3.25 possible; a wrong stance on a related pair still earns the 0.25 of the related call.
    partly = ["discuss", "disagree", "discuss", "unrelated"]
    assert fnc_score(truth, partly) == pytest.approx((0.25 + 1 + 1 + 0.25) / 3.25)
    assert fnc_score(truth, ["unrelated", "unrelated", "unrelated", "agree"]) == 0.0


def test_decide_calls_unrelated_only_when_related_mass_is_below_half():
    proba = np.array([[0.2, 0.05, 0.25, 0.5], [0.3, 0.05, 0.1, 0.55], [0.0, 0.0, 0.0, 1.0]])
    assert list(decide(proba)) == ["discuss", "unrelated", "unrelated"]


def test_predictions_do_not_depend_on_the_batch(processor, seeds_dir):
    together = seed_docs(seeds_dir)
    processor.process_batch(together)
    alone = seed_docs(seeds_dir)
    for doc in alone:
        processor.process_batch([doc])
    off_topic = seed_docs(seeds_dir)
    processor.process_batch(off_topic[::-1] + [Document(id="x", raw="Other words entirely.\nCats sleep a lot.")])
    for a, b, c in zip(together, alone, off_topic, strict=True):
        assert a.predictions["stance"].scores == b.predictions["stance"].scores == c.predictions["stance"].scores
