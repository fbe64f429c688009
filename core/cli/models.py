"""``newsprism models``: the shipped models (and trusted folders), with hash checks and metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command(name="models")(list_models)


def list_models(
    trust: Annotated[list[Path] | None, typer.Option(metavar="DIR", help="Also list models in this folder.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the manifests as JSON.")] = False,
) -> None:
    """List models: task, file, size, sha256 check, scikit-learn version and held-out metrics."""
    from newsprism.modelstore import list_models as find
    from newsprism.modelstore import sha256_file

    manifests = find(trust or [])
    for manifest in manifests:
        path = Path(manifest["path"])
        manifest["hash_ok"] = path.is_file() and sha256_file(path) == manifest["sha256"]
        manifest["size_bytes"] = path.stat().st_size if path.is_file() else None
    if as_json:
        typer.echo(json.dumps(manifests, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("task", "model", "held-out metric", "value")
    table.columns[2].overflow = "fold"
    for m in manifests:
        metrics = headline_metrics(m.get("metrics", {}))
        about = _model_lines(m)
        rows = max(len(metrics), len(about))
        metrics += [("", None)] * (rows - len(metrics))
        about += [""] * (rows - len(about))
        for i, ((name, value), line) in enumerate(zip(metrics, about, strict=True)):
            shown = "" if value is None else f"{value:.3f}"
            table.add_row(m["task"] if i == 0 else "", line, name, shown, end_section=i == rows - 1)
    console = Console()
    console.print(table)
    for folder in sorted({str(Path(m["path"]).parent) for m in manifests}):
        console.print(f"models in {folder}", highlight=False)
    console.print("every metric, and the split it was measured on: newsprism models --json", highlight=False)


def _model_lines(manifest: dict) -> list[str]:
    """File, size, hash check and scikit-learn version, one per line beside the metrics."""
    size = f"{manifest['size_bytes'] / 1e6:.1f} MB" if manifest["size_bytes"] else "[red]missing[/]"
    sha = "sha256 ok" if manifest["hash_ok"] else "[red]sha256 MISMATCH[/]"
    return [Path(manifest["path"]).name, size, sha, f"scikit-learn {manifest['versions'].get('scikit-learn', '?')}"]


#: Metric names worth a line in the table: a model's results, not sample sizes or thresholds.
_HEADLINE = ("accuracy", "f1", "score", "wrong")
#: Nested metric groups measured on data used for tuning, left out of the held-out column.
_NOT_HELD_OUT = ("dev", "tuning", "calibration")


def headline_metrics(metrics: dict, prefix: str = "", limit: int = 8) -> list[tuple[str, float]]:
    """The first ``limit`` held-out result metrics (accuracy, F1, scores, wrong shares), nested groups flattened."""
    out = []
    for key, value in metrics.items():
        if isinstance(value, dict):
            if key not in _NOT_HELD_OUT:
                out += headline_metrics(value, f"{prefix}{key}.", limit)
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and any(w in key for w in _HEADLINE):
            out.append((prefix + key, float(value)))
    return out[:limit]
