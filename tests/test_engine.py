"""The engine: ordering, validation before reading, batching, fault isolation, parallel runs."""

from __future__ import annotations

import pytest
from pipeline_fixtures import FailsOnBoom, KeepLongLines, Malformed, NeedsDateline, WordCount

from newsprism import Document, Engine, Processor
from newsprism.engine import PipelineError

ARTICLE = "Home\nMenu\nThe council voted on Monday to close the old bridge to traffic.\nShare this"


def make_docs(n: int, boom_at: int | None = None) -> list[Document]:
    return [
        Document(id=str(i), raw=("boom " if i == boom_at else "") + ARTICLE + f"\nParagraph number {i} ends here.")
        for i in range(n)
    ]


def test_process_accepts_plain_text_and_runs_stages_in_order():
    engine = Engine([WordCount, KeepLongLines])  # given out of order on purpose
    assert [p.name for p in engine.processors] == ["keep-long", "word-count"]
    doc = engine.process(ARTICLE)
    assert doc.text == "The council voted on Monday to close the old bridge to traffic."
    assert doc.predictions["topic"].label == "short"
    assert doc.predictions["topic"].plugin == "word-count"


def test_order_within_a_stage_is_priority_then_name_then_configuration():
    class B(KeepLongLines):
        name, priority = "b-clean", 10

    class A(KeepLongLines):
        name, priority = "a-clean", 10

    class Early(KeepLongLines):
        name, priority = "z-early", 1

    assert [p.name for p in Engine([B, A, Early]).processors] == ["z-early", "a-clean", "b-clean"]
    assert [p.name for p in Engine([A, B, Early], order=["b-clean"]).processors] == ["b-clean", "z-early", "a-clean"]


def test_missing_requirement_fails_before_any_document_is_read():
    def never_read():
        raise AssertionError("a document was read")
        yield

    with pytest.raises(PipelineError, match="requires dateline"):
        engine = Engine([KeepLongLines, NeedsDateline])
        list(engine.pipe(never_read()))


def test_only_and_disable_take_stage_or_processor_names():
    assert [p.name for p in Engine([KeepLongLines, WordCount], only=["topic"]).processors] == ["word-count"]
    assert [p.name for p in Engine([KeepLongLines, WordCount], disable=["keep-long"]).processors] == ["word-count"]
    with pytest.raises(PipelineError, match="unknown stage or processor"):
        Engine([KeepLongLines], only=["nonsense"])


def test_batches_reach_processors_whole():
    WordCount.batches.clear()
    docs = list(Engine([WordCount], batch_size=4).pipe(make_docs(10)))
    assert len(docs) == 10
    assert WordCount.batches == [4, 4, 2]


def test_a_failing_document_records_its_error_and_nothing_else_is_lost():
    docs = list(Engine([KeepLongLines, FailsOnBoom, WordCount], batch_size=8).pipe(make_docs(6, boom_at=2)))
    assert [d.id for d in docs] == [str(i) for i in range(6)]
    assert [e.plugin for e in docs[2].errors] == ["fails-on-boom"]
    assert "cannot handle 2" in docs[2].errors[0].message
    assert "source" not in docs[2].predictions
    assert all(d.predictions["source"].label == "Example Times" for i, d in enumerate(docs) if i != 2)
    assert all("topic" in d.predictions for d in docs), "later processors still run on every document"


def test_malformed_output_is_dropped_with_an_error():
    doc = Engine([Malformed]).process(ARTICLE)
    assert "stance" not in doc.predictions
    assert "malformed stance output dropped" in doc.errors[0].message


def test_setup_failure_is_recorded_on_every_document():
    class BrokenModel(WordCount):
        name = "broken-model"

        def setup(self):
            raise FileNotFoundError("model.joblib")

    docs = list(Engine([BrokenModel, KeepLongLines]).pipe(make_docs(3)))
    assert all("setup failed" in d.errors[0].message for d in docs)
    assert all(d.text for d in docs)


def test_processor_instances_and_config():
    class Configurable(Processor):
        name, stage, provides = "configurable", "topic", ("topic",)

        def process_batch(self, docs):
            for doc in docs:
                doc.meta["threshold"] = self.config["threshold"]

    doc = Engine([Configurable], config={"topic": {"threshold": 3}}).process("text")
    assert doc.meta["threshold"] == 3
    doc = Engine([Configurable({"threshold": 5})]).process("text")
    assert doc.meta["threshold"] == 5


def test_two_worker_processes_give_the_serial_records():
    engine = Engine([KeepLongLines, FailsOnBoom, WordCount], batch_size=3)
    serial = [d.to_record(include_text=True) for d in engine.pipe(make_docs(20, boom_at=7))]
    parallel = [d.to_record(include_text=True) for d in engine.pipe(make_docs(20, boom_at=7), n_jobs=2)]
    assert parallel == serial


def test_analyze_lists_the_pipeline():
    assert Engine([WordCount, KeepLongLines]).analyze() == [
        {"name": "keep-long", "stage": "clean", "requires": [], "provides": ["text"]},
        {"name": "word-count", "stage": "topic", "requires": [], "provides": ["topic"]},
    ]
