"""Stance: does the body agree with, disagree with, discuss, or ignore a claim (FNC-1 labels)?

The claim is ``doc.claim`` (``--claim TEXT`` or a record's ``claim``), else the
article's own headline (``doc.title``, else the first non-empty line of the raw
text), so a headline the body does not support shows up. Heavy imports and the
model load happen in :meth:`StanceProcessor.setup`, never at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsprism import Document, Prediction, Processor, hookimpl
from newsprism.document import NOT_PROSE, has_words, reads_as_prose

TASK = "stance"


class StanceProcessor(Processor):
    """FNC-1 stance of ``doc.body`` toward ``doc.claim`` or the headline, with a two-stage boosted model."""

    name = "stance-fnc"
    stage = "stance"
    provides = ("stance",)
    version = "1.0"
    description = "agree / disagree / discuss / unrelated toward a claim (default: the headline); FNC-1 model"

    def setup(self) -> None:
        from threadpoolctl import ThreadpoolController

        self.model, self.manifest = self.load_model(TASK)
        # Boosting predicts with OpenMP threads; on small batches they cost far more than they give (and fight
        # with other processes of a parallel run), so prediction runs on one thread.
        self._threads = ThreadpoolController()

    def claim_and_body(self, doc: Document) -> tuple[str, str]:
        """The claim to judge and the body to judge it on (without the headline line when it is the claim)."""
        from .claim import pick_headline, strip_claim

        if doc.claim and doc.claim.strip():
            return doc.claim.strip(), doc.body
        if doc.title and doc.title.strip():
            claim = doc.title.strip()
        else:
            # An HTML page's raw text is its markup; its headline is looked for in the extracted text.
            text = doc.body if doc.format == "html" else doc.raw
            claim = pick_headline(text, self.model.featurizer_)
        return claim, strip_claim(doc.body, claim)

    def process_batch(self, docs: Sequence[Document]) -> None:
        from .model import LABELS, decide

        pairs = [self.claim_and_body(doc) for doc in docs]
        # Without words on both sides there is nothing to judge: no stance rather than a guess.
        judged = []
        for i, (claim, body) in enumerate(pairs):
            if not has_words(claim):
                docs[i].predictions[TASK] = self._prediction(None, {}, claim, "no claim to judge")
            elif not has_words(body):
                docs[i].predictions[TASK] = self._prediction(None, {}, claim, "no body text to judge the claim on")
            elif not reads_as_prose(body, min_word_types=1):
                why = f"no prose body to judge the claim on: {NOT_PROSE}"
                docs[i].predictions[TASK] = self._prediction(None, {}, claim, why)
            else:
                judged.append(i)
        if not judged:
            return
        with self._threads.limit(limits=1, user_api="openmp"):
            proba = self.model.predict_proba([pairs[i] for i in judged])
        for i, row, label in zip(judged, proba, decide(proba), strict=True):
            scores = {name: float(p) for name, p in zip(LABELS, row, strict=True)}
            docs[i].predictions[TASK] = self._prediction(str(label), scores, pairs[i][0])

    def _prediction(self, label: str | None, scores: dict, claim: str, reason: str | None = None) -> Prediction:
        extra = {"claim": claim, **({"reason": reason} if reason else {})}
        score = scores[label] if label else None
        return Prediction(label, score, scores, extra, model_sha256=self.manifest.get("sha256"))




@hookimpl
def newsprism_register_processors(register: Any) -> None:
    register(StanceProcessor)


@hookimpl
def newsprism_register_tasks(register: Any) -> None:
    from newsprism.tasks import Task

    register(
        Task.from_module(
            name=TASK,
            help="Stance of a body toward a claim (FNC-1: agree/disagree/discuss/unrelated). "
            "DATA: the shared data folder (FNC-1, body-id hold-out), an FNC-format folder, or a labelled file.",
            module="newsprism.plugins.stance.train",
        )
    )
