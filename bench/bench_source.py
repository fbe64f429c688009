"""Speed of the source stage (publisher + credits) on one core.

    python bench/bench_source.py [--n 3000] [--batch 64] [--data ../shared/data] [--compare OTHER.joblib ...]

Uses the shared sets' article texts (AllSides, FA-KES, BuzzFeed-Webis, as the stage sees them) in batches of
64, the engine's default. Reports docs/s of the whole stage, of its parts (features+model, credit rules,
self-naming), and of a plain ``str.splitlines()`` over the same texts in the same run, with the ratio of the
stage to that floor (ratios in one run are what compare across machines). CPU time of this process only, so
other load on the machine counts less. ``--compare`` times the stage and features+model of other model files
(e.g. the previous shipped one, from ``git show``) in the same run, alternating with the shipped model.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsprism import Document
from newsprism.data import find_shared_data
from newsprism.plugins.source import SourceProcessor
from newsprism.plugins.source.datasets import read_all


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--compare", type=Path, nargs="*", default=[], help="other model files to time alongside")
    args = parser.parse_args()
    root = args.data or find_shared_data()
    if root is None:
        raise SystemExit("needs the shared data folder (../shared/data or --data)")
    articles = read_all(root)
    step = max(1, len(articles) // args.n)
    texts = [a.text for a in articles[::step]][: args.n]
    proc = SourceProcessor()
    proc.ensure_setup()
    proc.process_batch([Document(id="warm", raw=texts[0])])

    def stage() -> None:
        docs = [Document(id=str(i), raw=t) for i, t in enumerate(texts)]
        for i in range(0, len(docs), args.batch):
            proc.process_batch(docs[i : i + args.batch])

    def model_only() -> None:
        for i in range(0, len(texts), args.batch):
            proc.model.assess(texts[i : i + args.batch])

    def credits_only() -> None:
        for t in texts:
            proc.credits.find(t.splitlines())

    def naming_only() -> None:
        for t in texts:
            proc.namer.find(t.splitlines())

    def floor() -> None:
        for t in texts:
            t.splitlines()

    n = len(texts)
    kb = sum(len(t) for t in texts) / n / 1024
    times = {name: cpu(fn) for name, fn in
             [("stage", stage), ("features+model", model_only), ("credits", credits_only),
              ("self-naming", naming_only), ("splitlines", floor)]}
    print(f"{n} docs, mean {kb:.1f} KB, batch {args.batch}, CPU time of one process")
    for name, seconds in times.items():
        print(f"  {name:15s} {n / seconds:10.0f} docs/s")
    print(f"  stage / splitlines time ratio: {times['stage'] / times['splitlines']:.1f}")
    if args.compare:
        compare([None, *args.compare], texts, args.batch)


def compare(models: list[Path | None], texts: list[str], batch: int) -> None:
    """Stage and features+model docs/s of several model files, alternating, best of three passes each."""
    procs = {}
    for path in models:
        config = {} if path is None else {"model": str(path), "trusted": [str(Path(path).resolve().parent)]}
        proc = SourceProcessor(config)
        proc.ensure_setup()
        proc.process_batch([Document(id="warm", raw=texts[0])])
        procs[str(path or "shipped")] = proc
    best: dict[str, list[float]] = {name: [float("inf"), float("inf")] for name in procs}
    for _ in range(3):
        for name, proc in procs.items():
            stage, model = time_one(proc, texts, batch)
            best[name] = [min(best[name][0], stage), min(best[name][1], model)]
    n = len(texts)
    for name, (stage, model) in best.items():
        print(f"  {name}: stage {n / stage:.0f} docs/s, features+model {n / model:.0f} docs/s (best of 3)")



def time_one(proc: SourceProcessor, texts: list[str], batch: int) -> tuple[float, float]:
    """CPU seconds of the whole stage and of features+model over ``texts``."""
    docs = [Document(id=str(i), raw=t) for i, t in enumerate(texts)]
    stage = cpu(lambda: [proc.process_batch(docs[i : i + batch]) for i in range(0, len(docs), batch)])
    model = cpu(lambda: [proc.model.assess(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    return stage, model


if __name__ == "__main__":
    main()
