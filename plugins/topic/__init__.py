"""Topic plugin: top-level IPTC Media Topics, or any user taxonomy trained with ``newsprism train topic DATA``.

Imports stay cheap: scikit-learn and the model load only when a pipeline or a task runs.
See docs/topic.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsprism import hookimpl


@hookimpl
def newsprism_register_processors(register: Callable[[type], None]) -> None:
    from .processor import TopicProcessor

    register(TopicProcessor)




@hookimpl
def newsprism_register_tasks(register: Callable[[Any], None]) -> None:
    from newsprism.tasks import Task

    register(
        Task.from_module(
            name="topic",
            help="IPTC Media Topic classifier (or your own labels from a text,label CSV/JSONL).",
            module="newsprism.plugins.topic.train",
        )
    )
