"""The topic processor: one vectorised predict_proba per batch, every class's score kept."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.document import NOT_PROSE, Document, Prediction, has_words, reads_as_prose
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

        texts = [article_text(doc) for doc in docs]
        # A document without a single word (empty body, scripts-only page) or without prose ("word word …",
        # digits) gets no topic rather than a low-scored guess.
        worded = []
        for i, text in enumerate(texts):
            reason = unclassifiable(text)
            if reason:
                docs[i].predictions["topic"] = self._prediction(None, None, {}, reason=reason)
            else:
                worded.append(i)
        if not worded:
            return
        classes, proba = topic_model.predict_proba(
            self.estimator, [texts[i] for i in worded], self.manifest.get("max_chars")
        )
        for i, row in zip(worded, proba, strict=True):
            best = int(row.argmax())
            scores = {name: float(p) for name, p in zip(classes, row, strict=True)}
            docs[i].predictions["topic"] = self._prediction(classes[best], float(row[best]), scores)

    def _prediction(self, label: str | None, score: float | None, scores: dict, reason: str = "") -> Prediction:
        extra = {"code": self.codes.get(label) if label else None}
        if reason:
            extra["reason"] = reason
        return Prediction(
            label=label,
            score=score,
            scores=scores,
            extra=extra,
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


def unclassifiable(text: str) -> str | None:
    """Why ``text`` gets no topic (the record's ``reason``), or None when it can be classified."""
    if not has_words(text):
        return "no words to classify"
    return None if reads_as_prose(text, min_word_types=1) else NOT_PROSE
