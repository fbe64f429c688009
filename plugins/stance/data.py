"""Stance data: FNC-1 pairs joined on Body ID, body-disjoint splits, and generic labelled files."""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsprism.data import DataError, open_text, read_labelled

#: The official FNC-1 baseline's hold-out seed and share (fnc-1-baseline, utils/generate_test_splits.py).
HOLDOUT_SEED = 1489215
TRAIN_SHARE = 0.8


@dataclass
class Pairs:
    """Aligned (claim, body, label) triples, with the group (body id) of each pair."""

    claims: list[str]
    bodies: list[str]
    labels: list[str]
    groups: list[str]
    files: list[Path]

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, keep: Iterable[str]) -> Pairs:
        keep = set(keep)
        idx = [i for i, g in enumerate(self.groups) if g in keep]
        return Pairs(
            [self.claims[i] for i in idx],
            [self.bodies[i] for i in idx],
            [self.labels[i] for i in idx],
            [self.groups[i] for i in idx],
            self.files,
        )

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.claims, self.bodies, strict=False))


def _read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with open_text(path) as handle:
        return list(csv.DictReader(handle))


def fnc_files(folder: Path) -> tuple[Path, Path] | None:
    """(bodies, stances) CSVs of an FNC-format folder, the shared data folder, or None."""
    folder = Path(folder)
    for base in (folder, folder / "fnc-1"):
        bodies = sorted(base.glob("*_bodies.csv"))
        stances = sorted(base.glob("*_stances.csv"))
        if len(bodies) == 1 and len(stances) == 1:
            return bodies[0], stances[0]
    return None


def read_fnc(bodies_csv: Path, stances_csv: Path) -> tuple[Pairs, list[str]]:
    """FNC-1 pairs joined on Body ID, and the body ids in file order (the order the baseline shuffles)."""
    body_rows = _read_csv(bodies_csv)
    bodies = {row["Body ID"]: row["articleBody"] for row in body_rows}
    claims, texts, labels, groups = [], [], [], []
    for number, row in enumerate(_read_csv(stances_csv), 2):
        body_id = row.get("Body ID")
        if body_id not in bodies:
            raise DataError(f"{stances_csv}:{number}: Body ID {body_id!r} is not in {bodies_csv.name}")
        claims.append(row["Headline"])
        texts.append(bodies[body_id])
        labels.append(row["Stance"])
        groups.append(body_id)
    return Pairs(claims, texts, labels, groups, [bodies_csv, stances_csv]), list(bodies)


def read_generic(path: Path) -> Pairs:
    """A labelled file (text = body, claim, label); without a claim the row's title or first line is the claim."""
    from .claim import claim_from

    rows = read_labelled(path)
    claims, texts, labels, groups = [], [], [], []
    for number, row in enumerate(rows, 1):
        text = row.get("text") or ""
        claim = row.get("claim") or claim_from(row.get("title"), text)
        if not row.get("label"):
            raise DataError(f"{path}: row {number} has no 'label'")
        claims.append(claim)
        texts.append(text)
        labels.append(str(row["label"]).strip().lower())
        # Pairs sharing a body must stay on one side of a split.
        groups.append(hashlib.sha1(text.encode()).hexdigest()[:16])
    return Pairs(claims, texts, labels, groups, [Path(path)])


def holdout_split(body_ids: Sequence[str], seed: int = HOLDOUT_SEED, share: float = TRAIN_SHARE) -> tuple[set, set]:
    """(train ids, held-out ids): shuffle with ``seed`` and keep ``share`` for training, as the FNC-1 baseline does."""
    ids = list(body_ids)
    random.Random(seed).shuffle(ids)
    cut = int(share * len(ids))
    return set(ids[:cut]), set(ids[cut:])


def unique_groups(pairs: Pairs) -> list[str]:
    return list(dict.fromkeys(pairs.groups))
