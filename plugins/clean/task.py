"""``newsprism train clean DATA`` and ``newsprism evaluate clean DATA``.

DATA is the shared data folder (the training set is assembled from trafilatura-eval-en and AllSides, see
corpus.py), or a gold file: CSV/JSONL with ``text`` and ``body`` (scored with the shingle metric), JSONL with
``text`` and ``lines`` ({class: [1-based line numbers]}), or a ``gold.json`` like ``seeds/gold.json`` (texts in
the same folder).
"""

from __future__ import annotations

import json
import random
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from . import corpus, metrics
from .cleaner import decide

#: Keep-probability thresholds tried on the dev split.
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
#: Second-pass thresholds for HTML (0 keeps all of trafilatura's text).
HTML_THRESHOLDS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5)
#: AllSides articles used for training (on top of the trafilatura-eval train pages and their crops).
ALLSIDES_TRAIN = 800
CROPS_PER_PAGE = 3
#: Every n-th AllSides article gets chrome blocks of the train pages and a synthetic caption inserted (0: none).
CHROME_EVERY = 3
#: Every n-th AllSides article (offset 2) gets a run of the train pages' reader-addressed prose boilerplate
#: (corpus.appeal_runs) inserted, mostly under the headline or standfirst (0: none; 3: chosen on CV, docs/clean.md).
APPEAL_EVERY = 3
#: Whether the pages' last chrome runs (footers) are among the inserted blocks (off: chose on 4-fold CV over train+dev).
CHROME_TAIL = False
#: The label of AllSides author-bio lines (corpus.is_bio): "content", "boilerplate" (as the trafilatura-eval pages
#: label bios; chosen on CV) or "drop".
ALLSIDES_BIOS = "boilerplate"
#: Whether stage 1's out-of-fold folds keep a page and its crops (an article and its excerpt) together.
GROUP_COPIES = True
#: LineCleaner parameters of the shipped recipe: stage 1 as the mean of 5 SGD fits (training noise cut), a larger
#: context stage (CV parts 8-9, docs/clean.md).
MODEL_PARAMS: dict[str, Any] = {"bags": 5, "context_size": 2}


# -- training ----------------------------------------------------------------------------------------------
def train(req) -> dict[str, Any]:
    from newsprism.data import fingerprint as data_fingerprint
    from newsprism.modelstore import save_model

    root = Path(req.data)
    if not root.is_dir():
        docs = read_gold(root)
        model = fit_docs(docs, seed=req.seed)
        return save_model(model, req.out_dir, "clean", task="clean", labels=corpus.CLASSES,
                          training_data=data_fingerprint([root]), metrics={},
                          extra={"keep_threshold": model.keep_threshold, "trained_on": str(root.name)})
    pages = list(corpus.read_pages(root))
    train_pages = [corpus.page_doc(p, use_snippets=True) for p in pages if p["split"] == "train"]
    options = dict(req.options)
    allsides = corpus.allsides_docs(root, ("train",), limit=options.pop("allsides", ALLSIDES_TRAIN),
                                    bios=options.pop("bios", ALLSIDES_BIOS))
    crops = options.pop("crops", CROPS_PER_PAGE)
    chrome = options.pop("chrome", CHROME_EVERY)
    appeals = options.pop("appeals", APPEAL_EVERY)
    model = fit_docs(training_mix(train_pages, allsides, req.seed, crops, chrome, appeals), seed=req.seed,
                     **options)
    dev_pages = [p for p in pages if p["split"] == "dev"]
    keep_threshold, dev_scores = tune_threshold(model, dev_pages)
    model.set_params(keep_threshold=keep_threshold)
    html_threshold, dev_html = tune_html_threshold(model, dev_pages)
    model.set_params(html_threshold=html_threshold)
    dev_scores["html_threshold"] = model.html_threshold
    dev_scores["html_path_snippet_f1"] = dev_html
    test_report = evaluate_shared(model, root, with_html=True)
    files = [root / corpus.TRAF_DIR / "evaldata_en_subset.json", root / corpus.ALLSIDES_FILE]
    return save_model(
        model, req.out_dir, "clean", task="clean", labels=corpus.CLASSES,
        training_data=data_fingerprint(files),
        metrics={"dev": dev_scores, **test_report["metrics"]},
        extra={"keep_threshold": model.keep_threshold, "split_rule": corpus.__doc__.split("Splits are")[1].strip(),
               "held_out_pages": test_report["held_out_pages"]},
    )


def training_mix(
    pages: list, allsides: list, seed: int, crops: int = CROPS_PER_PAGE, chrome: int = CHROME_EVERY,
    appeals: int = APPEAL_EVERY,
) -> list:
    """Whole pages, article-region crops of them, AllSides articles (half with their headline on top, some in
    page-title form or under a site-name line; every ``chrome``-th with chrome blocks and a synthetic caption
    inserted), and short excerpts of AllSides articles (1-4 lines: a short text is not boilerplate for being
    short).

    Each round holds one copy of a page, so a page and its crop rarely share a batch (batch recurrence).
    """
    rng = np.random.default_rng(seed)
    excerpts = [corpus.excerpt(d, rng) for d in allsides[: len(allsides) // 4]]
    allsides = [corpus.with_title(d, d.meta.get("title"), rng) if i % 2 == 0 else d for i, d in enumerate(allsides)]
    if chrome:
        blocks = corpus.chrome_blocks(pages, tail=CHROME_TAIL)
        allsides = [_chromed(d, blocks, allsides, rng) if i % chrome == 1 else d for i, d in enumerate(allsides)]
    if appeals:
        # A generator of its own: the rest of the mix is drawn exactly as without appeals (paired comparisons).
        runs, arng = corpus.appeal_runs(pages), np.random.default_rng(seed + 7919)
        allsides = [_appealed(d, runs, arng) if i % appeals == 2 % appeals else d for i, d in enumerate(allsides)]
    allsides = allsides + [d for d in excerpts if d is not None]
    rounds = [pages] + [[corpus.crop(d, rng) for d in pages] for _ in range(crops)]
    share = len(allsides) // len(rounds) + 1
    docs: list = []
    for i, chunk in enumerate(rounds):
        chunk = chunk + allsides[i * share:(i + 1) * share]
        random.Random(seed + i).shuffle(chunk)
        docs += chunk
    return docs


def _appealed(doc, runs: list, rng):
    """The article with one run of reader-addressed chrome: under the headline or standfirst (60 %), else at the
    end or between paragraphs."""
    if not runs:
        return doc
    run = runs[int(rng.integers(0, len(runs)))]
    lines, labels = list(doc.lines), list(doc.labels)
    where = rng.random()
    pos = (min(len(lines), int(rng.integers(1, 4))) if where < 0.6 else
           len(lines) if where < 0.8 else int(rng.integers(0, len(lines) + 1)))
    lines[pos:pos] = [line for line, _ in run]
    labels[pos:pos] = [label for _, label in run]
    return corpus.LabelledDoc(f"{doc.key}#appeal", lines, labels, doc.source, doc.meta)


def _chromed(doc, blocks: list, pool: list, rng):
    other = pool[int(rng.integers(0, len(pool)))]
    caption = corpus.synthetic_caption(other, rng) if rng.random() < 0.6 else None
    return corpus.with_chrome(doc, blocks, caption, rng)


def fit_docs(docs: list, seed: int = 0, group_copies: bool = GROUP_COPIES, **params: Any):
    from .model import LineCleaner, document_counts

    # Crops and excerpts repeat lines of their source document: only whole documents count for recurrence.
    train_df = document_counts(doc.lines for doc in docs if "#" not in doc.key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SGD's convergence warning at a deliberately small max_iter
        # ``random_state`` in params overrides the seed for the model only (the training mix keeps ``seed``).
        model = LineCleaner(**{"random_state": seed, **MODEL_PARAMS, **params})
        groups = [d.key.split("#")[0] for d in docs] if group_copies else None
        return model.fit([d.lines for d in docs], [d.labels for d in docs], train_df, groups)


def tune_threshold(model, dev_pages: list) -> tuple[float, dict[str, float]]:
    """The keep threshold with the best snippet F1 on the dev pages' plain text."""
    lines = [[text for text, _ in _visible(p)] for p in dev_pages]
    best = (-1.0, 0.5, {})
    for threshold in THRESHOLDS:
        counts: Counter = Counter()
        for page, dec, page_lines in zip(dev_pages, decide(model, lines, threshold), lines, strict=False):
            counts += metrics.snippet_counts(_kept_text(page_lines, dec), page["with"], page["without"])
        scores = metrics.snippet_scores(counts)
        if scores["snippet_f1"] > best[0]:
            best = (scores["snippet_f1"], threshold, {**scores, "threshold": threshold, "pages": len(dev_pages)})
    return best[1], best[2]


def tune_html_threshold(model, dev_pages: list) -> tuple[float, float]:
    """The second-pass threshold for trafilatura's output with the best dev snippet F1 (ties: the lower)."""
    from .html import extract_main

    extracted = [extract_main(p["html"], p["url"])[0].splitlines() for p in dev_pages]
    best = (-1.0, 0.0)
    for threshold in HTML_THRESHOLDS:
        counts: Counter = Counter()
        for page, dec, lines in zip(dev_pages, decide(model, extracted, threshold), extracted, strict=False):
            counts += metrics.snippet_counts(_kept_text(lines, dec), page["with"], page["without"])
        f1 = metrics.snippet_scores(counts)["snippet_f1"]
        if f1 > best[0]:
            best = (f1, threshold)
    return best[1], best[0]


def _visible(page: dict) -> list[tuple[str, bool]]:
    from .html import visible_lines

    return visible_lines(page["html"])


def _kept_text(lines: list[str], dec) -> str:
    return "\n".join(lines[i].strip() for i in dec.kept)


# -- evaluation --------------------------------------------------------------------------------------------
def evaluate(req) -> dict[str, Any]:
    from newsprism.modelstore import load_model

    model, manifest = load_model(req.model or "clean", trusted=req.trusted)
    root = Path(req.data)
    if root.is_dir():
        report = evaluate_shared(model, root, with_html=not req.options.get("no_html", False))
    else:
        report = evaluate_gold(model, read_gold(root), read_bodies(root))
    report["model_sha256"] = manifest.get("sha256")
    return report


def evaluate_shared(model, root: Path, with_html: bool = True) -> dict[str, Any]:
    """Held-out trafilatura-eval pages (plain text and HTML, side by side with trafilatura) and the seeds."""
    from .html import extract_main

    test_pages = [p for p in corpus.read_pages(root) if p["split"] == "test"]
    visible = [[text for text, _ in _visible(p)] for p in test_pages]
    decisions = decide(model, visible)
    extractions = [extract_main(p["html"], p["url"]) for p in test_pages]  # text and metadata (title)
    titles = Counter(title_outcome(lines, dec.title, headline_line(lines, meta.get("title")))
                     for dec, lines, (_, meta) in zip(decisions, visible, extractions, strict=True))
    counts = {"full_visible_text": Counter(), "plain_text_cleaner": Counter(), "trafilatura_html": Counter(),
              "html_path": Counter()}
    shingle_pairs: dict[str, list] = {"full_visible_text": [], "plain_text_cleaner": [], "html_path": []}
    extracted = [text for text, _ in extractions] if with_html else []
    html_threshold = model.html_threshold
    html_decisions = decide(model, [t.splitlines() for t in extracted], html_threshold) if with_html else []
    for i, page in enumerate(test_pages):
        full = "\n".join(visible[i])
        cleaned = _kept_text(visible[i], decisions[i])
        counts["full_visible_text"] += metrics.snippet_counts(full, page["with"], page["without"])
        counts["plain_text_cleaner"] += metrics.snippet_counts(cleaned, page["with"], page["without"])
        if with_html:
            traf_lines = extracted[i].splitlines()
            second = _kept_text(traf_lines, html_decisions[i])
            counts["trafilatura_html"] += metrics.snippet_counts(extracted[i], page["with"], page["without"])
            counts["html_path"] += metrics.snippet_counts(second, page["with"], page["without"])
            # Silver shingle reference: trafilatura's extraction of the page (no gold bodies exist here).
            shingle_pairs["full_visible_text"].append((full, extracted[i]))
            shingle_pairs["plain_text_cleaner"].append((cleaned, extracted[i]))
            shingle_pairs["html_path"].append((second, extracted[i]))
    out: dict[str, Any] = {"metrics": {}, "held_out_pages": [p["file"] for p in test_pages]}
    for system, c in counts.items():
        if sum(c.values()):
            for key, value in metrics.snippet_scores(c).items():
                out["metrics"][f"test_{system}_{key}"] = round(value, 4)
    for system, pairs in shingle_pairs.items():
        for key, value in metrics.shingle_scores(pairs).items():
            if pairs:
                out["metrics"][f"test_{system}_{key}_vs_trafilatura"] = round(value, 4)
    seeds = seed_report(model)
    out["metrics"].update({f"seeds_{k}": v for k, v in seeds["metrics"].items()})
    out["seeds"] = seeds
    out["metrics"]["test_pages"] = len(test_pages)
    out["metrics"].update({f"test_plain_text_titles_{k}": v for k, v in sorted(titles.items())})
    return out


def headline_line(lines: list[str], title: str | None) -> int | None:
    """The first line that is the page's title (trafilatura's metadata), if any line shows it."""
    wanted = corpus.normalise(title or "")
    return next((i for i, line in enumerate(lines) if wanted and corpus.normalise(line) == wanted), None)


def gold_title_line(doc) -> int | None:
    return doc.labels.index("title") if "title" in doc.labels else None


def title_outcome(lines: list[str], picked: int | None, headline: int | None) -> str:
    """For a document showing its headline (line ``headline``): ``right`` when the picked line reads the same
    (a repeated copy of the headline is the same title), ``wrong`` or ``none``; for one that does not:
    ``untitled_set`` or ``untitled_none``."""
    if headline is None:
        return "untitled_none" if picked is None else "untitled_set"
    if picked is None:
        return "none"
    return "right" if corpus.normalise(lines[picked]) == corpus.normalise(lines[headline]) else "wrong"


def seed_report(model) -> dict[str, Any]:
    from newsprism.seeds import __file__ as seeds_init

    docs = corpus.seed_docs(Path(seeds_init).parent)
    return evaluate_gold(model, docs, {})


def evaluate_gold(model, docs: list, bodies: dict[str, str]) -> dict[str, Any]:
    """Line-level removal precision/recall (where lines are labelled) and the shingle metric."""
    decisions = decide(model, [d.lines for d in docs])
    gold_removed, predicted_removed, pairs, errors = [], [], [], []
    for doc, dec in zip(docs, decisions, strict=False):
        removed = {n for n, _ in dec.removed}
        gold_body = bodies.get(doc.key)
        if gold_body is None:
            kept = zip(doc.lines, doc.labels, strict=True)
            gold_body = "\n".join(line for line, label in kept if label in corpus.KEEP)
        pairs.append((_kept_text(doc.lines, dec), gold_body))
        for number, label in enumerate(doc.labels):
            if label is None:
                continue
            gold, pred = label not in corpus.KEEP, number in removed
            gold_removed.append(gold)
            predicted_removed.append(pred)
            if gold != pred:
                errors.append({"doc": doc.key, "line": number + 1, "gold": label, "removed": pred,
                               "text": doc.lines[number][:80]})
    report: dict[str, Any] = {"metrics": {**metrics.shingle_scores(pairs), "documents": len(docs)}}
    gold_titles = [gold_title_line(doc) for doc in docs]
    titles = Counter(title_outcome(doc.lines, dec.title, gold)
                     for doc, dec, gold in zip(docs, decisions, gold_titles, strict=True) if gold is not None)
    report["metrics"].update({f"titles_{k}": v for k, v in sorted(titles.items())})
    if any(label is not None for d in docs for label in d.labels):  # for text+body: lines the body holds
        report["metrics"].update(metrics.removal_scores(gold_removed, predicted_removed))
        report["errors"] = errors
    return report


# -- gold files --------------------------------------------------------------------------------------------
def read_gold(path: Path) -> list:
    """Line-labelled documents from a gold.json (texts beside it) or CSV/JSONL (``text`` + ``lines`` or ``body``)."""
    path = Path(path)
    if path.suffix == ".json" and not path.name.endswith(".jsonl"):
        return corpus.seed_docs_from(path)
    from newsprism.data import read_labelled

    docs = []
    for i, row in enumerate(read_labelled(path)):
        lines = str(row["text"]).splitlines()
        key = str(row.get("id") or i)
        if row.get("lines"):
            by_class = row["lines"] if isinstance(row["lines"], dict) else json.loads(row["lines"])
            labels = corpus.labels_from_gold(lines, by_class)
        elif row.get("body") is not None:
            labels = corpus.labels_from_body(lines, str(row["body"]))
        else:
            raise ValueError(f"{path}: row {i + 1} has neither 'lines' nor 'body'")
        docs.append(corpus.LabelledDoc(key, lines, labels, path.name))
    return docs


def read_bodies(path: Path) -> dict[str, str]:
    """Gold bodies by document key, for the shingle metric (empty for line-labelled gold)."""
    path = Path(path)
    if path.suffix == ".json":
        return {}
    from newsprism.data import read_labelled

    return {str(row.get("id") or i): str(row["body"]) for i, row in enumerate(read_labelled(path))
            if row.get("body") is not None and not row.get("lines")}
