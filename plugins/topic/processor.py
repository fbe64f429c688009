"""The topic processor: one vectorised predict_proba per batch, every class's score kept."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.document import Document, Prediction
from newsprism.processors import Processor


class TopicProcessor(Processor):
    """Top-level IPTC Media Topic of an article (or the labels of a user-trained model)."""

    name = "topic-sklearn"
    stage = "topic"
    provides = ("topic",)
    version = "1.0"
    description = "IPTC Media Topic (17 top-level classes; those with enough data) from hashed tf-idf + softmax"

    def setup(self) -> None:
        self.estimator, self.manifest = self.load_model("topic")
        self.codes: dict[str, str] = self.manifest.get("codes") or {}

    def process_batch(self, docs: Sequence[Document]) -> None:
        from . import model as topic_model

        classes, proba = topic_model.predict_proba(
            self.estimator, [article_text(doc) for doc in docs], self.manifest.get("max_chars")
        )
        for doc, row in zip(docs, proba, strict=True):
            best = int(row.argmax())
            doc.predictions["topic"] = Prediction(
                label=classes[best],
                score=float(row[best]),
                scores={name: float(p) for name, p in zip(classes, row, strict=True)},
                extra={"code": self.codes.get(classes[best])},
                plugin=self.name,
                version=self.version,
                model_sha256=self.manifest.get("sha256"),
            )


def article_text(doc: Document) -> str:
    """The body (clean text if the clean stage ran, else raw), headline first as in training."""
    body = doc.body
    title = (doc.title or "").strip()
    if title and title not in body[: len(title) + 200]:
        return f"{title}\n{body}"
    return body
