"""Writing records: JSON Lines (the default, streamed), CSV (flattened, streamed) or a table (at the end)."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

FORMATS = ("jsonl", "csv", "table")

CSV_COLUMNS = (
    "id", "path", "title", "publisher", "publisher_score", "credits", "topic", "topic_code", "topic_score",
    "stance", "stance_score", "claim", "removed_lines", "errors",
)  # fmt: skip


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """One flat row per record, for CSV and the table."""
    source, topic, stance = (record.get(k) or {} for k in ("source", "topic", "stance"))
    return {
        "id": record.get("id"),
        "path": record.get("path"),
        "title": record.get("title"),
        "publisher": source.get("publisher"),
        "publisher_score": source.get("score"),
        "credits": "; ".join(c["name"] for c in source.get("credits", [])),
        "topic": topic.get("label"),
        "topic_code": topic.get("code"),
        "topic_score": topic.get("score"),
        "stance": stance.get("label"),
        "stance_score": stance.get("score"),
        "claim": stance.get("claim"),
        "removed_lines": len(record.get("clean", {}).get("removed", [])),
        "errors": "; ".join(f"{e['plugin']}: {e['message']}" for e in record.get("errors", [])),
    }


class RecordWriter:
    """Writes records to ``stream`` in one of :data:`FORMATS`; call :meth:`close` at the end."""

    def __init__(self, stream: TextIO, fmt: str = "jsonl") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.stream, self.format = stream, fmt
        self._rows: list[dict[str, Any]] = []
        self._csv = csv.DictWriter(stream, fieldnames=CSV_COLUMNS) if fmt == "csv" else None
        if self._csv:
            self._csv.writeheader()

    def write(self, record: dict[str, Any]) -> None:
        if self.format == "jsonl":
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self._csv:
            self._csv.writerow(flatten(record))
        else:
            self._rows.append(flatten(record))

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        if self.format == "table":
            _print_table(self._rows, self.stream)
        self.stream.flush()


def _print_table(rows: list[dict[str, Any]], stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    columns = ("id", "publisher", "credits", "topic", "stance", "removed_lines", "errors")
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column == "id")  # an id is looked up whole
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    Console(file=stream, width=max(100, Console().width)).print(table)
