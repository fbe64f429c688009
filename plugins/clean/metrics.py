"""Scores for boilerplate removal.

- shingle: article-extraction-benchmark's metric, token 4-gram shingle precision/recall/F1 per document,
  averaged over documents (an empty prediction against an empty gold body scores 1).
- snippets: trafilatura's own evaluation, precision/recall over must ("with") and must-not ("without")
  snippets found in the extracted text, pooled over pages.
- removal: line-level precision/recall of removal against line labels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def shingle_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    pred, true = shingles(predicted), shingles(gold)
    if not pred and not true:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & true).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(true.values()) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def shingle_scores(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Per-document shingle P/R/F1 averaged over (predicted, gold) pairs."""
    scores = [shingle_prf(p, g) for p, g in pairs]
    if not scores:
        return {"shingle_precision": 0.0, "shingle_recall": 0.0, "shingle_f1": 0.0}
    n = len(scores)
    return {
        "shingle_precision": sum(s[0] for s in scores) / n,
        "shingle_recall": sum(s[1] for s in scores) / n,
        "shingle_f1": sum(s[2] for s in scores) / n,
    }


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def snippet_counts(extracted: str, must: Sequence[str], must_not: Sequence[str]) -> Counter:
    """True/false positives and negatives of one page (whitespace-insensitive containment)."""
    text = _squash(extracted)
    counts = Counter(tp=0, fn=0, fp=0, tn=0)
    for snippet in must:
        counts["tp" if _squash(snippet) in text else "fn"] += 1
    for snippet in must_not:
        counts["fp" if _squash(snippet) in text else "tn"] += 1
    return counts


def snippet_scores(counts: Counter) -> dict[str, float]:
    tp, fp, fn, tn = counts["tp"], counts["fp"], counts["fn"], counts["tn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / max(tp + fp + fn + tn, 1)
    return {"snippet_precision": precision, "snippet_recall": recall, "snippet_f1": f1, "snippet_accuracy": accuracy}


def removal_scores(gold_removed: Iterable[bool], predicted_removed: Iterable[bool]) -> dict[str, float]:
    """Line-level precision and recall of removal (positive = line removed)."""
    tp = fp = fn = 0
    n = 0
    for gold, pred in zip(gold_removed, predicted_removed, strict=False):
        n += 1
        tp += gold and pred
        fp += pred and not gold
        fn += gold and not pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"removal_precision": precision, "removal_recall": recall, "removal_f1": f1, "lines": n,
            "gold_removed": tp + fn, "wrongly_removed": fp, "missed": fn}
