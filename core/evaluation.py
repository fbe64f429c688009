"""Evaluation reports shared by every task: one shape, printed by ``newsprism evaluate``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def classification_report(
    y_true: Sequence[str], y_pred: Sequence[Any], labels: Sequence[str] | None = None
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix.

    A prediction of ``None`` (abstention) counts as wrong and appears as the
    column ``"(none)"`` of the confusion matrix.
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    y_pred = ["(none)" if p is None else str(p) for p in y_pred]
    y_true = [str(t) for t in y_true]
    labels = list(labels) if labels is not None else sorted(set(y_true))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    columns = labels + (["(none)"] if "(none)" in y_pred else [])
    matrix = confusion_matrix(y_true, y_pred, labels=columns)
    return {
        "metrics": {
            "n": len(y_true),
            "accuracy": float(accuracy_score(y_true, y_pred)),
            "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        },
        "per_class": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "confusion": {"labels": columns, "matrix": matrix[: len(labels)].tolist()},
    }


def plot_confusion(report: dict[str, Any], path: Path, title: str = "") -> Path:
    """Write the report's confusion matrix as a PNG (needs the ``plot`` extra: matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise RuntimeError("--plot needs matplotlib: pip install 'newsprism[plot]'") from None
    labels = report["confusion"]["labels"]
    matrix = report["confusion"]["matrix"]
    rows = labels[: len(matrix)]
    size = max(4.0, 0.45 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size * len(rows) / max(len(labels), 1) + 1))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title or "confusion matrix")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return Path(path)
