"""The ``newsprism`` command line: one module per command group, plus commands from plugins.

Exit codes: 0 every document processed cleanly; 1 some documents carry errors;
2 usage error (bad option, unknown stage or plugin, unreadable model).
"""

from __future__ import annotations

import typer

from newsprism.cli import classify, evaluate, models, plugins, train

app = typer.Typer(
    name="newsprism",
    help="Clean, source, topic and stance for news articles. Records go to stdout as JSON Lines; "
    "progress and diagnostics go to stderr.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for module in (classify, plugins, models, train, evaluate):
    module.register(app)


def main() -> None:
    """Console entry point: add plugin commands, then run."""
    from newsprism.discovery import discover, register_commands
    from newsprism.startup import collect_garbage_less_often, defer_imports, skip_collections_at_exit

    defer_imports()  # about 0.6 s of start-up that predicting never needs (see newsprism.startup)
    collect_garbage_less_often()

    registry = discover()
    register_commands(registry, app)
    try:
        app(obj=registry)  # commands reuse it (ctx.obj) rather than loading every plugin again
    finally:
        skip_collections_at_exit()
