"""Helpers shared by the command modules: the stderr console and option parsing."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

#: The TASK and DATA arguments that ``train`` and ``evaluate`` share.
TaskName = Annotated[
    str, typer.Argument(metavar="TASK", help="Task name (clean, source, topic, stance, or a plugin's).")
]
LabelledData = Annotated[
    Path, typer.Argument(metavar="DATA", help="Labelled CSV/JSONL file, or the shared data folder.")
]


@cache
def err() -> Console:
    """The stderr console: diagnostics and progress go there so stdout stays a clean stream of records.

    Built on first use, so a run with nothing to report never builds one.
    """
    from rich.console import Console

    return Console(stderr=True)


def split_names(values: list[str] | None) -> list[str]:
    """``--only a,b --only c`` -> ["a", "b", "c"]."""
    return [name.strip() for value in values or [] for name in value.split(",") if name.strip()]


def model_overrides(values: list[str] | None, trusted: list[Path]) -> dict[str, dict]:
    """``--model topic=PATH`` -> {"topic": {"model": "PATH", "trusted": [...]}} for every stage."""
    config: dict[str, dict] = {}
    for value in values or []:
        stage, sep, path = value.partition("=")
        if not sep or not stage or not path:
            raise typer.BadParameter(f"expected STAGE=PATH, got {value!r}", param_hint="--model")
        config[stage.strip()] = {"model": path.strip()}
    if trusted:
        for stage in ("clean", "source", "topic", "stance", *config):
            config.setdefault(stage, {})["trusted"] = [str(p) for p in trusted]
    return config


def fail_usage(message: str) -> None:
    err().print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)
