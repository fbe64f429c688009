"""``newsprism plugins``: every discovered plugin, its processors and its status."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command(name="plugins")(list_plugins)


def list_plugins(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List discovered plugins: package, version, processors and stages, tasks, status (loaded/disabled/failed).

    NEWSPRISM_LOAD_PLUGINS=a,b loads only those entry points (empty: none);
    NEWSPRISM_DISABLE_PLUGINS=a,b blocks those.
    """
    from newsprism.discovery import discover

    plugins = list(discover().describe_packages().plugins.values())
    if as_json:
        typer.echo(json.dumps([asdict(p) for p in plugins], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("plugin", "package", "version", "processors (stage)", "tasks", "status")
    for p in plugins:
        processors = ", ".join(f"{x['name']} ({x['stage']})" for x in p.processors)
        status = p.status if not p.error else f"[red]{p.status}: {p.error}[/]"
        table.add_row(p.name, p.package or "", p.version or "", processors, ", ".join(p.tasks), status)
    Console().print(table)
