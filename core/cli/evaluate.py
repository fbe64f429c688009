"""``newsprism evaluate TASK DATA``: score a model on labelled data with its plugin's evaluator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsprism.cli.common import LabelledData, TaskName, fail_usage
from newsprism.cli.train import find_task


def register(app: typer.Typer) -> None:
    app.command()(evaluate)


def evaluate(
    task: TaskName,
    data: LabelledData,
    model: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Model file to evaluate (default: the shipped one).")
    ] = None,
    trust: Annotated[list[Path] | None, typer.Option(metavar="DIR", help="Trust models in this folder.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole report as JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(metavar="PNG", help="Write the confusion matrix as a PNG here.")] = None,
) -> None:
    """Evaluate TASK's model on DATA: metrics, per-class figures, confusion matrix."""
    from newsprism.modelstore import ModelError
    from newsprism.tasks import EvalRequest

    registered = find_task(task)
    if not data.exists():
        fail_usage(f"{data}: no such file or folder")
    request = EvalRequest(data=data, model=model, trusted=list(trust or []), plot=plot)
    try:
        report = registered.evaluate(request)
    except ModelError as exc:
        fail_usage(str(exc))
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
    else:
        _print_report(report)


def _print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    metrics = Table("metric", "value", title="metrics")
    for key, value in report.get("metrics", {}).items():
        metrics.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    console.print(metrics)
    per_class = report.get("per_class") or {}
    if per_class:
        table = Table("class", "precision", "recall", "f1", "support", title="per class")
        for label, row in per_class.items():
            table.add_row(label, *(f"{row[k]:.3f}" for k in ("precision", "recall", "f1")), str(row["support"]))
        console.print(table)
