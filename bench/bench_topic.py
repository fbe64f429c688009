"""Topic stage speed on one core, on typical 3-5 KB articles, with the shipped model.

    python bench/bench_topic.py [--n 4000] [--batch 256]

Articles come from the shared data (BBC News + AllSides bodies of 3-5 KB) when present, else from the seeds.
Prints docs/s of the processor (vectorise + predict_proba + building the Prediction objects) and the model size.
"""

from __future__ import annotations

import os

# One core, one BLAS thread: the budget is per core.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def articles(n: int) -> list[str]:
    from newsprism.data import find_shared_data
    from newsprism.plugins.topic import assemble as asm

    root = find_shared_data(ROOT)
    if root is not None:
        examples, _ = asm.assemble(root, ("bbc-news", "allsides-article-bias"))
        texts = [ex.text for ex in examples if 3000 <= len(ex.text.encode()) <= 5000]
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return [texts[i % len(texts)] for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from newsprism.document import Document
    from newsprism.modelstore import shipped_dir
    from newsprism.plugins.topic.processor import TopicProcessor

    texts = articles(args.n)
    docs = [Document(id=str(i), raw=text) for i, text in enumerate(texts)]
    proc = TopicProcessor({})
    proc.ensure_setup()
    proc.process_batch(docs[: args.batch])  # warm-up
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(docs), args.batch):
        proc.process_batch(docs[i : i + args.batch])
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    mean_kb = sum(len(t.encode()) for t in texts) / len(texts) / 1024
    size_mb = (shipped_dir() / "topic.joblib").stat().st_size / 2**20
    print(f"topic: {len(docs)} docs (mean {mean_kb:.1f} KB), batch {args.batch}, one core")
    print(f"  {len(docs) / wall:,.0f} docs/s wall, {len(docs) / cpu:,.0f} docs/s CPU; model {size_mb:.2f} MB")


if __name__ == "__main__":
    main()
