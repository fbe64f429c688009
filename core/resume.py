"""Resuming an interrupted ``classify --output FILE`` run.

Records are written in input order, one complete line each, flushed after
every batch. After a crash the file holds N complete records, perhaps followed
by a torn line. Resuming drops the torn line and skips the first N input
documents — checking that their ids and paths match the records, so that a
resume against different inputs is refused rather than silently wrong.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsprism.document import Document


class ResumeError(ValueError):
    """The output file cannot be resumed against these inputs."""


def completed_records(output: Path) -> list[tuple[str, str | None]]:
    """(id, path) of every complete record in ``output``, after cutting off a torn last line."""
    if not output.exists():
        return []
    keys: list[tuple[str, str | None]] = []
    good_end = 0
    with open(output, "rb") as stream:
        for line in stream:
            if not line.endswith(b"\n"):
                break  # torn by the crash
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                break
            keys.append((str(record.get("id")), record.get("path")))
            good_end += len(line)
    if good_end != output.stat().st_size:
        with open(output, "r+b") as stream:
            stream.truncate(good_end)
            os.fsync(stream.fileno())
    return keys


def skip_completed(documents: Iterable[Document], done: list[tuple[str, str | None]]) -> Iterator[Document]:
    """Skip the documents already in the output, checking each against its record."""
    iterator = iter(documents)
    for position, (record_id, record_path) in enumerate(done, 1):
        document = next(iterator, None)
        if document is None:
            raise ResumeError(f"the output holds {len(done)} records but the inputs have only {position - 1} documents")
        if (document.id, document.path) != (record_id, record_path):
            raise ResumeError(
                f"record {position} of the output is {record_id!r} ({record_path}) but input document {position} is "
                f"{document.id!r} ({document.path}); resume with the same inputs, or start a new output file"
            )
    yield from iterator
