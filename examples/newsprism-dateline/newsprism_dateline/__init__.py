"""Example newsprism plugin: which place (and agency) a story is filed from.

A dateline opens the first paragraph of a wire story: "ALEPPO: ...",
"BEIRUT (Reuters) - ...", "LONDON, Dec 16 (AFP) - ...", "Moscow, Beirut – ...".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsprism import Document, Prediction, Processor, hookimpl

_PLACE = r"[A-Z][A-Za-z'.-]+(?:\s[A-Z][A-Za-z'.-]+){0,2}"
_DATE = r"[A-Z][a-z]{2,8}\.?\s\d{1,2}"
_DATELINE = re.compile(
    rf"^(?P<places>{_PLACE}(?:,\s{_PLACE}){{0,2}})"  # one to three places
    rf"(?:,\s(?P<date>{_DATE}))?"  # optional date
    r"\s?(?:\((?P<agency>[A-Za-z][A-Za-z .&/-]{0,30})\))?"  # optional (Agency)
    r"\s?(?P<sep>[:\-–—])\s"
)
_LINES_TO_SEARCH = 6  # the first paragraphs; scraped text may keep a teaser or tag line above it


def find_dateline(body: str) -> dict | None:
    """The dateline opening one of the body's first paragraphs, or None."""
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    for paragraph in paragraphs[:_LINES_TO_SEARCH]:
        match = _DATELINE.match(paragraph)
        if match and _plausible(match):
            places = [p.strip().title() for p in match["places"].split(",")]
            return {"places": places, "agency": match["agency"], "evidence": match.group(0).strip()}
    return None


def _plausible(match: re.Match) -> bool:
    # Upper-case places ("ALEPPO:"), a named agency, or a dash after places are datelines;
    # "Mixed Case:" alone is too often a label ("Update:", "Editor's note:").
    return match["places"].isupper() or bool(match["agency"]) or match["sep"] in "–—-"


class DatelineExtractor(Processor):
    name = "dateline"
    stage = "dateline"
    requires = ("text",)
    provides = ("dateline",)
    version = "0.1.0"
    description = "Place and agency of a story's dateline, from the clean body."

    def process_batch(self, docs: Sequence[Document]) -> None:
        for doc in docs:
            found = find_dateline(doc.body)
            if found:
                doc.predictions["dateline"] = Prediction(label=found["places"][0], score=1.0, extra=found)


@hookimpl
def newsprism_register_processors(register):
    register(DatelineExtractor)
