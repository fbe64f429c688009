"""``newsprism train topic`` and ``newsprism evaluate topic``.

DATA is either the shared data folder (or one of its set folders, e.g. ``bbc-news``), in which case the IPTC
training set is assembled with ``iptc_mapping.json``, or a labelled CSV/JSONL file (``text``, ``label``), in which
case the model learns the user's own labels. Either way the rows are deduplicated, classes with too little data are
dropped, a stratified 20% is held out (seeded), the model is fitted on the other 80% and the held-out figures go
into the manifest. The shipped model is that 80% model, so its manifest metrics are honest held-out figures.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from . import assemble as asm
from . import model as topic_model

TASK = "topic"
HELD_OUT = 0.2
#: For a user's labelled file: classes with fewer examples cannot be split and scored.
MIN_DOCS_CUSTOM = 5


def load_examples(
    data: Path, sets: tuple[str, ...] | None = None
) -> tuple[list[asm.Example], list[Path], dict[str, Any]]:
    """Examples, source files and a description (taxonomy, codes, sets) for DATA.

    ``sets`` narrows the shared data to some of its sets (out-of-distribution experiments).
    """
    data = Path(data)
    root = asm.shared_root_of(data)
    if root is not None:
        sets = tuple(sets) if sets else (asm.SETS if data == root else (data.name,))
        examples, files = asm.assemble(root, sets)
        codes = asm.read_taxonomy(root)
        info = {"taxonomy": "IPTC Media Topics (top level)", "codes": codes, "sets": list(sets),
                "min_docs": asm.load_mapping()["min_docs"]}
        return examples, [*files, root / asm.TAXONOMY_FILE], info
    from newsprism.data import read_labelled

    examples = [asm.Example(_row_text(row), str(row["label"]), data.name) for row in read_labelled(data)]
    info = {"taxonomy": "custom", "codes": {}, "sets": [data.name], "min_docs": MIN_DOCS_CUSTOM}
    return asm.deduplicate(examples), [data], info


def _row_text(row: dict[str, Any]) -> str:
    # The headline, when given separately, is the first line, as in a raw article.
    text = str(row.get("text") or "")
    title = str(row.get("title") or "").strip()
    return f"{title}\n{text}" if title and not text.startswith(title) else text


def keep_trainable(examples: list[asm.Example], min_docs: int) -> tuple[list[asm.Example], dict[str, int]]:
    """Examples of classes with at least ``min_docs`` documents, and the dropped classes with their counts."""
    counts = Counter(ex.label for ex in examples)
    dropped = {label: n for label, n in sorted(counts.items()) if n < min_docs}
    return [ex for ex in examples if ex.label not in dropped], dropped


def split(examples: list[asm.Example], seed: int) -> tuple[list[asm.Example], list[asm.Example]]:
    """Deterministic stratified (train, held-out) split, independent of the input order."""
    from sklearn.model_selection import train_test_split

    ordered = sorted(examples, key=lambda ex: (ex.origin, ex.label, ex.text))
    train, test = train_test_split(
        ordered, test_size=HELD_OUT, stratify=[ex.label for ex in ordered], random_state=seed
    )
    return list(train), list(test)


def choose_c(train_part: list[asm.Example], seed: int) -> tuple[float, dict[str, float]]:
    """Pick C by macro-F1 on a dev split of the training side (the held-out part is never looked at)."""
    from sklearn.metrics import f1_score

    try:
        fit_part, dev = split(train_part, seed + 1)
    except ValueError:  # too few examples per class for a dev split: keep the middle of the grid
        return topic_model.C_GRID[len(topic_model.C_GRID) // 2], {}
    dev_f1 = {}
    for c in topic_model.C_GRID:
        estimator = topic_model.fit([ex.text for ex in fit_part], [ex.label for ex in fit_part], seed, c)
        predicted = topic_model.predict(estimator, [ex.text for ex in dev])
        dev_f1[str(c)] = round(float(f1_score([ex.label for ex in dev], predicted, average="macro")), 4)
    best = max(topic_model.C_GRID, key=lambda c: dev_f1[str(c)])
    return best, dev_f1


def score(
    estimator: Any, examples: list[asm.Example], classes: list[str], max_chars: int | None = None
) -> dict[str, Any]:
    """Classification report over the model's classes; true labels the model cannot predict are listed apart."""
    from newsprism.evaluation import classification_report

    inside = [ex for ex in examples if ex.label in classes]
    outside = [ex for ex in examples if ex.label not in classes]
    report: dict[str, Any] = {"metrics": {"n": 0}}
    if inside:
        truth = [ex.label for ex in inside]
        predicted = topic_model.predict(estimator, [ex.text for ex in inside], max_chars)
        # Macro-F1 over the classes that occur (true or predicted): a collection without, say, sport
        # must not score a zero for it.
        present = set(truth) | set(predicted)
        report = classification_report(truth, predicted, [c for c in classes if c in present])
    if outside:
        predicted = topic_model.predict(estimator, [ex.text for ex in outside], max_chars)
        by_label: dict[str, Counter] = {}
        for ex, label in zip(outside, predicted, strict=True):
            by_label.setdefault(ex.label, Counter())[label] += 1
        report["outside_model_classes"] = {
            label: {"n": sum(c.values()), "predicted_as": dict(c.most_common())} for label, c in by_label.items()
        }
    return report


def train(req: Any) -> dict[str, Any]:
    """Train on DATA, score on the held-out 20%, save ``topic.joblib`` + manifest in ``req.out_dir``.

    ``req.options``: ``sets`` (list of shared-data sets to use), ``min_docs`` (override the class-size floor).
    """
    from newsprism.data import fingerprint
    from newsprism.modelstore import save_model

    options = getattr(req, "options", None) or {}
    examples, files, info = load_examples(req.data, options.get("sets"))
    info["min_docs"] = int(options.get("min_docs", info["min_docs"]))
    examples, dropped = keep_trainable(examples, info["min_docs"])
    if len({ex.label for ex in examples}) < 2:
        raise ValueError(f"{req.data}: need at least two labels with {info['min_docs']}+ examples each")
    train_part, test_part = split(examples, req.seed)
    c, dev_f1 = choose_c(train_part, req.seed)
    estimator = topic_model.fit([ex.text for ex in train_part], [ex.label for ex in train_part], req.seed, c)
    classes = [str(c) for c in estimator.classes_]
    report = score(estimator, test_part, classes)
    split_name = f"held-out stratified {HELD_OUT:.0%} of {'+'.join(info['sets'])} (deduplicated), seed {req.seed}"
    return save_model(
        estimator, req.out_dir, TASK, task=TASK, labels=classes, training_data=fingerprint(files),
        metrics={**report["metrics"], "split": split_name},
        extra={
            "taxonomy": info["taxonomy"],
            # The whole taxonomy (all 17 IPTC names and codes); empty for a user's own labels.
            "codes": info["codes"],
            "sets": info["sets"],
            "seed": req.seed,
            "min_docs": info["min_docs"],
            "max_chars": topic_model.MAX_CHARS,
            "C": c,
            "dev_macro_f1_by_C": dev_f1,
            "n_train": len(train_part),
            "n_held_out": len(test_part),
            "too_little_data": dropped,
            "not_predicted": sorted(set(info["codes"]) - set(classes)),
            "per_class": report["per_class"],
            "confusion": report["confusion"],
        },
    )


def held_out_examples(data: Path, manifest: dict[str, Any]) -> tuple[list[asm.Example], str]:
    """What to score for DATA: the model's own held-out split for sets it trained on, everything otherwise."""
    data = Path(data)
    root = asm.shared_root_of(data)
    wanted = list(asm.SETS) if root is not None and data == root else [data.name]
    trained_on = set(manifest.get("sets", []))
    if root is None or not trained_on:
        examples, _, _ = load_examples(data)
        return examples, f"all of {data.name} (deduplicated)"
    seen = [name for name in wanted if name in trained_on]
    unseen = [name for name in wanted if name not in trained_on]
    chosen: list[asm.Example] = []
    if seen:
        # Rebuild the training-time split exactly, then keep its held-out part for the asked sets.
        examples, _ = asm.assemble(root, tuple(manifest["sets"]))
        examples, _ = keep_trainable(examples, int(manifest.get("min_docs", asm.load_mapping()["min_docs"])))
        _, test = split(examples, int(manifest.get("seed", 0)))
        chosen += [ex for ex in test if ex.origin in seen]
    if unseen:
        chosen += asm.assemble(root, tuple(unseen))[0]
    parts = [f"held-out 20% of {'+'.join(seen)}"] if seen else []
    parts += [f"all of {'+'.join(unseen)} (never seen in training)"] if unseen else []
    return chosen, "; ".join(parts) + f", seed {manifest.get('seed', 0)}"


def evaluate(req: Any) -> dict[str, Any]:
    """Accuracy, macro-F1 over the model's classes, per class, confusion matrix (and a PNG with --plot)."""
    from newsprism.evaluation import plot_confusion
    from newsprism.modelstore import load_model

    estimator, manifest = load_model(req.model or TASK, trusted=req.trusted)
    examples, described = held_out_examples(req.data, manifest)
    classes = [str(c) for c in estimator.classes_]
    report = score(estimator, examples, classes, manifest.get("max_chars"))
    report["split"] = described
    report["model"] = {"sha256": manifest.get("sha256"), "taxonomy": manifest.get("taxonomy")}
    if req.plot and "confusion" in report:
        plot_confusion(report, req.plot, title=f"topic: {described}")
    return report
