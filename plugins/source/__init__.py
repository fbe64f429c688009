"""The source stage: which outlet published an article, and whom the story credits.

Publisher evidence, strongest first: metadata (the URL's domain, trafilatura's
``sitename``), the text naming its own outlet (``Title | Outlet``, house phrases),
the byline (``doc.meta["author"]``: a name the training data knows under one outlet,
taken when the model ranks that outlet high enough; see :mod:`.bylines`),
then the outlet's fingerprint through the trained model — which abstains (null)
when its top score is below the threshold calibrated on outlets left out of
training. Credits are rule-based (see :mod:`.credits`). Heavy imports and the
model load wait for :meth:`SourceProcessor.setup`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsprism import Document, Prediction, Processor, hookimpl
from newsprism.document import reads_as_prose

__all__ = ["SourceProcessor"]

#: Class scores kept per document (all of them would be ~60 numbers per record).
TOP_SCORES = 5
#: Whether the learned credit-line classifier (:mod:`.creditlines`) adds its credits to the rules' by default; config
#: ``credit_classifier`` (true/false) overrides it, ``credit_model`` names its model file (not shipped while the
#: default is off: ``newsprism train credits ../shared/data --out DIR``; DIR goes in ``trusted``). See docs/source.md,
#: "A learned credit-line classifier", for the measurements this default follows.
CREDIT_CLASSIFIER_DEFAULT = False


class SourceProcessor(Processor):
    """Publisher (canonical name or null) and story credits with their evidence."""

    name = "source-linear"
    stage = "source"
    provides = ("source",)
    version = "1.0"
    description = "Publisher from URL, sitename, self-naming or outlet fingerprint (linear SVM); credits by rules"

    def setup(self) -> None:
        from .credits import CreditFinder
        from .publishers import SelfNamer, load_table

        self.table = load_table()
        self.namer = SelfNamer(self.table)
        self.credits = CreditFinder(self.table)
        self.model, manifest = self.load_model("source")
        self.sha256 = manifest.get("sha256")
        self.class_names = [str(c) for c in self.model.classes_]
        self.credit_lines = None
        if self.config.get("credit_classifier", CREDIT_CLASSIFIER_DEFAULT):
            from newsprism.modelstore import load_model

            model, _ = load_model(self.config.get("credit_model") or "credits", trusted=self.config.get("trusted", []))
            self.credit_lines = model.bind(self.credits)

    def process_batch(self, docs: Sequence[Document]) -> None:
        texts = [_model_text(doc) for doc in docs]
        proba, best_index, confident = self.model.assess(texts)
        names = self.class_names
        # Per-batch numpy, then plain Python numbers: the same ranking and values as row by row, less overhead.
        tops = proba.argsort(axis=1)[:, ::-1][:, :TOP_SCORES].tolist()
        credits = self._credits(docs)
        for doc, row, best, ok, top, found in zip(docs, proba.tolist(), best_index.tolist(), confident.tolist(), tops,
                                                  credits, strict=False):
            guess = names[best] if ok else None
            label, score, evidence = self._publisher(doc, guess, row[best], row)
            doc.predictions["source"] = Prediction(
                label=label,
                score=score,
                scores={names[i]: row[i] for i in top},
                extra={
                    "credits": [{"name": c.name, "evidence": c.evidence} for c in found],
                    "evidence": evidence,
                },
                model_sha256=self.sha256,
            )

    def _credits(self, docs: Sequence[Document]) -> list[list[Any]]:
        """The rules' credits of each document, with the classifier's extra names when it is switched on."""
        found = [self._rule_credits(doc) for doc in docs]
        if self.credit_lines is None:
            return found
        from .creditlines import _key, union

        extra = self.credit_lines.find_many([_lines(doc) for doc in docs], [{_key(c.name) for c in f} for f in found])
        return [union(rules, learned) for rules, learned in zip(found, extra, strict=True)]

    def _rule_credits(self, doc: Document) -> list[Any]:
        """The rules' credits of the text; for HTML also the wire agencies of its author metadata; for plain text the
        clean stage has cleaned also those of the clean text: on a whole page's text the story's dateline and closing
        credits stand between menus and footers, away from the text's edges where the rules look for them, and the
        clean text puts them back at its edges."""
        lines = _lines(doc)
        credits = self.credits.find(lines)
        author = doc.meta.get("author") if doc.format == "html" else None
        if author:  # trafilatura's byline: "AFP; The Local" credits the agency
            credits = _with_new_names(credits, self.credits.from_author(str(author)))
        clean = doc.text.splitlines() if doc.format != "html" and doc.text is not None else None
        # (when cleaning left the edges as they were, the clean text would give the same credits: time for nothing)
        if clean is not None and not self.credits.reads_same_edges(lines, clean):
            credits = _with_new_names(credits, self.credits.find(clean))
        return credits

    def _publisher(self, doc: Document, guess: str | None, score: float,
                   proba_row: list[float]) -> tuple[str | None, float | None, dict[str, Any]]:
        url = doc.url or doc.meta.get("url")
        by_url = self.table.from_domain(url) if url else None
        if by_url:
            return by_url, 1.0, {"kind": "url", "text": url}
        sitename = site_name(doc.meta.get("sitename"))
        if sitename:
            return self.table.canonical(sitename) or sitename, 1.0, {"kind": "sitename", "text": doc.meta["sitename"]}
        named = self.namer.find(_lines(doc), doc.title)
        if named:
            return named[0], 1.0, {"kind": "self", "text": named[1][:200]}
        authors = doc.meta.get("author")
        by_line = self.model.byline_answer(str(authors), proba_row) if authors else None
        if by_line:
            return by_line, float(self.model.bylines["precision"]), {"kind": "byline", "text": str(authors)[:200]}
        house = self.model.house_answer(_model_text(doc), proba_row)
        if house:
            return house[0], float(self.model.house["precision"]), {"kind": "house", "text": house[1][:200]}
        if guess is None:
            if not reads_as_prose(_model_text(doc)):  # the model's score on junk means nothing: none is given
                why = "too few distinct words to tell an outlet from (repeated tokens, digits or symbols)"
                return None, None, {"kind": "abstain", "text": why}
            return None, score, {"kind": "abstain", "text": "top score below the unknown-outlet threshold"}
        return guess, score, {"kind": "model"}


def _with_new_names(credits: list[Any], more: list[Any]) -> list[Any]:
    """``credits`` followed by those of ``more`` whose name is not among them yet."""
    named = {credit.name for credit in credits}
    return credits + [credit for credit in more if credit.name not in named]


def site_name(sitename: Any) -> str | None:
    """The outlet's name from a page's site-name metadata, which some pages fill with a URL ("https://pawszilla.com")
    or a whole title ("WSVN 7News | Miami News, Weather, Sports | Fort Lauderdale"): the host, or the first part."""
    name = str(sitename or "").strip()
    name = re.sub(r"^https?://(?:www\.)?", "", name).rstrip("/")
    return name.split(" | ", 1)[0].strip() or None


def _lines(doc: Document) -> list[str]:
    # HTML page source is not what the rules or the model read; the clean text is, when there is one.
    return doc.text.splitlines() if doc.format == "html" and doc.text is not None else doc.lines


def _model_text(doc: Document) -> str:
    return doc.text or "" if doc.format == "html" else doc.raw


@hookimpl
def newsprism_register_processors(register: Any) -> None:
    register(SourceProcessor)


@hookimpl
def newsprism_register_tasks(register: Any) -> None:
    from newsprism.tasks import Task

    register(
        Task.from_module(
            name="source",
            help="Publisher (AllSides, FA-KES and BuzzFeed-Webis outlets; open set) and story credits",
            module="newsprism.plugins.source.training",
        )
    )
    register(
        Task.from_module(
            name="credits",
            help="Learned credit-line classifier (labels: the credits fixture or $NEWSPRISM_CREDIT_LABELS)",
            module="newsprism.plugins.source.credittrain",
        )
    )
