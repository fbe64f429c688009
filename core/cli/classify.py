"""``newsprism classify``: read articles, run the pipeline, write one record per document."""

from __future__ import annotations

import shlex
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from newsprism.cli.common import err, fail_usage, model_overrides, split_names
from newsprism.engine import DEFAULT_BATCH_SIZE, DEFAULT_TIMEOUT
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
    ctx: typer.Context,
    inputs: Annotated[
        list[str], typer.Argument(metavar="INPUT", help="Files, directories, glob patterns, or - for stdin.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=f"Output format: {', '.join(FORMATS)}.")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write records here, not stdout.")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted --output FILE run (JSON Lines, same inputs).")
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option(metavar="NAMES", help="Run only these stages or processors (a,b).")
    ] = None,
    disable: Annotated[
        list[str] | None, typer.Option(metavar="NAMES", help="Skip these stages or processors (a,b).")
    ] = None,
    claim: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Claim for the stance stage (default: each headline).")
    ] = None,
    text: Annotated[bool, typer.Option("--text", help="Include the clean body in each record.")] = False,
    top_k: Annotated[
        int, typer.Option("--top-k", min=0, metavar="K", help="Also list the k best classes per task.")
    ] = 0,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes (joblib).")] = 1,
    dask: Annotated[
        str | None,
        typer.Option(metavar="ADDRESS", help="Run on a Dask cluster: scheduler address, e.g. tcp://HOST:8786."),
    ] = None,
    unordered: Annotated[bool, typer.Option("--unordered", help="Write records as batches finish.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, metavar="N", help="Documents per batch.")] = DEFAULT_BATCH_SIZE,
    model: Annotated[
        list[str] | None,
        typer.Option(metavar="STAGE=PATH", help="Use another model for a stage: STAGE=PATH (repeatable)."),
    ] = None,
    trust: Annotated[
        list[Path] | None, typer.Option(metavar="DIR", help="Trust models in this folder (joblib runs code on load).")
    ] = None,
    max_bytes: Annotated[
        int, typer.Option(min=1, metavar="BYTES", help="Per-document size limit; larger inputs become error records.")
    ] = DEFAULT_MAX_BYTES,
    timeout: Annotated[
        float, typer.Option(min=0, metavar="SECONDS", help="Seconds a processor may spend per document (0: no limit).")
    ] = DEFAULT_TIMEOUT,
    strict: Annotated[bool, typer.Option("--strict", help="Stop with exit code 1 at the first error.")] = False,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: if a TTY).")
    ] = None,
) -> None:
    _check_usage(fmt, output, resume, unordered)
    engine = _build_engine(only, disable, model, trust, batch_size, timeout, registry=ctx.obj)
    from newsprism.readers import InputReader

    documents = _with_claim(InputReader(engine.registry.readers, max_bytes=max_bytes).read_all(inputs), claim)
    done = _resume_point(output) if resume else []
    if done:
        err().print(f"resuming after {len(done)} records already in {output}")
    from newsprism.resume import skip_completed

    results = engine.pipe(skip_completed(documents, done), n_jobs=jobs, ordered=not unordered, dask=dask)
    show_progress = sys.stderr.isatty() if progress is None else progress
    with _open_output(output, bool(done)) as stream, _progress(show_progress) as advance, _interruptible() as stop:
        counts = _write_records(results, RecordWriter(stream, fmt), advance, stop, strict, text, top_k)
    _finish(counts, stop, sys.argv, output)


def _check_usage(fmt: str, output: Path | None, resume: bool, unordered: bool) -> None:
    if fmt not in FORMATS:
        fail_usage(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if resume and (output is None or fmt != "jsonl" or unordered):
        fail_usage("--resume needs --output FILE, the jsonl format and ordered output (no --unordered)")


def _build_engine(only, disable, model, trust, batch_size, timeout, registry=None):
    from newsprism.engine import Engine, PipelineError

    try:
        return Engine(
            only=split_names(only) or None,
            disable=split_names(disable),
            config=model_overrides(model, trust or []),
            batch_size=batch_size,
            timeout=timeout or None,
            registry=registry,
        )
    except PipelineError as exc:
        fail_usage(str(exc))


def _resume_point(output: Path) -> list:
    from newsprism.resume import completed_records

    return completed_records(output)


def _write_records(results, writer, advance, stop, strict, text, top_k) -> dict:
    from newsprism.resume import ResumeError

    counts = {"total": 0, "failed": 0}
    try:
        for document in results:
            writer.write(document.to_record(include_text=text, top_k=top_k))
            counts["total"] += 1
            counts["failed"] += bool(document.errors)
            advance()
            if counts["total"] % 64 == 0:
                writer.flush()
            if stop.is_set() or (strict and document.errors):
                counts["stopped_at"] = document.id
                break
    except ResumeError as exc:
        fail_usage(str(exc))
    finally:
        writer.close()
    return counts


def _with_claim(documents: Iterator, claim: str | None) -> Iterator:
    for document in documents:
        if claim:
            document.claim = claim
        yield document


@contextmanager
def _open_output(output: Path | None, append: bool = False):
    if output is None:
        yield sys.stdout
        return
    with open(output, "a" if append else "w", encoding="utf-8", newline="") as stream:
        yield stream


@contextmanager
def _interruptible():
    """The first Ctrl-C asks for a clean stop after the current record; a second one aborts."""
    stop = threading.Event()

    def on_sigint(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _progress(enabled: bool):
    if not enabled:
        yield lambda: None
        return
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("classifying"), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err(), transient=True) as bar:
        task = bar.add_task("classify", total=None)
        yield lambda: bar.advance(task)


def _finish(counts: dict, stop: threading.Event, argv: list[str], output: Path | None) -> None:
    total, failed = counts["total"], counts["failed"]
    if stop.is_set():
        again = " ".join(shlex.quote(a) for a in argv if a != "--resume")
        hint = f"resume with: {again} --resume" if output else "rerun with --output FILE to be able to resume"
        err().print(f"[yellow]interrupted after {total} records;[/] {hint}")
        raise typer.Exit(130)
    if "stopped_at" in counts:
        err().print(f"[bold red]--strict: stopping at the first error, in document {counts['stopped_at']!r}[/]")
    elif total == 0:
        err().print("[yellow]no documents found in the inputs[/]")
    elif failed:
        noun = "document" if total == 1 else "documents"
        err().print(f'{total} {noun}, [bold red]{failed} with errors[/] (see each record\'s "errors")')
    raise typer.Exit(1 if failed else 0)
