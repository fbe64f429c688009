"""Speed of the clean stage on plain text, and how much a second pass still removes.

    python bench/bench_clean.py [--n 3000] [--data ../shared/data]

Uses AllSides ``content_original`` (real scraped articles, 4-6 KB). Reports docs/s of the plain-text cleaner
in batches of 64 (the engine's default), the docs/s of a plain ``str.splitlines()`` over the same texts in the
same run (the floor any line-based cleaner pays), their ratio, and the share of lines a second pass over the
clean text removes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from newsprism import Document
from newsprism.data import find_shared_data
from newsprism.plugins.clean import LineCleanerProcessor


def load_texts(root: Path, n: int) -> list[str]:
    with gzip.open(root / "allsides-article-bias/articles_subset.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [r["content_original"] for r in rows if r.get("content_original")][:n]


def run(processor: LineCleanerProcessor, texts: list[str], batch: int = 64) -> tuple[float, list[Document]]:
    docs = [Document(id=str(i), raw=t) for i, t in enumerate(texts)]
    start = time.perf_counter()
    for i in range(0, len(docs), batch):
        processor.process_batch(docs[i:i + batch])
    return time.perf_counter() - start, docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    root = args.data or find_shared_data()
    if root is None:
        raise SystemExit("needs the shared data (../shared/data or --data)")
    texts = load_texts(root, args.n)
    processor = LineCleanerProcessor()
    processor.ensure_setup()
    run(processor, texts[:64])  # warm-up: first batch pays lazy imports

    start = time.perf_counter()
    n_lines = sum(len(t.splitlines()) for t in texts)
    split_s = time.perf_counter() - start
    clean_s, docs = run(processor, texts)
    second_s, second = run(processor, [d.text for d in docs])

    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    nonblank = sum(1 for t in texts for line in t.splitlines() if line.strip())
    removed = sum(len(d.removed) for d in docs)
    removed_again = sum(len(d.removed) for d in second)
    kept = sum(1 for d in docs for line in (d.text or "").splitlines() if line.strip())
    report = {
        "docs": len(texts), "MB": round(mb, 2), "lines": n_lines, "nonblank_lines": nonblank,
        "clean_docs_per_s": round(len(texts) / clean_s, 1),
        "clean_MB_per_s": round(mb / clean_s, 2),
        "splitlines_docs_per_s": round(len(texts) / split_s, 1),
        "ratio_clean_to_splitlines": round(split_s / clean_s, 5),
        "removed_lines_first_pass": removed,
        "removed_share_first_pass": round(removed / max(nonblank, 1), 4),
        "removed_lines_second_pass": removed_again,
        "removed_share_second_pass": round(removed_again / max(kept, 1), 5),
        "second_pass_docs_per_s": round(len(texts) / second_s, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
