"""Small real processors used by the engine tests (importable, so worker processes can rebuild them)."""

from __future__ import annotations

import time

from newsprism import Document, Prediction, Processor


class KeepLongLines(Processor):
    """A toy clean stage: keeps lines of three or more words."""

    name, stage, provides, priority = "keep-long", "clean", ("text",), 10

    def process_batch(self, docs: list[Document]) -> None:
        for doc in docs:
            doc.text = "\n".join(line for line in doc.lines if len(line.split()) >= 3)


class WordCount(Processor):
    """A toy topic stage: 'long' or 'short' by word count; records the batch sizes it saw."""

    name, stage, provides = "word-count", "topic", ("topic",)
    batches: list[int] = []

    def process_batch(self, docs: list[Document]) -> None:
        type(self).batches.append(len(docs))
        for doc in docs:
            words = len(doc.body.split())
            doc.predictions["topic"] = Prediction("long" if words > 20 else "short", min(words / 40, 1.0))


class FailsOnBoom(Processor):
    """Raises on any document whose text contains 'boom'."""

    name, stage, provides = "fails-on-boom", "source", ("source",)

    def process_batch(self, docs: list[Document]) -> None:
        for doc in docs:
            if "boom" in doc.raw:
                raise RuntimeError(f"cannot handle {doc.id}")
            doc.predictions["source"] = Prediction("Example Times", 0.9, extra={"credits": []})


class Malformed(Processor):
    """Writes a prediction whose score is not a number."""

    name, stage, provides = "malformed", "stance", ("stance",)

    def process_batch(self, docs: list[Document]) -> None:
        for doc in docs:
            doc.predictions["stance"] = Prediction("agree", score="very")  # type: ignore[arg-type]


class NeedsDateline(Processor):
    name, stage, requires, provides = "needs-dateline", "topic", ("dateline",), ("topic",)

    def process_batch(self, docs: list[Document]) -> None:
        pass


class SpinsOnSlow(Processor):
    """Busy-loops for a minute on any document whose text contains 'slow' (a runaway plugin)."""

    name, stage, provides = "spins-on-slow", "topic", ("topic",)

    def process_batch(self, docs: list[Document]) -> None:
        for doc in docs:
            if "slow" in doc.raw:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    pass
            doc.predictions["topic"] = Prediction("done", 1.0)
