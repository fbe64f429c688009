"""Labelled data in DESIGN.md's format, and where the shared data sets live."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

#: Environment variable naming the shared data folder, overriding the search.
DATA_ENV = "NEWSPRISM_DATA"


class DataError(ValueError):
    """Labelled data that cannot be read: the message names the file and line."""


def find_shared_data(start: Path | None = None) -> Path | None:
    """The shared data folder: $NEWSPRISM_DATA, else ``../shared/data`` beside the project or the cwd."""
    if os.environ.get(DATA_ENV):
        path = Path(os.environ[DATA_ENV]).expanduser()
        return path if path.is_dir() else None
    project_root = Path(__file__).resolve().parent.parent
    for base in (start or Path.cwd(), project_root):
        for candidate in (base / "../shared/data", base / "shared/data"):
            if candidate.is_dir():
                return candidate.resolve()
    return None


def open_text(path: Path) -> io.TextIOBase:
    """Open a UTF-8 text file, transparently gunzipping ``*.gz``."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def read_labelled(path: Path) -> list[dict[str, Any]]:
    """Rows of a labelled CSV or JSON Lines file (``text`` and ``label``; optional ``title``, ``claim``, ``id``)."""
    rows = list(_iter_rows(Path(path)))
    if not rows:
        raise DataError(f"{path}: no labelled rows")
    missing = [i for i, row in enumerate(rows, 1) if not row.get("text") and not row.get("html")]
    if missing:
        raise DataError(f"{path}: rows {missing[:5]} have no 'text'")
    return rows


def _iter_rows(path: Path) -> Iterator[dict[str, Any]]:
    name = path.name.removesuffix(".gz")
    with open_text(path) as handle:
        if name.endswith(".csv"):
            csv.field_size_limit(1 << 30)
            yield from csv.DictReader(handle)
        elif name.endswith((".jsonl", ".json")):
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise DataError(f"{path}:{number}: not JSON ({exc.msg})") from None
        else:
            raise DataError(f"{path}: expected .csv or .jsonl (optionally .gz)")


def fingerprint(paths: Iterable[Path]) -> str:
    """sha256 over the files' names and bytes: identifies the training data in a manifest."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
