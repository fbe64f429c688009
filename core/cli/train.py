"""``newsprism train TASK DATA``: train a task's model with the trainer its plugin registered."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsprism.cli.common import LabelledData, TaskName, err, fail_usage


def register(app: typer.Typer) -> None:
    app.command()(train)


def train(
    task: TaskName,
    data: LabelledData,
    out: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Save the model here (default: the shipped models folder).")
    ] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="Random seed for splits and training.")] = 0,
) -> None:
    """Train and save a model (joblib + JSON manifest) for TASK on DATA.

    Reproduce every shipped model with: newsprism train TASK ../shared/data
    """
    from newsprism.modelstore import shipped_dir
    from newsprism.tasks import TrainRequest

    registered = find_task(task)
    if not data.exists():
        fail_usage(f"{data}: no such file or folder")
    manifest = registered.train(TrainRequest(data=data, out_dir=out or shipped_dir(), seed=seed))
    err().print(f"saved {manifest.get('name', task)} model to {(out or shipped_dir()) / manifest.get('file', '')}")
    for key, value in manifest.get("metrics", {}).items():
        err().print(f"  {key}: {value}")


def find_task(name: str):
    from newsprism.discovery import discover

    tasks = discover().tasks
    if name not in tasks:
        fail_usage(f"unknown task {name!r}; registered tasks: {', '.join(sorted(tasks)) or 'none'}")
    return tasks[name]
