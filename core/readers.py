"""Turning command-line inputs into documents: paths, directories, globs, stdin; text, HTML, JSON Lines.

Every input yields at least one document. Anything that cannot be read still
yields one, carrying an error that names the file (and line) and what is wrong,
so that nothing is silently lost.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsprism.document import Document

#: Default per-document size limit (``--max-bytes``): far above any article, far below trouble.
DEFAULT_MAX_BYTES = 10_000_000
READER = "reader"  # the "plugin" name errors of reading are recorded under

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


#: Encodings tried first, most common first (charset-normalizer's names).
_COMMON = (
    "cp1252", "latin_1", "iso8859_15", "cp1256", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "koi8_r",
    "utf_16_le", "utf_16_be", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr",
)  # fmt: skip


class InputError(ValueError):
    """An input that cannot be turned into a document; the message says why."""


@dataclass(frozen=True)
class Reader:
    """An input format. ``read(data, origin)`` returns documents; a ``streaming`` reader gets a binary file instead."""

    name: str
    extensions: tuple[str, ...]
    read: Callable[..., Iterable[Document]]
    streaming: bool = False


def decode(data: bytes) -> str:
    """Bytes to text: a BOM if present, else strict UTF-8, else charset-normalizer's best guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if not _looks_like_utf16(data):  # UTF-16 text without a BOM is valid UTF-8 too, full of NULs
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    best = _detect(data)
    if best is None:
        raise InputError("binary or undecodable content (no text encoding fits)")
    text = str(best)
    if _control_share(text) > 0.05:
        raise InputError(f"binary content (decoded as {best.encoding}, but mostly control characters)")
    return text


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" in sample and sample.count(0) * 4 >= len(sample)


def _detect(data: bytes):
    """charset-normalizer's match, among the common web encodings first.

    On short texts several code pages look equally clean; ties go to the more
    common encoding (Windows-1252 before Windows-1250, say), in _COMMON order.
    """
    from charset_normalizer import from_bytes

    candidates = list(from_bytes(data, cp_isolation=list(_COMMON)))
    if candidates:
        return min(candidates, key=lambda m: (round(m.chaos, 2), _COMMON.index(m.encoding)))
    return from_bytes(data).best()


def _control_share(text: str) -> float:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls / max(len(sample), 1)


def _check_text(text: str) -> str:
    if not text.strip():
        raise InputError("empty file: no text to classify")
    if "\x00" in text[:20000] and _control_share(text) > 0.05:
        raise InputError("binary content (NUL bytes)")
    return text


def read_text(data: bytes, origin: str) -> list[Document]:
    return [Document(id=_stem(origin), raw=_check_text(decode(data)), path=origin)]


def read_html(data: bytes, origin: str) -> list[Document]:
    return [Document(id=_stem(origin), raw=_check_text(decode(data)), path=origin, format="html")]


def read_jsonl(stream: BinaryIO, origin: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    """One document per non-blank line; a broken line yields an error document naming the line."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        fallback_id = f"{_stem(origin)}:{number}"
        record = None
        try:
            if len(line) > max_bytes:
                raise InputError(f"record is {len(line):,} bytes, over --max-bytes {max_bytes:,}")
            record = json.loads(decode(line))
            yield record_to_document(record, fallback_id, origin)
        except (InputError, ValueError) as exc:
            record_id = record.get("id") if isinstance(record, dict) else None
            yield error_document(str(record_id or fallback_id), origin, f"line {number}: {exc}")


def record_to_document(record: object, fallback_id: str, origin: str | None) -> Document:
    """A JSON Lines record (``id``, ``text`` or ``html``, optional ``title``, ``claim``, ``url``, ``author``) as a
    document; ``author`` (or ``authors``) goes to ``meta["author"]``, where the HTML path keeps trafilatura's."""
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise InputError("record has no 'text' or 'html' string")
    return Document(
        id=str(record.get("id", fallback_id)),
        raw=text if isinstance(text, str) else html,
        format="text" if isinstance(text, str) else "html",
        path=origin,
        url=_optional_str(record.get("url")),
        title=_optional_str(record.get("title")),
        claim=_optional_str(record.get("claim")),
        meta=_author_meta(record),
    )


def _author_meta(record: dict) -> dict[str, str]:
    author = _optional_str(record.get("author")) or _optional_str(record.get("authors"))
    return {"author": author} if author else {}


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def error_document(doc_id: str, origin: str | None, message: str) -> Document:
    document = Document(id=doc_id, path=origin)
    document.add_error(READER, message)
    return document


def _stem(origin: str) -> str:
    name = Path(origin).name
    return name.split(".", 1)[0] or name


BUILTIN_READERS = (
    Reader("text", (".txt", ".text", ".md"), read_text),
    Reader("html", (".html", ".htm", ".xhtml"), read_html),
    Reader("jsonl", (".jsonl", ".ndjson"), read_jsonl, streaming=True),
)


# --- inputs -----------------------------------------------------------------


def expand_inputs(arguments: Iterable[str], extensions: Iterable[str]) -> Iterator[str]:
    """Files named by ``arguments`` in order: files as given, directories recursively, glob patterns.

    Inside directories only files with a known extension are taken; a file
    named directly is read whatever its name. Missing paths are passed on, so
    that reading them yields an error record.
    """
    known = tuple(extensions)
    for argument in arguments:
        if argument == "-" or os.path.isfile(argument) or os.path.islink(argument):
            yield argument
        elif os.path.isdir(argument):
            yield from _walk(argument, known)
        elif glob.has_magic(argument):
            for match in sorted(glob.glob(argument, recursive=True)):
                yield from _walk(match, known) if os.path.isdir(match) else [match]
        else:
            yield argument  # missing: reading it reports the error


def _walk(directory: str, extensions: tuple[str, ...]) -> Iterator[str]:
    # Directory symlinks are not followed: a symlink loop cannot trap the walk.
    for root, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(extensions) or os.path.islink(os.path.join(root, name)):
                yield os.path.join(root, name)


class InputReader:
    """Reads inputs with the built-in readers plus any registered by plugins (which win on the same extension)."""

    def __init__(self, readers: Iterable[Reader] = (), max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.by_extension: dict[str, Reader] = {}
        for reader in (*BUILTIN_READERS, *readers):
            for extension in reader.extensions:
                self.by_extension[extension.lower()] = reader
        self.max_bytes = max_bytes

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(self.by_extension)

    def read_all(self, arguments: Iterable[str]) -> Iterator[Document]:
        for path in expand_inputs(arguments, self.extensions):
            yield from self.read(path)

    def read(self, path: str) -> Iterator[Document]:
        """Documents of one input; an unreadable input yields one error document."""
        try:
            if path == "-":
                yield from self._read_stdin()
                return
            reader = self._reader_for(path)
            with open(path, "rb") as stream:
                if reader.streaming:
                    yield from reader.read(stream, path, self.max_bytes)
                else:
                    yield from reader.read(self._bounded_read(stream), path)
        except (OSError, InputError, ValueError) as exc:
            yield error_document(_stem(path), path, _describe(exc))

    def _reader_for(self, path: str) -> Reader:
        suffix = Path(path).suffix.lower()
        return self.by_extension.get(suffix, self.by_extension[".txt"])

    def _bounded_read(self, stream: BinaryIO) -> bytes:
        data = stream.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise InputError(f"file is over --max-bytes {self.max_bytes:,} bytes; raise the limit to read it")
        return data

    def _read_stdin(self) -> Iterator[Document]:
        data = self._bounded_read(sys.stdin.buffer)
        if _looks_like_jsonl(data):
            import io

            yield from read_jsonl(io.BytesIO(data), "<stdin>", self.max_bytes)
        elif data.lstrip()[:1] == b"<" and b"<html" in data[:4096].lower():
            yield from read_html(data, "<stdin>")
        else:
            yield from read_text(data, "<stdin>")


def _looks_like_jsonl(data: bytes) -> bool:
    lines = [line.strip() for line in data.splitlines()[:20] if line.strip()]
    return bool(lines) and all(line.startswith(b"{") for line in lines)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return str(exc)
