"""``newsprism models``: the shipped models (and trusted folders), with hash checks and metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command(name="models")(list_models)


def list_models(
    trust: Annotated[list[Path] | None, typer.Option(help="Also list models in this folder.")] = None,
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

    table = Table("task", "file", "size", "hash", "scikit-learn", "held-out metrics")
    for m in manifests:
        size = f"{m['size_bytes'] / 1e6:.1f} MB" if m["size_bytes"] else "missing"
        metrics = ", ".join(f"{k}={v:.3f}" for k, v in _flat_metrics(m.get("metrics", {})))
        hash_state = "ok" if m["hash_ok"] else "[red]MISMATCH[/]"
        table.add_row(m["task"], m["path"], size, hash_state, m["versions"].get("scikit-learn", "?"), metrics)
    Console().print(table)


def _flat_metrics(metrics: dict, prefix: str = "") -> list[tuple[str, float]]:
    out = []
    for key, value in metrics.items():
        if isinstance(value, dict):
            out += _flat_metrics(value, f"{prefix}{key}.")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append((prefix + key, float(value)))
    return out[:6] if not prefix else out
