"""Build the IPTC training set from the shared data sets, with the mapping in ``iptc_mapping.json``.

Every row is (text, IPTC top-level name, set name). Texts are ``title + "\\n" + body``, the shape a raw
article has at prediction time (first line the headline). Exact duplicate texts are dropped before any split
(BBC News alone has 133 duplicate bodies); a text seen with two different labels is dropped altogether.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from newsprism.data import open_text

#: Shared-data folder names this module knows, in the order they are read.
SETS: tuple[str, ...] = ("bbc-news", "fa-kes", "allsides-article-bias")
TAXONOMY_FILE = Path("iptc-media-topics/mediatopic_taxonomy.csv")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    origin: str  # the shared-data set it came from


def load_mapping() -> dict[str, Any]:
    """The documented mapping from each set's labels to IPTC top-level names (package data)."""
    return json.loads(resources.files(__package__).joinpath("iptc_mapping.json").read_text(encoding="utf-8"))


def read_taxonomy(data_root: Path) -> dict[str, str]:
    """The 17 live top-level IPTC Media Topics: English name -> qcode (e.g. 'sport' -> 'medtop:15000000')."""
    with open_text(Path(data_root) / TAXONOMY_FILE) as handle:
        rows = list(csv.DictReader(handle))
    top = {row["name"]: row["qcode"] for row in rows if row["level"] == "1" and not row["retired"]}
    if len(top) != 17:
        raise ValueError(f"{data_root / TAXONOMY_FILE}: expected 17 top-level topics, found {len(top)}")
    return top


def is_shared_root(path: Path) -> bool:
    """True for the shared data folder itself (it holds the taxonomy)."""
    return (Path(path) / TAXONOMY_FILE).is_file()


def shared_root_of(path: Path) -> Path | None:
    """The shared data root for ``path``: the root itself, or the root above one of its set folders."""
    path = Path(path)
    if is_shared_root(path):
        return path
    if path.is_dir() and path.name in SETS and is_shared_root(path.parent):
        return path.parent
    return None


def assemble(data_root: Path, sets: tuple[str, ...] = SETS) -> tuple[list[Example], list[Path]]:
    """Mapped, deduplicated examples from ``sets`` of the shared data, and the files they came from."""
    examples, files = _assemble(str(Path(data_root).resolve()), tuple(sets))
    return list(examples), list(files)


@lru_cache(maxsize=4)
def _assemble(data_root: str, sets: tuple[str, ...]) -> tuple[tuple[Example, ...], tuple[Path, ...]]:
    # Cached: training, then evaluating the held-out split in the same process, reads the sets once.
    mapping = load_mapping()["sets"]
    readers = {"bbc-news": _read_bbc, "fa-kes": _read_fakes, "allsides-article-bias": _read_allsides}
    examples: list[Example] = []
    files: list[Path] = []
    for name in sets:
        path, rows = readers[name](Path(data_root) / name)
        files.append(path)
        examples.extend(_mapped(rows, mapping[name], name))
    return tuple(deduplicate(examples)), tuple(files)


def _mapped(rows: list[tuple[str, str]], spec: dict[str, Any], origin: str) -> list[Example]:
    labels = spec["labels"]
    out = []
    for text, raw_label in rows:
        target = labels.get("*", labels.get(raw_label, [None]))[0]
        if target is not None and text.strip():
            out.append(Example(text, target, origin))
    return out


def _key(text: str) -> str:
    # str.split() is far faster than a regex for collapsing whitespace on megabytes of text.
    return hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()


def deduplicate(examples: list[Example]) -> list[Example]:
    """Keep the first of each exact (whitespace- and case-normalised) text; drop texts with conflicting labels."""
    keys = [_key(ex.text) for ex in examples]
    labels_of: dict[str, set[str]] = {}
    for key, ex in zip(keys, examples, strict=True):
        labels_of.setdefault(key, set()).add(ex.label)
    seen: set[str] = set()
    out = []
    for key, ex in zip(keys, examples, strict=True):
        if key in seen or len(labels_of[key]) > 1:
            continue
        seen.add(key)
        out.append(ex)
    return out


def _read_bbc(folder: Path) -> tuple[Path, list[tuple[str, str]]]:
    path = folder / "bbc_news.csv"
    with open_text(path) as handle:
        # Deduplicate on the body alone: the 133 known duplicates are body duplicates.
        rows, seen = [], set()
        for row in csv.DictReader(handle):
            key = _key(row["body"])
            if key not in seen:
                seen.add(key)
                rows.append((f"{row['title']}\n{row['body']}", row["category"]))
    return path, rows


def _read_fakes(folder: Path) -> tuple[Path, list[tuple[str, str]]]:
    path = folder / "FA-KES-Dataset.csv"
    with open_text(path) as handle:
        rows = [(f"{r['article_title']}\n{r['article_content']}", "*") for r in csv.DictReader(handle)]
    return path, rows


def _read_allsides(folder: Path) -> tuple[Path, list[tuple[str, str]]]:
    path = folder / "articles_subset.jsonl.gz"
    rows = []
    with open_text(path) as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                rows.append((f"{record.get('title') or ''}\n{record['content_original']}", record["topic"]))
    return path, rows


def counts(examples: list[Example]) -> Counter:
    return Counter(ex.label for ex in examples)
