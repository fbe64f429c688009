"""Throughput of the stance stage alone, with the default claim (the article's own headline), on one core.

Data: AllSides articles (../shared/data/allsides-article-bias, 4,195 articles); each document's raw text is
``title + blank line + content_original``, as a plain-text article file would be. Two runs:

- ``no-title``: ``doc.title`` is None (no clean stage), so the processor picks the headline line itself;
- ``title``:    ``doc.title`` is set (as the clean stage does).

It also prints the label distribution: with their own headlines as claims, news articles should come out
related (agree/discuss), almost never unrelated or disagree.

    /work/venv/bin/python bench/bench_stance.py [--data DIR] [--batch 256] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path

from threadpoolctl import threadpool_limits

from newsprism import Document
from newsprism.data import find_shared_data


def load_articles(data: Path) -> list[tuple[str, str]]:
    path = data / "allsides-article-bias" / "articles_subset.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [(r["title"].strip(), r["content_original"]) for r in rows if r.get("title") and r.get("content_original")]


def make_docs(articles: list[tuple[str, str]], with_title: bool) -> list[Document]:
    return [
        Document(id=str(i), raw=f"{title}\n\n{body}", title=title if with_title else None)
        for i, (title, body) in enumerate(articles)
    ]


def run(processor, docs: list[Document], batch: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a shared machine the CPU time is the one-core figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(docs), batch):
        processor.process_batch(docs[i : i + batch])
    return time.perf_counter() - wall, time.process_time() - cpu


def tokenise_only(docs: list[Document]) -> tuple[float, float]:
    """Reference in the same run: one regex word pass over every text, the least a word-level stage pays."""
    pattern = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
    wall, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        pattern.findall(doc.raw.lower())
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    data = args.data or find_shared_data()
    if data is None:
        raise SystemExit("needs ../shared/data (or --data)")

    from newsprism.plugins.stance import StanceProcessor

    articles = load_articles(data)
    size = sum(len(t) + len(b) + 2 for t, b in articles) / len(articles)
    processor = StanceProcessor({})
    processor.ensure_setup()
    print(f"stance bench: {len(articles)} AllSides articles, mean {size / 1000:.1f} KB, batch {args.batch}, 1 thread")
    reference = min((tokenise_only(make_docs(articles, False)) for _ in range(args.repeat)), key=lambda t: t[1])
    n = len(articles)
    print(f"  reference (regex word pass only): {n / reference[0]:8.0f} docs/s wall, {n / reference[1]:8.0f} per CPU-s")
    with threadpool_limits(limits=1):
        for with_title in (False, True):
            best = (float("inf"), float("inf"))
            for _ in range(args.repeat):
                docs = make_docs(articles, with_title)
                best = min(best, run(processor, docs, args.batch), key=lambda t: t[1])
            labels = Counter(d.predictions["stance"].label for d in docs)
            name = "title" if with_title else "no-title"
            print(
                f"  {name:9s} {n / best[0]:8.0f} docs/s wall, {n / best[1]:8.0f} per CPU-s "
                f"({best[1] / reference[1]:.1f}x the word pass)  labels {dict(sorted(labels.items()))}"
            )
            if not with_title:
                claims = [d.predictions["stance"].extra["claim"] for d in docs]
                same = sum(c == t for c, (t, _) in zip(claims, articles, strict=True))
                print(f"            picked claim == the article's title for {same}/{len(docs)} documents")


if __name__ == "__main__":
    main()
