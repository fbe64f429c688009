"""Turning line probabilities into decisions: which lines stay, and why each other line went."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .corpus import CLASSES, KEEP
from .features import FEATURE_NAMES
from .model import LineCleaner

_KEEP_IDX = [CLASSES.index(c) for c in sorted(KEEP)]
_CAPTION = CLASSES.index("caption")
_BOILER = CLASSES.index("boilerplate")
_TITLE = CLASSES.index("title")
_LATER_REPEAT = FEATURE_NAMES.index("later_repeat")
_TRAIN_DF = FEATURE_NAMES.index("train_df")
_BATCH_DF = FEATURE_NAMES.index("batch_df")
#: A line counts as recurring when it is in 5+ training documents or 2+ other documents of the batch.
RECURRING_TRAIN = math.log1p(5)
RECURRING_BATCH = math.log1p(2)
#: CCNet-style deduplication: a line found in this many *other* documents of the batch is dropped whatever the
#: model says (credit lines excepted: "The Associated Press contributed to this report." legitimately recurs).
BATCH_RECURRENCE_MIN = 3
#: Partial repeats are looked for among a document's first non-blank lines, where headlines and standfirsts sit.
HEAD = 8
#: A model with a title picker names the line it scores highest the document's title when it scores this much.
TITLE_MIN = 0.5


@dataclass
class Decision:
    """The verdict for one document: kept 0-based line numbers, removed (number, reason), the title line."""

    kept: list[int] = field(default_factory=list)
    removed: list[tuple[int, str]] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)
    title: int | None = None


def decide(
    model: LineCleaner,
    docs_lines: Sequence[Sequence[str]],
    threshold: float | Sequence[float | None] | None = None,
    batch_recurrence_min: int | None = BATCH_RECURRENCE_MIN,
) -> list[Decision]:
    """Classify every non-blank line of every document and decide keep/drop with a reason.

    ``threshold`` is the keep-probability threshold: one for all documents, or one per document
    (``None`` entries use the model's tuned threshold). ``batch_recurrence_min`` of ``None`` or 0 turns the
    batch deduplication off.
    """
    if threshold is None or isinstance(threshold, (int, float)):
        threshold = [threshold] * len(docs_lines)
    limits = [model.keep_threshold if t is None else float(t) for t in threshold]
    pred = model.predict_lines(docs_lines)
    decisions = [Decision() for _ in docs_lines]
    if len(pred.proba) == 0:
        return decisions
    p_keep = pred.keep
    keep_mask = np.zeros(len(CLASSES), dtype=bool)
    keep_mask[_KEEP_IDX] = True
    best_kept = np.where(keep_mask, pred.proba, -1).argmax(axis=1)
    best_dropped = np.where(~keep_mask, pred.proba, -1).argmax(axis=1)
    recurring = np.zeros(len(p_keep), dtype=bool)
    if batch_recurrence_min:
        recurring = pred.features[:, _BATCH_DF] >= math.log1p(batch_recurrence_min) - 1e-9
        recurring &= best_kept != CLASSES.index("credit")
    doc = pred.lines.doc
    # Plain Python lists for the sequential pass: indexing numpy arrays line by line costs more than the logic.
    passes = ((p_keep >= np.asarray(limits)[doc]) & ~recurring).tolist()
    head = (np.arange(len(doc)) - np.searchsorted(doc, doc, side="left") < HEAD).tolist()
    names = np.array(CLASSES, dtype=object)
    kept_names, dropped_names = names[best_kept].tolist(), names[best_dropped].tolist()
    kept_seen: list[set[str]] = [set() for _ in docs_lines]
    head_kept: list[list[str]] = [[] for _ in docs_lines]
    head_numbers: list[list[int]] = [[] for _ in docs_lines]
    lines_text = pred.lines.text
    for i, (d, number) in enumerate(zip(doc.tolist(), pred.lines.number.tolist(), strict=True)):
        decision, text = decisions[d], lines_text[i]
        repeat = text in kept_seen[d] or (head[i] and _repeats_part(text, head_kept[d]))
        if passes[i] and not repeat:
            kept_seen[d].add(text)
            decision.kept.append(number)
            if head[i]:
                glued = _glued_to(text, head_kept[d])
                if glued is not None:  # the earlier line is this one with chrome glued in front: drop that
                    _drop_kept(decision, head_numbers[d][glued], head_kept[d], head_numbers[d], glued)
                head_kept[d].append(text)
                head_numbers[d].append(number)
            label = kept_names[i]
            if label == "title" and decision.title is None:
                decision.title = number
        else:
            label = dropped_names[i]
            decision.removed.append((number, _reason(pred.proba[i], pred.features[i], repeat)))
        decision.labels[number] = label
    if pred.title is not None:
        _pick_titles(decisions, pred.title, doc, pred.lines.number)
    return decisions


#: Lines removed for these reasons are no headline: a repeat (or a headline with chrome glued in front) leaves
#: its clean copy kept, and a line in other documents of the batch is the site's.
NOT_TITLES = frozenset({"repeated", "recurring-line"})


def _pick_titles(decisions: list[Decision], score: np.ndarray, doc: np.ndarray, numbers: np.ndarray) -> None:
    """With a title picker: a document's title is the line it scores highest, among lines not removed for a
    reason in NOT_TITLES, when that reaches TITLE_MIN; otherwise it stays the first kept line stage 1 classes
    title (the rule without a picker)."""
    excluded = {(d, n) for d, decision in enumerate(decisions)
                for n, reason in decision.removed if reason in NOT_TITLES}
    eligible = np.array([(d, n) not in excluded for d, n in zip(doc.tolist(), numbers.tolist(), strict=True)])
    for d, row in _best_title_rows(np.where(eligible, score, -1.0), doc):
        _take_title(decisions[d], int(numbers[row]))


def _best_title_rows(score: np.ndarray, doc: np.ndarray) -> list[tuple[int, int]]:
    """Per document, the batch row of its line the title picker scores highest, if that reaches TITLE_MIN."""
    order = np.lexsort((-score, doc))
    first = order[np.concatenate([[True], doc[order][1:] != doc[order][:-1]])]
    return [(int(doc[row]), int(row)) for row in first if score[row] >= TITLE_MIN]


def _take_title(decision: Decision, number: int) -> None:
    """The picked line is the title, and it stays in the clean text: a headline is kept."""
    decision.title = number
    if number in dict(decision.removed):
        decision.removed = [(n, reason) for n, reason in decision.removed if n != number]
        decision.kept = sorted([*decision.kept, number])
    decision.labels[number] = "title"


#: A head line that ends with a later head line after at most this many characters of prefix is that line with
#: chrome glued in front ("HomeFT SelectAleppo evacuation is complete…" above "Aleppo evacuation is complete…").
GLUED_PREFIX = 40


def _glued_to(text: str, earlier: list[str]) -> int | None:
    """Index of an earlier kept head line that is ``text`` with a short prefix glued on (a breadcrumb or section
    label run into the headline by the scraper), if any. The prefix must not end a sentence."""
    if len(text) < 20 or text.count(" ") < 2:
        return None
    for k, line in enumerate(earlier):
        extra = len(line) - len(text)
        if 0 < extra <= GLUED_PREFIX and line.endswith(text) and not line[:extra].rstrip().endswith((".", "!", "?")):
            return k
    return None


def _drop_kept(decision: Decision, number: int, head_text: list[str], head_numbers: list[int], k: int) -> None:
    decision.kept.remove(number)
    decision.removed.append((number, "repeated"))
    decision.removed.sort()
    decision.labels[number] = "boilerplate"
    if decision.title == number:
        decision.title = None
    del head_text[k], head_numbers[k]


def _repeats_part(text: str, earlier: list[str]) -> bool:
    """Whether a line of 5+ words repeats, on word boundaries, part of an earlier kept line of the document's
    head: a standfirst glued to the headline and then repeated as a caption."""
    if text.count(" ") < 4:
        return False
    for line in earlier:
        at = line.find(text)
        if at >= 0 and len(line) > len(text) and (at == 0 or not line[at - 1].isalnum()):
            end = at + len(text)
            if end == len(line) or not line[end].isalnum():
                return True
    return False


def _reason(proba: np.ndarray, feats: np.ndarray, repeats_kept: bool) -> str:
    if repeats_kept or feats[_LATER_REPEAT] > 0:
        return "repeated"
    if proba[_CAPTION] > proba[_BOILER]:
        return "caption"
    if feats[_TRAIN_DF] >= RECURRING_TRAIN or feats[_BATCH_DF] >= RECURRING_BATCH:
        return "recurring-line"
    return "boilerplate"
