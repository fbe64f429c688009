"""Speed of the source stage (publisher + credits) on one core.

    python bench/bench_source.py [--n 3000] [--batch 64] [--passes 3] [--data ../shared/data]
                                 [--compare OTHER.joblib ...] [--startup 5]

Uses the shared sets' article texts (AllSides, FA-KES, BuzzFeed-Webis, as the stage sees them) in batches of
64 (``--batch``; the engine's default is 256). Reports docs/s of the whole stage, of its parts (features+model,
credit rules, self-naming), and of a plain ``str.splitlines()`` over the same texts in the same run, with the
ratio of the stage to that floor (ratios in one run are what compare across machines). CPU time of this process only, so
other load on the machine counts less. ``--compare`` times the stage and features+model of other model files
(e.g. the previous shipped one, from ``git show``) in the same run, alternating with the shipped model.
``--credit-classifier`` also times the stage with the learned credit-line classifier switched on (config
``credit_classifier``) against it switched off, alternating, in the same run; ``--exclude KEYS.json`` leaves out
articles by id (a JSON list, or an object whose "documents" lists or maps them: a sample still to be scored).
``--startup N`` also times the stage's one-file start-up in N fresh processes (best of N, wall clock): ``setup()``
(publisher table, self-naming and credit rules, model load with its hash check) and the first seed through
``process_batch``, after the imports every stage shares (numpy, scipy, scikit-learn, joblib), which are not its cost.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
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
    parser.add_argument("--passes", type=int, default=3, help="timed passes of each part (best is reported)")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--compare", type=Path, nargs="*", default=[], help="other model files to time alongside")
    parser.add_argument("--startup", type=int, default=0, help="also time one-file start-up in N fresh processes")
    parser.add_argument("--startup-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--credit-classifier", action="store_true", help="time the stage with the classifier on/off")
    parser.add_argument("--credit-model", type=Path, default=None, help="credit-line model file")
    parser.add_argument("--exclude", type=Path, default=None, help="JSON of article ids to leave out")
    args = parser.parse_args()
    if args.startup_child:
        return startup_child()
    root = args.data or find_shared_data()
    if root is None:
        raise SystemExit("needs the shared data folder (../shared/data or --data)")
    articles = read_all(root)
    if args.exclude:
        listed = json.loads(args.exclude.read_text(encoding="utf-8"))
        excluded = set(listed["documents"] if isinstance(listed, dict) else listed)
        articles = [a for a in articles if a.id not in excluded]
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
    parts = [("stage", stage), ("features+model", model_only), ("credits", credits_only),
             ("self-naming", naming_only), ("splitlines", floor)]
    times = {name: float("inf") for name, _ in parts}
    for _ in range(args.passes):  # interleaved passes, best of each: load from other processes counts less
        for name, fn in parts:
            times[name] = min(times[name], cpu(fn))
    print(f"{n} docs, mean {kb:.1f} KB, batch {args.batch}, CPU time of one process, best of {args.passes} passes")
    for name, seconds in times.items():
        print(f"  {name:15s} {n / seconds:10.0f} docs/s")
    print(f"  stage / splitlines time ratio: {times['stage'] / times['splitlines']:.1f}")
    if args.compare:
        compare([None, *args.compare], texts, args.batch)
    if args.credit_classifier:
        if args.credit_model is None:
            sys.exit("--credit-classifier needs --credit-model FILE (from: newsprism train credits DATA --out DIR)")
        compare_credit_classifier(texts, args.batch, args.passes, args.credit_model)
    if args.startup:
        startup(args.startup)


def startup(runs: int) -> None:
    """Best of ``runs`` fresh processes: the stage's setup() and its first seed (seconds, wall clock)."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--startup-child"], capture_output=True, text=True, check=True)
        results.append([float(x) for x in out.stdout.split()])
    best = min(results, key=lambda r: r[-1])
    print(f"one-file start-up, best of {runs} fresh processes: table+self-naming {best[0]:.3f} s, credit rules "
          f"{best[1]:.3f} s, model load {best[2]:.3f} s, first seed {best[3]:.3f} s; total {best[4]:.3f} s")


def startup_child() -> None:
    import joblib  # noqa: F401  -- shared by every stage: imported before the clock starts
    import numpy  # noqa: F401
    import scipy.sparse  # noqa: F401
    import sklearn  # noqa: F401

    from newsprism.plugins.source import credits, model, publishers  # noqa: F401

    seed = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[0]
    proc = SourceProcessor()
    marks = [time.perf_counter()]
    table = publishers.load_table()
    publishers.SelfNamer(table)
    marks.append(time.perf_counter())
    credits.CreditFinder(table)
    marks.append(time.perf_counter())
    proc.ensure_setup()  # builds table, namer and rules again (cheap now, cached table) and loads the model
    marks.append(time.perf_counter())
    proc.process_batch([Document(id=seed.stem, raw=seed.read_text(encoding="utf-8"), path=str(seed))])
    marks.append(time.perf_counter())
    parts = [b - a for a, b in zip(marks, marks[1:], strict=False)]
    print(*(f"{x:.4f}" for x in [*parts, marks[-1] - marks[0]]))


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



def compare_credit_classifier(texts: list[str], batch: int, passes: int, model: Path) -> None:
    """CPU time of the whole stage with the credit-line classifier off and on, alternating, best of ``passes``."""
    on = {"credit_classifier": True, "credit_model": str(model), "trusted": [str(model.resolve().parent)]}
    procs = {"off": SourceProcessor({"credit_classifier": False}), "on": SourceProcessor(on)}
    for proc in procs.values():
        proc.ensure_setup()
        proc.process_batch([Document(id="warm", raw=texts[0])])
    best = {name: float("inf") for name in procs}
    for _ in range(passes):
        for name, proc in procs.items():
            best[name] = min(best[name], stage_time(proc, texts, batch))
    n = len(texts)
    print(f"  credit classifier off: {1e6 * best['off'] / n:.0f} us/doc, on: {1e6 * best['on'] / n:.0f} us/doc, "
          f"on/off {best['on'] / best['off']:.3f} (best of {passes} alternating passes)")


def stage_time(proc: SourceProcessor, texts: list[str], batch: int) -> float:
    """CPU seconds of the whole stage over ``texts`` (fresh documents, as the engine gives them)."""
    docs = [Document(id=str(i), raw=t) for i, t in enumerate(texts)]
    return cpu(lambda: [proc.process_batch(docs[i : i + batch]) for i in range(0, len(docs), batch)])


def time_one(proc: SourceProcessor, texts: list[str], batch: int) -> tuple[float, float]:
    """CPU seconds of the whole stage and of features+model over ``texts``."""
    docs = [Document(id=str(i), raw=t) for i, t in enumerate(texts)]
    stage = cpu(lambda: [proc.process_batch(docs[i : i + batch]) for i in range(0, len(docs), batch)])
    model = cpu(lambda: [proc.model.assess(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    return stage, model


if __name__ == "__main__":
    main()
