"""The shared sets the source task trains on, read into one shape with canonical publisher labels."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from newsprism.data import fingerprint, open_text

from .publishers import PublisherTable, load_table

ALLSIDES = "allsides-article-bias/articles_subset.jsonl.gz"
FAKES = "fa-kes/FA-KES-Dataset.csv"
BUZZFEED = "buzzfeed-webis-2016/articles.jsonl.gz"


@dataclass
class Article:
    id: str
    dataset: str
    text: str
    label: str
    url: str | None = None
    title: str | None = None
    #: The author field as the set gives it ("A, B"), or None: byline evidence (bylines.py).
    authors: str | None = None


def with_title(title: str | None, body: str) -> str:
    """The article as a page would read: headline first, unless the body already starts with it."""
    title = (title or "").strip()
    if not title or body.lstrip().startswith(title):
        return body
    return f"{title}\n{body}"


def read_allsides(root: Path, table: PublisherTable) -> list[Article]:
    out = []
    with open_text(root / ALLSIDES) as handle:
        for line in handle:
            row = json.loads(line)
            label = table.from_label("allsides", row["source"])
            text = with_title(row.get("title"), row["content_original"])
            out.append(Article(f"allsides:{row['ID']}", "allsides", text, label, row.get("url"), row.get("title"),
                               row.get("authors") or None))
    return out


def read_fakes(root: Path, table: PublisherTable) -> list[Article]:
    out = []
    with open_text(root / FAKES) as handle:
        for row in csv.DictReader(handle):
            label = table.from_label("fakes", row["source"])
            text = with_title(row["article_title"], row["article_content"])
            out.append(Article(f"fakes:{row['unit_id']}", "fakes", text, label, None, row["article_title"]))
    return out


def read_buzzfeed(root: Path, table: PublisherTable) -> list[Article]:
    out = []
    with open_text(root / BUZZFEED) as handle:
        for line in handle:
            row = json.loads(line)
            body = "\n".join(p.strip() for p in row.get("paragraphs") or [] if p and p.strip())
            if len(body) < 50:  # 23 articles have no main text: nothing to attribute
                continue
            label = table.from_label("buzzfeed", row["portal"])
            text = with_title(row.get("title"), body)
            out.append(Article(f"buzzfeed:{row['id']}", "buzzfeed", text, label, row.get("uri"), row.get("title"),
                               row.get("author") or None))
    return out


def read_all(root: Path, table: PublisherTable | None = None) -> list[Article]:
    """Every article of the three sets, in a fixed order."""
    table = table or load_table()
    return read_allsides(root, table) + read_fakes(root, table) + read_buzzfeed(root, table)


def data_fingerprint(root: Path) -> str:
    return fingerprint([root / ALLSIDES, root / FAKES, root / BUZZFEED])
