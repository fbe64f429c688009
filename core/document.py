"""The document that flows through the pipeline, and the JSON record made from it.

A processor reads and writes a :class:`Document`; the engine turns it into the
output record whose field names DESIGN.md fixes (see :meth:`Document.to_record`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

#: Built-in stages in pipeline order. Custom stages run after these.
STAGES: tuple[str, ...] = ("clean", "source", "topic", "stance")


@dataclass
class Prediction:
    """One task's answer for one document, with where it came from."""

    label: str | None
    score: float | None = None
    #: Every class's score, for library callers (``--top-k`` on the CLI).
    scores: dict[str, float] = field(default_factory=dict)
    #: Task-specific fields copied into the record: topic ``code``, stance ``claim``, source ``credits``.
    extra: dict[str, Any] = field(default_factory=dict)
    #: Provenance: the engine fills ``plugin`` and ``version`` when the processor leaves them empty.
    plugin: str = ""
    version: str = ""
    model_sha256: str | None = None


@dataclass
class RemovedLine:
    """A line the clean stage dropped. ``line`` is 1-based in ``Document.lines``."""

    line: int
    reason: str
    text: str = ""


@dataclass
class PluginError:
    plugin: str
    message: str


@dataclass
class Document:
    """An article, as read and as processed.

    ``raw`` is the text as read (for HTML, the page source). ``text`` is the
    clean body once a ``clean`` processor ran, else ``None``; later stages read
    :attr:`body`, which falls back to ``raw`` so they work without cleaning.
    """

    id: str
    raw: str = ""
    path: str | None = None
    url: str | None = None
    title: str | None = None
    claim: str | None = None
    #: "text" or "html": how ``raw`` should be interpreted.
    format: str = "text"
    text: str | None = None
    #: Free-form facts found on the way, e.g. HTML metadata (``sitename``, ``date``, ``author``).
    meta: dict[str, Any] = field(default_factory=dict)
    removed: list[RemovedLine] = field(default_factory=list)
    predictions: dict[str, Prediction] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[str]:
        """The raw text split into lines once, shared by every stage."""
        return self.raw.splitlines()

    def __getstate__(self) -> dict[str, Any]:
        # The cached line split is cheap to redo and would double what crosses process boundaries.
        state = dict(self.__dict__)
        state.pop("lines", None)
        return state

    @property
    def body(self) -> str:
        """The text later stages read: the clean body if there is one, else the raw text."""
        return self.text if self.text is not None else self.raw

    def add_error(self, plugin: str, message: str) -> None:
        self.errors.append(PluginError(plugin, message))

    def to_record(self, *, include_text: bool = False, top_k: int = 0) -> dict[str, Any]:
        """The output record (DESIGN.md field names). Every document yields exactly one."""
        record: dict[str, Any] = {"id": self.id, "path": self.path, "title": self.title}
        if self.url:
            record["url"] = self.url
        for task, prediction in self.predictions.items():
            record[task] = _prediction_fields(task, prediction, top_k)
        clean: dict[str, Any] = {"removed": [{"line": r.line, "reason": r.reason} for r in self.removed]}
        if include_text:
            clean["text"] = self.body
        record["clean"] = clean
        record["errors"] = [{"plugin": e.plugin, "message": e.message} for e in self.errors]
        return record


def has_words(text: str) -> bool:
    """Whether ``text`` holds at least one word character: without one, a classifier can only guess."""
    return _WORD.search(text) is not None


_WORD = re.compile(r"\w")

#: A text reads as prose when the head holds at least this many distinct words ...
MIN_WORD_TYPES = 5
#: ... some letters, and no word making more than this share of its words. Every article of the shared data
#: sets passes, while repeated tokens, digits or emoji ("word word …") would otherwise get confident labels:
#: their features are few and extreme, far from anything a model was trained on.
MAX_WORD_SHARE = 0.4
#: How much of the text the check reads: repetition shows at once, and the cost stays ~20 us a text.
PROSE_HEAD_CHARS = 1000
_LETTER = re.compile(r"[^\W\d_]")


def reads_as_prose(text: str | None, min_word_types: int = MIN_WORD_TYPES) -> bool:
    """Whether ``text`` holds enough varied words for a text classifier to judge (see :data:`MIN_WORD_TYPES`).

    The source fingerprint needs :data:`MIN_WORD_TYPES` distinct words; topic and stance pass 1, so that a
    short headline ("Japan narrowly escapes recession") is still classified while "word word …" is not.
    """
    head = (text or "")[:PROSE_HEAD_CHARS]
    words = head.lower().split()
    types = set(words)
    if len(types) < min_word_types or _LETTER.search(head) is None:
        return False
    if len(types) >= (1 - MAX_WORD_SHARE) * len(words):  # so varied that no word can pass the share
        return True
    return Counter(words).most_common(1)[0][1] <= MAX_WORD_SHARE * len(words)


#: The record's reason when a classifier declines a text that has words but does not read as prose.
NOT_PROSE = "too few distinct words to classify (repeated tokens, digits or symbols)"


def _prediction_fields(task: str, prediction: Prediction, top_k: int) -> dict[str, Any]:
    # The source record names its label "publisher"; every other task says "label".
    label_key = "publisher" if task == "source" else "label"
    fields: dict[str, Any] = {label_key: prediction.label, "score": _round(prediction.score)}
    fields.update(prediction.extra)
    if top_k and prediction.scores:
        best = sorted(prediction.scores.items(), key=lambda kv: -kv[1])[:top_k]
        fields["top"] = [{"label": name, "score": _round(score)} for name, score in best]
    fields["provenance"] = {
        "plugin": prediction.plugin,
        "version": prediction.version,
        "model_sha256": prediction.model_sha256,
    }
    return fields


def _round(score: float | None) -> float | None:
    return None if score is None else round(float(score), 4)
