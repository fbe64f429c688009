"""Credits held-out samples 13-19: FNC-1 article bodies, a pool no credit rule was written on before it was scored."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pytest

from newsprism.plugins.source.credits import CreditFinder

SAMPLE = json.loads((Path(__file__).parent / "fixtures" / "credits_labels_fnc.json").read_text(encoding="utf-8"))
PART = SAMPLE["held_out_13"]


@pytest.fixture(scope="module")
def fnc_bodies(shared_data) -> dict[str, str]:
    """FNC-1 train bodies keyed as the fixture keys them ('fnc:<Body ID>')."""
    csv.field_size_limit(1 << 30)  # bodies are long quoted fields with newlines
    with open(shared_data / "fnc-1" / "train_bodies.csv", encoding="utf-8", newline="") as handle:
        return {f"fnc:{row['Body ID']}": row["articleBody"] for row in csv.DictReader(handle)}


def _key(name: str) -> str:
    """Names compared as credits_labels.json's tests do (case, a leading "The"), and a site's domain as its name:
    "digitaljournal.com" (read from a link) is "Digital Journal", "News.com.au" is "news.com.au"."""
    name = name.strip().casefold().removeprefix("the ")
    host = _HOST.fullmatch(name)
    return re.sub(r"[\W_]", "", host.group(1) if host else name)


_HOST = re.compile(r"(?:www\.)?([\w-]+)\.(?:com|org|net|co|ca|au|uk|info|news|tv)(?:\.[a-z]{2})?")


@pytest.mark.parametrize(
    ("part", "earlier"),
    [
        ("held_out_13", []),
        ("held_out_14", ["held_out_13"]),
        ("held_out_15", ["held_out_13", "held_out_14"]),
        ("held_out_16", ["held_out_13", "held_out_14", "held_out_15"]),
        ("held_out_17", ["held_out_13", "held_out_14", "held_out_15", "held_out_16"]),
        ("held_out_18", ["held_out_13", "held_out_14", "held_out_15", "held_out_16", "held_out_17"]),
        ("held_out_19", ["held_out_13", "held_out_14", "held_out_15", "held_out_16", "held_out_17", "held_out_18"]),
    ],
)
def test_fnc_samples_are_the_documented_uniform_draws_of_the_bodies_left(fnc_bodies, part, earlier):
    """Each sample is random.Random(seed).sample of the bodies no earlier sample took; half A its first half."""
    held = SAMPLE[part]
    pool = sorted(set(fnc_bodies).difference(*(SAMPLE[name]["documents"] for name in earlier)))
    assert len(pool) == held["pool"]["articles"]
    drawn = random.Random(held["seed"]).sample(pool, held["size"])
    assert sorted(drawn) == sorted(held["documents"])
    assert set(held["half_a"]) == set(drawn[: (held["size"] + 1) // 2])
    # (sample 19 is the whole remaining pool, 183 bodies; it measures the same rules as sample 18: 433 together)
    assert len(held["documents"]) == held["size"] >= (183 if part == "held_out_19" else 200)
    assert sum(len(names) for names in held["documents"].values()) == held["gold_credits"]


def _score(part: dict, bodies: dict[str, str]) -> tuple[int, int, int]:
    finder = CreditFinder()
    tp = fp = fn = 0
    for doc_id, names in part["documents"].items():
        found = {_key(c.name) for c in finder.find(bodies[doc_id].splitlines())}
        gold = {_key(name) for name in names}
        tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    return tp, fp, fn


def test_credits_on_held_out_13(fnc_bodies):
    tp, fp, fn = _score(PART, fnc_bodies)
    # Scored once with the rules of 812ca3d, right after the labels were committed: P 0.960 (24/25), R 0.533
    # (24/45) -- the held-out figure of those rules on a pool they were never written on (fixture 'scored'). The
    # rules were then widened on its misses (one-word names in whole-line "Via X" / "h/t X" forms, country and
    # linked domains, "with files from", a closing name tag, platform domains refused), so it is tuning data now.
    # Measured then: P 1.000 (35/35), R 0.778 (35/45); after the widening on sample 14 too: P 1.000 (36/36), R 0.800.
    assert fp == 0
    assert tp / (tp + fn) >= 0.8


def test_credits_on_held_out_14(fnc_bodies):
    # Scored once with the rules of 8fb009e (widened on sample 13), right after the labels were committed: P 0.957
    # (22/23), R 0.512 (22/43); the rules before (812ca3d) in the same run: P 0.955, R 0.488 -- the widening on one
    # sample's misses carried over to the next one by a single credit (fixture 'scored'). The rules were then
    # widened on its misses too (bracketed name tags, h/t lists, closing name lines, tracker links, "See an AP story
    # below", one-word reprint notices, all-capital open datelines, "The NY Times"), so it is tuning data now.
    # Measured then: P 1.000 (39/39), R 0.907 (39/43); after the fixes on sample 15 too: P 1.000 (40/40), R 0.930.
    tp, fp, fn = _score(SAMPLE["held_out_14"], fnc_bodies)
    assert fp == 0
    assert tp / (tp + fn) >= 0.93


_BODY = (
    "The council voted on Monday to close the old bridge to traffic after engineers found cracks in two of its"
    " supports, and officials said repairs would take at least six months."
)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Written from the families of samples 13 and 14's misses (synthetic lines, no article text).
        (["Title", _BODY, "H/T: Quartz"], ["Quartz"]),
        (["Title", _BODY, "VIA: BGR"], ["BGR"]),
        (["Title", _BODY, "Via: 9to5mac"], ["9to5mac"]),
        (["Title", _BODY + " (H/t Deadspin)"], ["Deadspin"]),
        (["Title", _BODY, "[h/t Esquire / Jezebel]"], ["Esquire", "Jezebel"]),
        (["Title", _BODY, "[h/t Metro, Photo: Example Images]"], ["Metro"]),
        (["Title", _BODY, "This article originally appeared on News.com.au."], ["News.com.au"]),
        (["Title", _BODY, "This article originally appeared at Bellingcat. Copyright 2014."], ["Bellingcat"]),
        (["Title", _BODY, "(Excerpt) Read more at washingtontimes.com ..."], ["Washington Times"]),
        (["Title", _BODY, "Read more: http://www.example-news.com/story/12#ixzz3SaIR8Hlq"], ["example-news.com"]),
        (["Title", _BODY, "- See more at: http://example-news.com/2015/03/a-story/#sthash.9lQc.dpuf"],
         ["example-news.com"]),
        (["Title", _BODY, "The Canadian Press, with files from the Winnipeg Free Press"],
         ["The Canadian Press", "Winnipeg Free Press"]),
        (["Title", _BODY, _BODY, "The Sunday Times"], ["The Sunday Times"]),
        (["Title", _BODY, _BODY, "- WA Today"], ["WA Today"]),
        (["Title", _BODY, _BODY, "Reuters, Fairfax Media"], ["Reuters", "Fairfax Media"]),
        (["Title", _BODY, _BODY + " [Emergent]"], ["Emergent"]),
        (["Title", _BODY, _BODY, "[BBC]"], ["BBC News"]),
        (["Title", _BODY, "See an Associated Press story below.", _BODY], ["Associated Press"]),
        (["Title", _BODY, "Read the full report from 9to5Mac."], ["9to5Mac"]),
        (["Title", _BODY, "Source: The NY Times"], ["New York Times"]),
        (["WASHINGTON (CBS DC) – " + _BODY, _BODY], ["CBS DC"]),
        (["(NEWSER) – " + _BODY, _BODY], ["NEWSER"]),
        # Written from the families of sample 15's errors.
        (["Title", _BODY, "This story was first published by Mail Online"], ["Daily Mail"]),
        (["Title", _BODY, _BODY, "[FOX]"], ["Fox News"]),
        (["Title", "Read more: Some headline | Example Times http://www.exampletimes.com/a-story/#ixzz3GQYE", _BODY,
          _BODY, _BODY, _BODY, _BODY], ["exampletimes.com"]),
        (["Title", _BODY, "You can read the full report over at The Hollywood Reporter."], ["The Hollywood Reporter"]),
        (["Title", _BODY, "Read the whole story at Uproxx"], ["Uproxx"]),
        (["Title", _BODY, "From Vocativ:", "An excerpt of the story.", _BODY], ["Vocativ"]),
        (["Title", _BODY, "Via: iDownloadBlog"], ["iDownloadBlog"]),
        (["Title", _BODY, "(This article originally appeared on example.com on 03/02/2015. Click here.)"],
         ["example.com"]),
        (["Title", _BODY, "[Image via Example Pics//h/t Daily Mail]"], ["Daily Mail"]),
        (["SANA, Yemen — " + _BODY, _BODY], []),
        (["Title", _BODY, _BODY + " [CUSTOM]"], []),
        # Not credits: Yemen's capital before a Reuters dateline is no SANA dateline; an image's "via X"; a tweet's
        # tracker link in the middle of a text.
        (["SANAA, Dec 6 (Reuters) - " + _BODY, _BODY], ["Reuters"]),
        (["Title", _BODY, "[Image: Example Pics (CEN) via the Daily Mail]"], []),
        (["Title", _BODY, "@someone: a view http://www.exampletimes.com/a/#ixzz4Mmzk", _BODY, _BODY, _BODY, _BODY,
          _BODY], []),
        # Not credits: a platform's domain, a person's initials in a list, a back-reference, a language, a tag that
        # names no one, persons closing the text, a bracketed word opening a dateline that is no outlet.
        (["Title", _BODY, "Via youtube.com"], []),
        (["Title", "BIRTHDAYS: Jane Doe is 50 (h/t BKR) … John Roe is 41 (h/t Ben) … Ann Poe", _BODY], []),
        (["Title", _BODY, "More from the Post:", "An excerpt."], []),
        (["Title", _BODY, "This article originally appeared in Spanish."], []),
        (["Title", _BODY, _BODY + " [Video]"], []),
        (["Title", _BODY, _BODY, "John Smith, Jane Doe"], []),
        (["Title", _BODY, _BODY, "- John Smith"], []),
        (["(UPDATE) – " + _BODY, _BODY], []),
        (["Title", _BODY, "H/T: Email"], []),
        # Written from the families of samples 13-17's misses, after sample 17 was scored (synthetic lines).
        (["Title", _BODY, "Source: 9to5Mac"], ["9to5Mac"]),
        (["Title", _BODY, "Sources: Metro, Daily Mirror, news.com.au"], ["Metro", "Daily Mirror", "news.com.au"]),
        (["Title", _BODY, "Click for more from the Chosun Ilbo."], ["Chosun Ilbo"]),
        (["Title", _BODY, "Additional reporting by Mashable staff. Have something to add? Tell us."], ["Mashable"]),
        (["Title", _BODY, "Additional reporting by Mashable"], ["Mashable"]),
        (["Title", _BODY, "With a file from Reuters"], ["Reuters"]),
        (["Title", _BODY + " (FRANCE 24 with AFP, AP)"], ["AFP", "Associated Press"]),
        (["(RNS) When " + _BODY, _BODY], ["RNS"]),
        (["(Mashable) Reports that " + _BODY, _BODY], ["Mashable"]),
        (["(ExampleNews.com) On Monday " + _BODY, _BODY], ["ExampleNews.com"]),
        (["LOS ANGELES, California ( The Adobo Chronicles) – " + _BODY, _BODY], ["The Adobo Chronicles"]),
        # Not credits: a person's reporting, a company and an agency in a closing list, a place in brackets, a
        # bracketed label, a chart's one-word source above the story's last lines.
        (["Title", _BODY, "Additional reporting by John Smith."], []),
        (["Title", _BODY, "Sources: Example Post, CenturyLink, NIH"], ["Example Post"]),
        (["(DETROIT) In a decision " + _BODY, _BODY], []),
        (["(Excerpt) The " + _BODY, _BODY], []),
        (["Title", "Source: Gallup", _BODY, _BODY, _BODY], []),
    ],
)
def test_credit_forms_of_the_fnc_samples(lines, expected):
    assert [credit.name for credit in CreditFinder().find(lines)] == expected


# How each later sample was scored (the fixture's 'scored' entries hold the figures):
# - 15: once with the rules of f415720 (widened on 13 and 14): P 0.808 (21/26), R 0.500 (21/42); 8fb009e P 0.810 R
#   0.405, 812ca3d P 0.778 R 0.333 in the same run. Three of its five false credits were right credits under another
#   name (Mail Online, HuffPost, FOX). Then fixed and widened on it (the SANAA bug, an image's "via X", tracker links
#   higher up, "You can read the full report over at X", one-word pointers, "From X:", camel-case names opening
#   small, numeric dates after a reprint notice): tuning data; left: "h/t HuffPo" named HuffPost.
# - 16: once with 2d51726 (widened on 13-15): P 0.833 (15/18), R 0.556 (15/27), the same as f415720 (812ca3d P 0.867
#   R 0.481): the round on 15 carried over not at all. Then "SANA, Yemen —" and "[CUSTOM]" refused: tuning data.
# - 17: labelled after the rules of 15f2260 were written, scored once with them: P 1.000 (20/20), R 0.606 (20/33);
#   812ca3d P 0.933 R 0.424. Tuned on after (b275aa0).
# - 18: labelled while the rules of b275aa0 were written from 13-17's misses, frozen before the labels came back;
#   scored once with them: P 0.973 (36/37), R 0.800 (36/45); 34186e9 P 0.972 R 0.778, 812ca3d P 0.968 R 0.667.
# - 19: the whole remaining pool (183 bodies), labelled after 18 was scored, the rules unchanged since: P 1.000
#   (20/20), R 0.667 (20/30). With 18, the rules as shipped on 433 bodies: P 0.982 (56/57), R 0.747 (56/75).
@pytest.mark.parametrize(
    ("part", "most_false", "least_recall"),
    [("held_out_15", 1, 0.71), ("held_out_16", 1, 0.55), ("held_out_17", 0, 0.6), ("held_out_18", 1, 0.8),
     ("held_out_19", 0, 0.66)],
)
def test_credits_on_the_later_fnc_samples(fnc_bodies, part, most_false, least_recall):
    tp, fp, fn = _score(SAMPLE[part], fnc_bodies)
    assert fp <= most_false
    assert tp / (tp + fn) >= least_recall


def test_the_rules_as_shipped_on_samples_18_and_19_together_meet_the_precision_target(fnc_bodies):
    scores = [_score(SAMPLE[part], fnc_bodies) for part in ("held_out_18", "held_out_19")]
    tp, fp = sum(s[0] for s in scores), sum(s[1] for s in scores)
    assert len(SAMPLE["held_out_18"]["documents"]) + len(SAMPLE["held_out_19"]["documents"]) >= 200
    assert tp / (tp + fp) >= 0.98
