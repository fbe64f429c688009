"""Bylines: the authors an article's metadata names, as evidence of its publisher.

Most journalists write for one outlet at a time, so a name seen in training under one outlet only is strong
evidence of it. But journalists move (Theodore Schleifer: CNN, then Vox) and columnists are syndicated
(Veronique de Rugy: Reason and The American Spectator), so on an outlet the model was never trained on a byline
can name the wrong one. The stage therefore takes a byline's outlet only when the text model also ranks that
outlet among its ``top_k`` best; ``top_k`` and the names' minimum count are calibrated on the leave-outlets-out
folds under the same unknown-outlet budget as the abstention (training.py).

The authors come from metadata: trafilatura's ``author`` for HTML (``doc.meta["author"]``), a JSON Lines record's
``author`` or ``authors`` field, the data sets' author fields at training time.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

# Authors are listed with commas, semicolons (trafilatura), ampersands or "and".
_SEPARATORS = re.compile(r",|;|&|\band\b|\n", re.IGNORECASE)
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


def author_names(authors: str | None) -> list[str]:
    """The normalised names in an author field ("By Leigh Ann Caldwell and X" -> ["leigh ann caldwell", "x"])."""
    if not authors:
        return []
    names: list[str] = []
    for part in _SEPARATORS.split(authors):
        name = " ".join(_BY.sub("", part).split()).lower()
        if len(name) >= 4 and name not in names:  # "Jr", initials and stray fragments name nobody
            names.append(name)
    return names


def learn_bylines(authors: Iterable[str | None], labels: Iterable[str], min_count: int = 1) -> dict[str, str]:
    """Name -> outlet, for names seen at least ``min_count`` times and under one outlet only."""
    return single_outlet_keys(((author_names(field), label) for field, label in zip(authors, labels, strict=True)),
                              min_count)


def single_outlet_keys(keyed: Iterable[tuple[Iterable[str], str]], min_count: int) -> dict[str, str]:
    """Key -> outlet, from (keys of an article, its outlet) pairs: the keys seen in at least ``min_count``
    articles, all of one outlet (a name or a house shape that two outlets share names neither)."""
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for keys, label in keyed:
        for key in keys:
            seen[key][label] += 1
    return {key: next(iter(outlets)) for key, outlets in sorted(seen.items())
            if len(outlets) == 1 and outlets.total() >= min_count}


def byline_outlet(names: dict[str, str], authors: str | None) -> str | None:
    """The one outlet the known names of ``authors`` point to, or None (no known name, or names disagree)."""
    outlets = {names[n] for n in author_names(authors) if n in names}
    return outlets.pop() if len(outlets) == 1 else None


def ranked_within(classes: Sequence[str], proba_row: Sequence[float], outlet: str, top_k: int) -> bool:
    """Whether ``outlet`` is among the ``top_k`` classes of a row of class probabilities."""
    try:
        mine = proba_row[list(classes).index(outlet)]
    except ValueError:  # an outlet the model has no class for
        return False
    return sum(p > mine for p in proba_row) < top_k
