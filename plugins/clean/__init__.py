"""The ``clean`` stage: boilerplate removal for plain text and HTML.

Plain text: every non-blank line is classified (title, content, credit, caption, boilerplate) by a trained
model over line features, neighbours' classes and cross-document line fingerprints; title, content and
credit lines stay. HTML: trafilatura extracts the main text and metadata, then the same cleaner runs over
the extracted lines. See docs/clean.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsprism import Document, Processor, RemovedLine, hookimpl

__all__ = ["LineCleanerProcessor", "clean_text"]


class LineCleanerProcessor(Processor):
    """Removes boilerplate lines; for HTML, extracts the main text with trafilatura first."""

    name = "clean-lines"
    stage = "clean"
    provides = ("text",)
    version = "1.0"
    description = "Line classifier (title/content/credit/caption/boilerplate) + trafilatura for HTML"

    def setup(self) -> None:
        self.model, manifest = self.load_model("clean")
        self.model_sha256 = manifest.get("sha256")
        self.threshold = self.config.get("keep_threshold")

    def process_batch(self, docs: Sequence[Document]) -> None:
        from .cleaner import decide

        self.ensure_setup()
        texts = [self._lines_of(doc) for doc in docs]
        # trafilatura already removed most chrome: HTML's second pass uses its own, more conservative threshold.
        html_threshold = self.model.html_threshold
        thresholds = [html_threshold if doc.format == "html" else self.threshold for doc in docs]
        for doc, lines, decision in zip(docs, texts, decide(self.model, texts, thresholds), strict=False):
            doc.text = "\n".join(lines[i] for i in decision.kept)
            doc.removed = [RemovedLine(n + 1, reason, lines[n]) for n, reason in decision.removed]
            if doc.title is None and decision.title is not None:
                doc.title = lines[decision.title].strip()
            doc.meta["clean"] = {"model_sha256": self.model_sha256, "lines_kept": len(decision.kept),
                                 "lines_removed": len(decision.removed)}

    @staticmethod
    def _lines_of(doc: Document) -> list[str]:
        """The lines the cleaner works on: doc.lines for text; trafilatura's extracted lines for HTML."""
        if doc.format != "html":
            return doc.lines
        from .html import extract_main

        extracted, meta = extract_main(doc.raw, doc.url)
        for key, value in meta.items():
            doc.meta.setdefault(key, value)
        if doc.title is None and meta.get("title"):
            doc.title = meta["title"]
        doc.meta["clean_lines"] = "trafilatura"  # removed line numbers refer to the extracted text's lines
        return extracted.splitlines()


def clean_text(text: str, model: Any = None) -> str:
    """Convenience for library callers: the clean body of one plain-text article."""
    processor = LineCleanerProcessor({"model": model} if model else None)
    doc = Document(id="text", raw=text)
    processor.process_batch([doc])
    return doc.text or ""


@hookimpl
def newsprism_register_processors(register) -> None:
    register(LineCleanerProcessor)


@hookimpl
def newsprism_register_tasks(register) -> None:
    from newsprism.tasks import Task

    register(Task.from_module(
        name="clean",
        help="Boilerplate removal: line classifier trained on trafilatura-eval-en (silver) and AllSides lines",
        module="newsprism.plugins.clean.task",
    ))


