"""House-style evidence of the publisher: the shapes of the date lines an outlet prints over its stories.

Many outlets open every story the same way: Al-Alam "Mon Oct 31 2016 …" under the headline, Al-Ahram "…
Monitor AFP Sunday 26 Nov 2017", Al-Manar "17-08-2014 …". A *shape* is a run of date-like tokens (weekday,
month, a number written as its digit count, digits with separators) in one of the first three lines, with the
line's index and where the run sits in it ("L1:start:DAY MON N2 N4"). Words are not part of a shape: a shape is
style, not content. A shape seen in at least ``min_count`` training articles, all of one outlet, names that outlet;
like a byline, the stage takes it only when the text model ranks that outlet among its best (see training.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DAYS = frozenset("mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july "
                    "august september october november december".split())
_NUMERIC = re.compile(r"[\d\-/:.]+")
_DIGIT = re.compile(r"\d")
_NUMERIC_START = frozenset("0123456789-/:.")
#: How many non-blank opening lines are read, and how much of the text holds them.
LINES = 3
HEAD_CHARS = 8000


def _token_class(token: str) -> str | None:
    """A date-like token's class, or None for a word."""
    if token[0] in _NUMERIC_START:
        if token.isdigit():
            return f"N{len(token)}"
        if _NUMERIC.fullmatch(token):
            return _DIGIT.sub("0", token)
        return None
    bare = token.lower().strip(".,")
    if bare in _DAYS:
        return "DAY"
    return "MON" if bare in _MONTHS else None


_CLASSES: dict[str, str | None] = {}


def _cached_class(token: str) -> str | None:
    """:func:`_token_class`, remembered: the words of news openings repeat, and a look-up is cheaper."""
    try:
        return _CLASSES[token]
    except KeyError:
        if len(_CLASSES) > 200_000:  # bounded: a long-running process sees unbounded vocabulary
            _CLASSES.clear()
        cls = _CLASSES[token] = _token_class(token)
        return cls


def line_shapes(text: str) -> dict[str, str]:
    """The date-line shapes of a text's first :data:`LINES` non-blank lines, each with the line it is in."""
    shapes: dict[str, str] = {}
    # The head only: splitting a whole long text into lines costs more than reading three of them.
    lines = [line for line in text[:HEAD_CHARS].splitlines()[: LINES * 4] if line.strip()][:LINES]
    for k, line in enumerate(lines):
        tokens = line.split(maxsplit=60)[:60]  # a shape sits near a line's start; long lines are body text after it
        run: list[tuple[int, str]] = []
        for i, cls in enumerate([*map(_cached_class, tokens), None]):
            if cls is not None:
                run.append((i, cls))
            elif run:
                if len(run) >= 2 or run[0][1] in ("DAY", "MON"):
                    where = "start" if run[0][0] == 0 else "end" if run[-1][0] == len(tokens) - 1 else "mid"
                    shapes.setdefault(f"L{k}:{where}:" + " ".join(c for _, c in run), line.strip())
                run = []
    return shapes


def learn_house_shapes(texts: Iterable[str], labels: Iterable[str], min_count: int = 3) -> dict[str, str]:
    """Shape -> outlet, for shapes seen in at least ``min_count`` articles, all of one outlet."""
    from .bylines import single_outlet_keys

    return single_outlet_keys(((line_shapes(text), label) for text, label in zip(texts, labels, strict=True)),
                              min_count)


def house_outlet(shapes: dict[str, str], text: str) -> tuple[str, str] | None:
    """(outlet, evidence line): the one outlet the known shapes of ``text`` point to; None when no shape is known
    or they disagree."""
    found = {shapes[shape]: line for shape, line in line_shapes(text).items() if shape in shapes}
    return next(iter(found.items())) if len(found) == 1 else None
