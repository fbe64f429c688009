"""``newsprism classify``: read articles, run the pipeline, write one record per document."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from newsprism.cli.common import err, fail_usage, model_overrides, split_names
from newsprism.output import FORMATS, RecordWriter
from newsprism.readers import DEFAULT_MAX_BYTES

HELP = """Classify news articles: clean body, publisher and credits, topic, stance.

INPUTS are files, directories (read recursively: .txt, .html/.htm, .jsonl), glob
patterns, or - for standard input. JSON Lines records use id, text or html, and
optional title, claim, url. Exit code 0: all documents fine; 1: some documents
carry errors (each still has its record); 2: usage error.

Examples:

  newsprism classify seeds/

  newsprism classify 'articles/**/*.html' --only clean,source --format csv -o out.csv

  cat records.jsonl | newsprism classify - --claim "Russia vetoed the truce"
"""


def register(app: typer.Typer) -> None:
    app.command(help=HELP)(classify)


def classify(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, glob patterns, or - for stdin.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write records here, not stdout.")] = None,
    only: Annotated[Optional[list[str]], typer.Option(help="Run only these stages or processors (a,b).")] = None,
    disable: Annotated[Optional[list[str]], typer.Option(help="Skip these stages or processors (a,b).")] = None,
    claim: Annotated[Optional[str], typer.Option(help="Claim for the stance stage (default: each headline).")] = None,
    text: Annotated[bool, typer.Option("--text", help="Include the clean body in each record.")] = False,
    top_k: Annotated[int, typer.Option("--top-k", min=0, help="Also list the k best classes per task.")] = 0,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per batch.")] = 64,
    model: Annotated[
        Optional[list[str]], typer.Option(help="Use another model for a stage: STAGE=PATH (repeatable).")
    ] = None,
    trust: Annotated[
        Optional[list[Path]], typer.Option(help="Trust models in this folder (joblib runs code on load).")
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Per-document size limit; larger inputs become error records.")
    ] = DEFAULT_MAX_BYTES,
    progress: Annotated[
        Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: if a TTY).")
    ] = None,
) -> None:
    from newsprism.engine import Engine, PipelineError
    from newsprism.readers import InputReader

    if fmt not in FORMATS:
        fail_usage(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    try:
        engine = Engine(
            only=split_names(only) or None,
            disable=split_names(disable),
            config=model_overrides(model, trust or []),
            batch_size=batch_size,
        )
    except PipelineError as exc:
        fail_usage(str(exc))
    reader = InputReader(engine.registry.readers, max_bytes=max_bytes)
    documents = _with_claim(reader.read_all(inputs), claim)
    show_progress = sys.stderr.isatty() if progress is None else progress
    with _open_output(output) as stream, _progress(show_progress) as advance:
        writer = RecordWriter(stream, fmt)
        total = failed = 0
        for document in engine.pipe(documents, n_jobs=jobs):
            writer.write(document.to_record(include_text=text, top_k=top_k))
            total += 1
            failed += bool(document.errors)
            advance()
        writer.close()
    _summarise(total, failed)
    raise typer.Exit(1 if failed else 0)


def _with_claim(documents: Iterator, claim: str | None) -> Iterator:
    for document in documents:
        if claim:
            document.claim = claim
        yield document


@contextmanager
def _open_output(output: Path | None):
    if output is None:
        yield sys.stdout
        return
    with open(output, "w", encoding="utf-8", newline="") as stream:
        yield stream


@contextmanager
def _progress(enabled: bool):
    if not enabled:
        yield lambda: None
        return
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("classifying"), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("classify", total=None)
        yield lambda: bar.advance(task)


def _summarise(total: int, failed: int) -> None:
    if total == 0:
        err.print("[yellow]no documents found in the inputs[/]")
    elif failed:
        err.print(f"{total} documents, [bold red]{failed} with errors[/] (see each record's \"errors\")")
