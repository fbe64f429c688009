"""The processor contract: what a plugin registers to work on documents.

A processor is a class. The engine instantiates it with its configuration,
orders it by stage, validates ``requires``/``provides`` before reading any
document, and calls :meth:`Processor.process_batch` on batches. Loading a model
belongs in :meth:`Processor.setup` (called once per process, lazily), so that
listing plugins or running other stages costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from newsprism.document import STAGES, Document


class Processor:
    """Base class for processors. Subclasses set the class attributes and ``process_batch``."""

    #: Unique name, used by ``--only``/``--disable`` and in provenance.
    name: ClassVar[str]
    #: One of :data:`newsprism.document.STAGES`, or a custom stage that runs after them.
    stage: ClassVar[str]
    #: Facts this processor needs from an earlier one (e.g. ``"text"``).
    requires: ClassVar[tuple[str, ...]] = ()
    #: Facts this processor adds (e.g. ``"text"``, ``"topic"``).
    provides: ClassVar[tuple[str, ...]] = ()
    #: Lower runs first within a stage; ties break by name. Never registration order.
    priority: ClassVar[int] = 100
    version: ClassVar[str] = "0"
    description: ClassVar[str] = ""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config: dict[str, Any] = dict(config or {})
        self._ready = False

    def setup(self) -> None:
        """Load models or other heavy state. Called once, before the first batch."""

    def ensure_setup(self) -> None:
        if not self._ready:
            self.setup()
            self._ready = True

    def load_model(self, default: str) -> tuple[Any, dict[str, Any]]:
        """The model named by config ``model`` (else the shipped ``default``), from trusted folders only."""
        from newsprism.modelstore import load_model

        return load_model(self.config.get("model") or default, trusted=self.config.get("trusted", []))

    def process_batch(self, docs: Sequence[Document]) -> None:
        """Work on a batch of documents in place. Raise to signal failure.

        If this raises, the engine retries the documents one by one so that only
        the failing document records the error.
        """
        raise NotImplementedError


def stage_rank(stage: str) -> int:
    """Position of a stage in the pipeline: built-ins in order, custom stages after them."""
    return STAGES.index(stage) if stage in STAGES else len(STAGES)
