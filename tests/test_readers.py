"""Readers: encodings, formats, inputs; any bytes in, at least one document out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.readers import InputError, InputReader, decode, expand_inputs

ENGLISH = "Café owners in Zürich said the “new rules” cost them €300 a month — and more in winter.\n"
ARABIC = "قالت وزارة الخارجية إن المحادثات بشأن حلب ستستأنف الأسبوع المقبل في جنيف.\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (ENGLISH, "utf-8"),
        (ENGLISH, "utf-8-sig"),
        (ENGLISH, "utf-16"),  # with BOM
        (ENGLISH * 3, "cp1252"),
        ("Les élèves ont visité le musée à Genève hier soir.\n" * 3, "latin-1"),
        (ARABIC * 3, "cp1256"),
        (ARABIC, "utf-8"),
    ],
)
def test_common_encodings_decode_to_the_original_text(text, encoding):
    assert decode(text.encode(encoding)) == text


def test_utf16_without_bom_decodes():
    assert decode((ENGLISH * 3).encode("utf-16-le")) == ENGLISH * 3


def read_file(tmp_path: Path, name: str, data: bytes, **kwargs) -> list:
    path = tmp_path / name
    path.write_bytes(data)
    return list(InputReader(**kwargs).read(str(path)))


def test_jsonl_records_and_broken_lines_each_yield_one_document(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Body A", "title": "Title A", "claim": "Claim A", "url": "https://x.org/a"}),
        "{not json",
        json.dumps({"id": "c", "title": "no text"}),
        "",
        json.dumps({"id": "d", "html": "<html><body><p>Hi</p></body></html>"}),
    ]
    docs = read_file(tmp_path, "records.jsonl", "\n".join(lines).encode())
    assert [d.id for d in docs] == ["a", "records:2", "c", "d"]
    first = docs[0]
    assert (first.title, first.claim, first.url, first.raw) == ("Title A", "Claim A", "https://x.org/a", "Body A")
    assert "line 2" in docs[1].errors[0].message
    assert "no 'text' or 'html'" in docs[2].errors[0].message
    assert docs[3].format == "html" and not docs[3].errors


def test_html_files_are_marked_as_html(tmp_path):
    (doc,) = read_file(tmp_path, "page.html", b"<html><body><p>Hello</p></body></html>")
    assert doc.format == "html" and doc.id == "page"


def test_oversized_file_becomes_an_error_document(tmp_path):
    (doc,) = read_file(tmp_path, "big.txt", b"x" * 2000, max_bytes=1000)
    assert "over --max-bytes" in doc.errors[0].message


def test_binary_file_becomes_an_error_document(tmp_path):
    (doc,) = read_file(tmp_path, "image.txt", bytes(range(256)) * 40)
    assert doc.errors and "binary" in doc.errors[0].message


def test_missing_file_becomes_an_error_document():
    (doc,) = list(InputReader().read_all(["no/such/file.txt"]))
    assert doc.path == "no/such/file.txt" and "cannot read" in doc.errors[0].message


def test_inputs_expand_directories_recursively_and_globs(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/one.txt", "a/b/two.html", "a/b/skip.png", "three.jsonl"):
        (tmp_path / name).write_text("x")
    found = list(expand_inputs([str(tmp_path / "a")], (".txt", ".html")))
    assert [Path(p).name for p in found] == ["one.txt", "two.html"]
    assert [Path(p).name for p in expand_inputs([str(tmp_path / "*.jsonl")], (".txt",))] == ["three.jsonl"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.binary(max_size=3000))
def test_any_bytes_yield_documents_and_never_raise(tmp_path, data):
    for suffix in (".txt", ".jsonl", ".html"):
        docs = read_file(tmp_path, "input" + suffix, data)
        assert docs or (suffix == ".jsonl" and not data.strip())
        for doc in docs:
            assert isinstance(doc.raw, str)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=2000))
def test_any_unicode_text_is_handled_and_text_without_nul_round_trips(text):
    try:
        decoded = decode(text.encode("utf-8"))
    except InputError as exc:  # only NUL-laden input may be called binary
        assert "\x00" in text and "binary" in str(exc)
        return
    assert isinstance(decoded, str)
    if "\x00" not in text:
        assert decoded == text
