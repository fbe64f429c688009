"""The hooks newsprism plugins implement.

Hooks *register* things; the engine owns ordering, configuration, batching,
error handling and merging. Every hook here is documented in docs/plugins.md
(a test fails when one is not). New arguments are only ever added in pluggy's
opt-in way: an implementation may accept fewer arguments than the spec names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

PROJECT_NAME = "newsprism"
#: Bumped when a hook or the Processor/Task contract changes incompatibly.
PLUGIN_API_VERSION = "1.0"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def newsprism_register_processors(register: Callable[[type], None]) -> None:
    """Register processor classes (subclasses of ``newsprism.Processor``).

    Call ``register(MyProcessor)`` once per class. The engine instantiates the
    class with its configuration only when a pipeline uses it.
    """


@hookspec
def newsprism_register_readers(register: Callable[[Any], None]) -> None:
    """Register input readers: ``register(Reader(name, extensions, read))``.

    ``read(data: bytes, origin: str)`` returns an iterable of ``Document``. A
    reader for an extension the core already reads replaces the core's.
    """


@hookspec
def newsprism_register_tasks(register: Callable[[Any], None]) -> None:
    """Register trainable tasks: ``register(Task(name, help, train, evaluate))``.

    ``newsprism train TASK DATA`` and ``newsprism evaluate TASK DATA`` dispatch
    to the task of that name.
    """


@hookspec
def newsprism_register_commands(app: Any) -> None:
    """Add commands to the ``newsprism`` CLI. ``app`` is the root ``typer.Typer``."""
