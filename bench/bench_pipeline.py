"""Benchmark of the whole chain, per stage, parallel, memory and start-up — all in one run.

    python bench/bench_pipeline.py                 # builds bench/corpus/ from ../shared/data, then measures
    python bench/bench_pipeline.py --docs 2000 --memory-docs 0   # quicker, no memory runs

Every speed is reported with its ratio to a floor measured in the same run on the
same files: reading them and one pass of scikit-learn's HashingVectorizer.
Results go to stdout as a Markdown table and to bench/results/pipeline.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGES = ("clean", "source", "topic", "stance")


def build_corpus(data: Path, folder: Path, n_docs: int) -> list[Path]:
    """Write ``n_docs`` article files (AllSides raw text, FNC-1 bodies, BBC) once; reuse them after."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.txt"))
    if len(existing) >= n_docs:
        return existing[:n_docs]
    texts = list(_allsides(data)) + list(_bbc(data))
    paths = []
    for i in range(n_docs):
        path = folder / f"doc-{i:06d}.txt"
        path.write_text(texts[i % len(texts)], encoding="utf-8")
        paths.append(path)
    return paths


def _allsides(data: Path):
    with gzip.open(data / "allsides-article-bias" / "articles_subset.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield f"{record['title']}\n{record['content_original']}"


def _bbc(data: Path):
    import csv

    with open(data / "bbc-news" / "bbc_news.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield f"{row['title']}\n\n{row['body']}"


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def read_all(paths: list[Path]):
    return list(read_streaming(paths))


def read_streaming(paths: list[Path]):
    """Documents read one by one as the engine asks for them, the way ``newsprism classify`` feeds it."""
    from newsprism.readers import InputReader

    return InputReader().read_all([str(p) for p in paths])


def floor(paths: list[Path]) -> float:
    """Reading the files plus one HashingVectorizer pass: the least any classifier must do."""
    from sklearn.feature_extraction.text import HashingVectorizer

    def work():
        HashingVectorizer(n_features=2**20).transform([d.raw for d in read_all(paths)])

    return timed(work)[0]


def run_engine(paths: list[Path], only: list[str] | None, jobs: int, repeats: int = 1) -> float:
    """Seconds to read and process every file (best of ``repeats``), models already loaded."""
    from newsprism import Engine

    engine = Engine(only=only)
    # Warm up every worker (loky keeps them, each keeps its pipeline): models load before the clock starts.
    warm_up = ["Warm-up text: load the models before the clock starts."] * engine.batch_size * 2 * jobs
    list(engine.pipe(warm_up, n_jobs=jobs))

    def work():
        # Reading is streamed into the engine, as in the CLI: with jobs=2 the parent reads while workers process.
        for _ in engine.pipe(read_streaming(paths), n_jobs=jobs):
            pass

    return min(timed(work)[0] for _ in range(repeats))


def run_cli(paths: list[Path], jobs: int) -> float:
    """``newsprism classify FOLDER --jobs N`` end to end: start-up, model loading in every worker, writing records."""
    pattern = str(paths[0].parent / "*.txt")  # the .txt files only: the memory corpora sit in the same folder
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsprism", "classify", pattern, "--jobs", str(jobs), "--output", os.devnull],
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
    return time.perf_counter() - start


def peak_memory_mb(corpus_jsonl: Path, jobs: int) -> float:
    """Peak RSS (MB) of the largest process of one ``newsprism classify`` run, measured from a fresh parent."""
    probe = (
        "import resource, subprocess, sys;"
        f"subprocess.run([sys.executable, '-m', 'newsprism', 'classify', {str(corpus_jsonl)!r}, '--jobs', '{jobs}',"
        " '--output', '/dev/null'], check=False);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def write_jsonl(paths: list[Path], n: int, target: Path) -> Path:
    if target.exists():
        return target
    texts = [p.read_text(encoding="utf-8") for p in paths]
    with open(target, "w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps({"id": f"m{i}", "text": texts[i % len(texts)]}) + "\n")
    return target


#: What any program that unpickles the shipped models must import first: the floor under our start-up time.
SKLEARN_IMPORTS = "import sklearn.ensemble, sklearn.linear_model, sklearn.feature_extraction.text, joblib"
#: The same plus the CLI framework (typer builds pydantic adapters when it parses options).
THIRD_PARTY_IMPORTS = SKLEARN_IMPORTS + ", typer, typer._adapters"
#: The same, with the imports ``newsprism classify`` defers (newsprism.startup: scipy.stats, numpy.f2py, numpy.testing).
DEFERRED_IMPORTS = "import newsprism.startup as s; s.defer_imports(); " + THIRD_PARTY_IMPORTS


def best_of(command: list[str], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return min(times)


def startup(one_file: Path) -> dict[str, float]:
    """``newsprism classify FILE`` from start to exit, beside bare Python and the scikit-learn imports alone."""
    return {
        "startup_s": best_of([sys.executable, "-m", "newsprism", "classify", str(one_file)]),
        "python_s": best_of([sys.executable, "-c", "pass"]),
        "sklearn_import_s": best_of([sys.executable, "-c", SKLEARN_IMPORTS]),
        "third_party_import_s": best_of([sys.executable, "-c", THIRD_PARTY_IMPORTS]),
        "third_party_import_deferred_s": best_of([sys.executable, "-c", DEFERRED_IMPORTS]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--docs", type=int, default=4000, help="corpus size for the speed runs")
    parser.add_argument("--memory-docs", default="10000,100000", help="sizes for the memory runs ('0': skip)")
    parser.add_argument("--startup-only", action="store_true", help="measure only the start-up time, on a seed")
    args = parser.parse_args()
    if args.startup_only:
        print(json.dumps(startup(next((ROOT / "seeds").glob("*.txt"))), indent=2))
        return
    if not args.data.is_dir():
        sys.exit(f"no data folder at {args.data}: pass --data PATH to ../shared/data")

    paths = build_corpus(args.data, HERE / "corpus", args.docs)
    n = len(paths)
    results: dict = {"docs": n, "cpus": os.cpu_count()}
    read_all(paths)  # warm the page cache so every measurement reads from memory
    results["floor_s"] = floor(paths)
    rows = [("floor: read + HashingVectorizer", results["floor_s"])]
    for jobs in (1, 2):
        seconds = run_engine(paths, None, jobs, repeats=2)
        results[f"full_jobs{jobs}_s"] = seconds
        rows.append((f"full chain, jobs={jobs} (best of 2)", seconds))
    for stage in STAGES:
        seconds = run_engine(paths, [stage], 1)
        results[f"stage_{stage}_s"] = seconds
        rows.append((f"{stage} alone, jobs=1", seconds))
    results["jobs2_speedup"] = results["full_jobs1_s"] / results["full_jobs2_s"]
    if len(list(paths[0].parent.glob("*.txt"))) == n:  # the CLI run reads every .txt file there
        results["cli_jobs2_s"] = run_cli(paths, 2)
        rows.append(("`newsprism classify` CLI, jobs=2, start-up and writing included", results["cli_jobs2_s"]))
    results.update(startup(paths[0]))
    sizes = [int(s) for s in args.memory_docs.split(",") if int(s)]
    for size in sizes:
        corpus = write_jsonl(paths, size, HERE / "corpus" / f"memory-{size}.jsonl")
        results[f"peak_mb_{size}"] = peak_memory_mb(corpus, jobs=2)
    if len(sizes) == 2:
        results["memory_ratio"] = results[f"peak_mb_{sizes[1]}"] / results[f"peak_mb_{sizes[0]}"]
    report(rows, results, n)


def report(rows, results: dict, n: int) -> None:
    print(f"\n{n} documents, {results['cpus']} CPUs\n")
    print("| run | seconds | docs/s | × floor time |")
    print("|---|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {n / seconds:,.0f} | {seconds / results['floor_s']:.1f} |")
    print(f"\njobs=2 vs jobs=1 on the full chain: {results['jobs2_speedup']:.2f}x faster")
    print(
        f"start-up + one file (`newsprism classify FILE`): {results['startup_s']:.2f} s; "
        f"bare python {results['python_s']:.2f} s; importing scikit-learn alone {results['sklearn_import_s']:.2f} s; "
        f"scikit-learn, joblib and typer {results['third_party_import_s']:.2f} s, "
        f"the same with the imports the CLI defers {results['third_party_import_deferred_s']:.2f} s"
    )
    for key, value in results.items():
        if key.startswith("peak_mb_") or key == "memory_ratio":
            print(f"{key}: {value:.2f}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "pipeline.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
