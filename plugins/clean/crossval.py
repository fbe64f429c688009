"""Cross-validation on the tuning side only: how model variants and thresholds are chosen.

    python -m newsprism.plugins.clean.crossval [--data ../shared/data] [--seed 0] [--folds 4] [--param rounds=2]

The train + dev trafilatura-eval pages (never the held-out test pages) are split into folds by md5 of the file
name; each fold's model is trained on the other pages (whole text and crops) plus the same AllSides articles,
exactly as ``newsprism train clean`` trains the shipped model, and scored on the fold's pages: snippet
precision/recall/F1 pooled over all folds, for every keep threshold on the visible text and every second-pass
threshold on trafilatura's extraction; and the seeds' removal counts (summed over the fold models). Variants are
LineCleaner parameters (``--param span=true``, ``--param rounds=2``, ``--param alpha=1e-5``) or training-mix
options (``--param bios='"content"'``, ``--param appeals=0``, ``--param allsides=400``); without any, the shipped
recipe (the ``task`` constants). docs/clean.md lists the runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from . import corpus, metrics, task
from .cleaner import decide

#: Keep thresholds tried (the training's own dev tuning tries task.THRESHOLDS).
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def fold_of(name: str, folds: int) -> int:
    return int(hashlib.md5(name.encode("utf-8")).hexdigest(), 16) % folds


def cross_validate(
    root: Path, seed: int = 0, folds: int = 4, dump: Path | None = None, **params: Any
) -> dict[str, Any]:
    """Pooled out-of-fold scores; ``dump``: also pickle every held-out page's and seed's line predictions there
    (for error analysis on the tuning side, never on the test pages)."""
    from .html import extract_main

    shown = dict(params)
    pages = [p for p in corpus.read_pages(root) if p["split"] in ("train", "dev")]
    docs = {p["file"]: corpus.page_doc(p, use_snippets=True) for p in pages}
    visible = {p["file"]: [text for text, _ in task._visible(p)] for p in pages}
    extracted = {p["file"]: extract_main(p["html"], p["url"])[0].splitlines() for p in pages}
    allsides = corpus.allsides_docs(root, ("train",), limit=params.pop("allsides", task.ALLSIDES_TRAIN),
                                    bios=params.pop("bios", task.ALLSIDES_BIOS))
    from newsprism.seeds import __file__ as seeds_init

    seeds = corpus.seed_docs(Path(seeds_init).parent)
    appeals = params.pop("appeals", task.APPEAL_EVERY)
    headlines = {f: task.headline_line(visible[f], docs[f].meta.get("title")) for f in docs}
    titles: Counter = Counter()
    plain = {t: Counter() for t in THRESHOLDS}
    html = {t: Counter() for t in task.HTML_THRESHOLDS}
    seed_counts = {t: Counter() for t in THRESHOLDS}
    dumped: dict[str, Any] = {"pages": {}, "seeds": []}
    for k in range(folds):
        held = [p for p in pages if fold_of(p["file"], folds) == k]
        mix = task.training_mix([d for f, d in docs.items() if fold_of(f, folds) != k], allsides, seed,
                                appeals=appeals)
        model = task.fit_docs(mix, seed=seed, **params)
        if dump is not None:
            dumped["pages"].update(_predictions(model, held, [visible[p["file"]] for p in held]))
            dumped["seeds"].append(_predictions(model, [{"file": d.key} for d in seeds], [d.lines for d in seeds]))
        for t in THRESHOLDS:
            lines = [visible[p["file"]] for p in held]
            for page, dec, page_lines in zip(held, decide(model, lines, t), lines, strict=True):
                plain[t] += metrics.snippet_counts(task._kept_text(page_lines, dec), page["with"], page["without"])
                if t == TITLE_THRESHOLD:
                    titles[task.title_outcome(page_lines, dec.title, headlines[page["file"]])] += 1
            seed_counts[t] += _seed_removals(model, seeds, t)
            if t == TITLE_THRESHOLD:
                titles += _seed_titles(model, seeds, t)
        lines = [extracted[p["file"]] for p in held]
        for t in task.HTML_THRESHOLDS:
            for page, dec, page_lines in zip(held, decide(model, lines, t), lines, strict=True):
                html[t] += metrics.snippet_counts(task._kept_text(page_lines, dec), page["with"], page["without"])
    if dump is not None:
        import pickle

        Path(dump).write_bytes(pickle.dumps(dumped))
    return {
        "pages": len(pages), "folds": folds, "seed": seed, "params": shown,
        "plain": {t: {**_rounded(metrics.snippet_scores(c)), **seed_counts[t]} for t, c in plain.items()},
        "html": {t: _rounded(metrics.snippet_scores(c)) for t, c in html.items()},
        "titles": dict(sorted(titles.items())),
    }


def _predictions(model, pages: list, docs_lines: list) -> dict[str, dict[str, Any]]:
    """Per page: its lines and, for each non-blank line, its number, stage 1's class probabilities, keep probability
    and (with a title picker) title score."""
    pred = model.predict_lines(docs_lines)
    out = {}
    for d, page in enumerate(pages):
        rows = pred.lines.doc == d
        out[page["file"]] = {"lines": list(docs_lines[d]), "number": pred.lines.number[rows],
                             "proba": pred.proba[rows], "keep": pred.keep[rows], "features": pred.features[rows],
                             "title": None if pred.title is None else pred.title[rows]}
    return out


def _seed_removals(model, seeds: list, threshold: float) -> Counter:
    counts: Counter = Counter()
    for doc, dec in zip(seeds, decide(model, [d.lines for d in seeds], threshold), strict=True):
        removed = {n for n, _ in dec.removed}
        for number, label in enumerate(doc.labels):
            if label is not None and number in removed:
                counts["seeds_removed" if label not in corpus.KEEP else "seeds_wrongly_removed"] += 1
    return counts


#: The keep threshold at which titles are counted (the shipped model's).
TITLE_THRESHOLD = 0.5


def _seed_titles(model, seeds: list, threshold: float) -> Counter:
    """Title outcomes on the seeds, against their hand-labelled title lines (keys prefixed ``seeds_``)."""
    decisions = decide(model, [d.lines for d in seeds], threshold)
    return Counter("seeds_" + task.title_outcome(doc.lines, dec.title, task.gold_title_line(doc))
                   for doc, dec in zip(seeds, decisions, strict=True))


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in scores.items()}


def main() -> None:
    from newsprism.data import find_shared_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--dump", type=Path, default=None, help="pickle the out-of-fold line predictions here")
    parser.add_argument("--param", action="append", default=[], help="LineCleaner parameter, e.g. rounds=2")
    args = parser.parse_args()
    params = {k: json.loads(v) for k, v in (p.split("=", 1) for p in args.param)}
    root = args.data or find_shared_data()
    print(json.dumps(cross_validate(root, args.seed, args.folds, args.dump, **params), indent=1))


if __name__ == "__main__":
    main()
