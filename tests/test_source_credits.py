"""Credits of outlets no table knows (open_outlet), and the hand-labelled credit samples 4 to 10 (all tuned on now)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from newsprism.plugins.source.credits import DATELINE, NAMED, NORMAL, REPRINT, STRICT, CreditFinder, open_outlet

LABELS = json.loads((Path(__file__).parent / "fixtures" / "credits_labels.json").read_text(encoding="utf-8"))
PARTS = ("tuning", "held_out_1", "held_out_2", "held_out_3", "held_out_4", "held_out_5")


@pytest.fixture(scope="module")
def finder():
    return CreditFinder()


@pytest.mark.parametrize(
    ("span", "how", "expected"),
    [
        ("The Right Scoop", NORMAL, "The Right Scoop"),
        ("www.iPatriot.com", NORMAL, "iPatriot.com"),
        ("Constitution.com", STRICT, "Constitution.com"),
        ("Yahoo Finance", STRICT, "Yahoo Finance"),
        ("the St. Louis Post-Dispatch.", NORMAL, "St. Louis Post-Dispatch"),
        ("The Daily Beast on September 14, 2013", NORMAL, "The Daily Beast"),
        ("RealMoney", DATELINE, "RealMoney"),
        ("Freedom Outpost", REPRINT, "Freedom Outpost"),
        # Persons, companies, platforms, bodies, sentences and bare outlet words are not outlets (a reprint notice is
        # trusted with any capitalised name: it would take "Reposted with permission from Glenn Beck" as an outlet).
        ("Ed Morrissey", NORMAL, None),
        ("the author", REPRINT, None),
        ("Media Matters' Eric Boehlert", NORMAL, None),
        ("Freedom Outpost", NORMAL, None),
        ("CenturyLink", STRICT, None),
        ("The Intercept", STRICT, None),
        ("YouTube", NORMAL, None),
        ("WhiteHouse.gov", NORMAL, None),
        ("The White House", NORMAL, None),
        ("the Post", NORMAL, None),
        ("Bush 41 says he will vote for Clinton", STRICT, None),
        ("the great state of Iowa", NORMAL, None),
        ("Daily Mail, BBC", STRICT, None),
        ("The Hollywood Reporter", STRICT, "The Hollywood Reporter"),
        ("Sacramento Bee", STRICT, "Sacramento Bee"),
        ("Facebook Posts", STRICT, None),  # a plural outlet word is made singular only for newspaper titles
    ],
)
def test_open_outlet(span, how, expected):
    assert open_outlet(span, how) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Title", "Body.", "Reposted With Permission From Freedom Outpost", "The views expressed…", "Get your…"],
         ["Freedom Outpost"]),
        (["Title", "SAN FRANCISCO (Reuters Breakingviews) - U.S. sanctions on China would raise tensions.", "End."],
         ["Reuters"]),
        (["Title", "Body of the story.", "More of it.", "With Reuters"], ["Reuters"]),
        # (BET, a network no table knew, in CREDIT_ALIASES since sample 9: every outlet of a Sources list counts)
        (["Title", "Body.", "Sources: The Denver Post, CenturyLink, BET / Photo credit: Ron Chenoy/USA Today Sports"],
         ["BET", "The Denver Post"]),
        (["Title", "Body.", "Reposted with permission from the author"], []),
        (["Title", "(VIDEO) - Watch the moment.", "Body."], []),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_4(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Title", "LONDON (CNN Business) Shares of a retailer fell on Monday.", "More of the story."], ["CNN"]),
        (["Title", "NEW YORK (CNNMoney) -- Stocks rose on Wednesday.", "End."], ["CNN"]),
        (["Title", "GENEVA (Reuters Health) - A new study of sleep was published.", "End."], ["Reuters"]),
        (["Title", "Body.", "Please go to Campus Reform to read the rest of the story…", "Get our newsletter."],
         ["Campus Reform"]),
        (["Title", "Body.", "Head over to The Daily Planet News to read the full story."], ["The Daily Planet News"]),
        (["Title", "Body of a reprinted story.", "Original article on Space.com."], ["Space.com"]),
        # Not credits: a pointer naming no outlet or a person, a photo credit in brackets, a desk that is no agency's.
        (["Title", "Body.", "Please go to the website to read the rest of the story."], []),
        (["Title", "Body.", "Go to Glenn Beck to read the rest."], []),
        (["Title", "A street in Aleppo on July 21 2015. (AFP Photo) At least 18 civilians were killed.", "End."], []),
        (["Title", "LONDON (Daily Business) A retailer's shares fell.", "End."], []),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_5(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


def _key(name: str) -> str:
    """Names compared as the fixture says: case-insensitive, without a leading "The" ("The Denver Post")."""
    name = name.strip().casefold()
    return name.removeprefix("the ")


def _redraw(part: str, articles: dict) -> dict[str, list[str]]:
    """The draw as the part's 'about' documents it: the pool leaves out every earlier part, every 'excluded_seen' list
    up to this part and what earlier parts list as 'shown_after_draw'."""
    earlier = PARTS[: PARTS.index(part)]
    held = LABELS[part]
    excluded = set().union(*(LABELS[name]["documents"] for name in earlier))
    excluded |= set().union(*(LABELS[name].get("excluded_seen", ()) for name in (*earlier, part)))
    excluded |= set().union(*(LABELS[name].get("shown_after_draw", ()) for name in earlier))
    cue = re.compile(held["cue_pattern"])
    pool = sorted(set(articles) - excluded)
    strata = {"cue": [i for i in pool if cue.search(articles[i].text)]}
    strata["plain"] = [i for i in pool if not cue.search(articles[i].text)]
    rng = random.Random(held["seed"])
    return {name: sorted(rng.sample(strata[name], held["per_stratum"][name])) for name in ("cue", "plain")}


@pytest.fixture(scope="module")
def shared_articles(shared_data):
    from newsprism.plugins.source.datasets import read_all

    return {a.id: a for a in read_all(shared_data)}


def test_held_out_4_is_the_documented_draw_and_new(shared_articles):
    held = LABELS["held_out_4"]
    drawn = _redraw("held_out_4", shared_articles)
    assert drawn == held["strata"]
    assert set(held["documents"]) == set(drawn["cue"]) | set(drawn["plain"])
    assert len(held["documents"]) >= 200
    assert not set(held["documents"]) & set(held["shown_after_draw"])
    assert sum(len(names) for names in held["documents"].values()) >= 45  # enriched: ~50 gold credits


def test_credits_on_held_out_4(shared_articles, finder):
    # Scored once with the rules of commit 3e59fec, before any fix: P 0.977 (42/43), R 0.857 (42/49); the fixes since
    # (docs/source.md) were made on its errors, so it is tuning data now. Measured now: P 1.000 (46/46), R 0.939
    # (46/49; misses: "More from The Hill:" mid-paragraph, "Written By … for the Houston Chronicles", BET in a list);
    # since the fixes after sample 8 (both named) P 1.000 (48/48), R 0.980 (48/49; left: BET in a "Sources:" list);
    # since the fixes after sample 9 (BET in CREDIT_ALIASES) P 1.000 (49/49), R 1.000; since sample 11 (a Townhall
    # "(via Politico):" relabelled a credit, as sample 11's labels count that form) P 1.000 (50/50), R 1.000.
    tp = fp = fn = 0
    for doc_id, names in LABELS["held_out_4"]["documents"].items():
        found = {_key(c.name) for c in finder.find(shared_articles[doc_id].text.splitlines())}
        gold = {_key(name) for name in names}
        tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= 0.97


def test_held_out_5_is_the_documented_draw_and_new(shared_articles):
    held = LABELS["held_out_5"]
    drawn = _redraw("held_out_5", shared_articles)
    assert drawn == held["strata"]
    assert set(held["documents"]) == set(drawn["cue"]) | set(drawn["plain"])
    assert len(held["documents"]) >= 240
    assert not set(held["documents"]) & set(held["shown_after_draw"])
    assert sum(len(names) for names in held["documents"].values()) == 34


def _score(part: str, articles: dict, finder: CreditFinder) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for doc_id, names in LABELS[part]["documents"].items():
        found = {_key(c.name) for c in finder.find(articles[doc_id].text.splitlines())}
        gold = {_key(name) for name in names}
        tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    return tp, fp, fn


def _uniform_pool(part: str, articles: dict) -> list[str]:
    """The pool of a uniform sample: every article of no earlier part, nor of any part's 'excluded_seen' or
    'shown_after_draw' list, sorted."""
    parts = [name for name in LABELS if name.startswith(("tuning", "held_out_"))]
    earlier = parts[: parts.index(part)]
    excluded = set().union(*(LABELS[name]["documents"] for name in earlier))
    for name in earlier:
        excluded |= set(LABELS[name].get("excluded_seen", ())) | set(LABELS[name].get("shown_after_draw", ()))
    return sorted(set(articles) - excluded)


@pytest.mark.parametrize(
    ("part", "pool_size", "gold_credits"),
    [
        ("held_out_6", 3588, 23),
        ("held_out_7", 3288, 22),
        ("held_out_8", 2888, 31),
        ("held_out_9", 2488, 35),
        ("held_out_10", 1044, 22),
        ("held_out_11", 644, 25),
        ("held_out_12", 244, 26),
    ],
)
def test_uniform_samples_are_the_documented_draws(shared_articles, part, pool_size, gold_credits):
    held = LABELS[part]
    pool = _uniform_pool(part, shared_articles)
    assert len(pool) == held["pool"]["articles"] == pool_size
    assert sorted(random.Random(held["seed"]).sample(pool, held["size"])) == sorted(held["documents"])
    assert len(held["documents"]) == held["size"] >= 200
    assert not set(held["documents"]) & set(held.get("shown_after_draw", ()))
    assert sum(len(names) for names in held["documents"].values()) == gold_credits


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Title", "Body.", "Material from the Associated Press was used in compiling this report."],
         ["Associated Press"]),
        (["Title", "Body.", "Material from Reuters and AFP was used in preparing this report."], ["Reuters", "AFP"]),
        (["May 1 2017 Title", "May 1 2017 Title. A standfirst of the story. Afp - The toll rose to 12 on Monday."],
         ["AFP"]),
        (["Title", "Rebels entered the town. Reuters — Syrian state media said the army had retreated."], ["Reuters"]),
        # Not credits: an agency photo credit after a sentence, an agency dash after an abbreviation, a cited wire.
        (["Title", "Fighters entered the town on Monday. AFP - Getty Images shows the damage.", "End."], []),
        (["Title", "Talks on the future of the U.S. AP - Syria state TV said more.", "End."], []),
        (["Title", "Body.", "The rebels told AFP the town had fallen. Material was used in the trial."], []),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_6(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Title", "A summary of the paper's report.", "Read more from The Los Angeles Times."], ["Los Angeles Times"]),
        (["Title", "Intro.", "Via Fox News:", "The quoted excerpt.", "More.", "More.", "More.", "End."], ["Fox News"]),
        (["Title", "Intro.", "Via Infowars:", "The quoted excerpt.", "More.", "More.", "More.", "End."], ["Infowars"]),
        (["Title", "Body.", "Read the Rest of the Story and See the CHART at Jane Doe’s Blog The Lid", "Share."],
         ["The Lid"]),
        # Not credits: the site's own "Read more" chrome, a person or a platform introduced with "Via".
        (["Title", "Body.", "Read more from our diplomatic correspondent"], []),
        (["Title", "Body.", "Read more from Reality Check"], []),
        (["Title", "Body.", "Read more from ABC News' Alexander Mallin and Chris Francescani."], []),
        (["Title", "Intro.", "Via John Smith:", "A quote.", "End."], []),
        (["Title", "Intro.", "Via Twitter:", "A tweet.", "End."], []),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_7(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


def test_patterns_compile_on_first_use_and_give_what_compiling_them_all_gives():
    from newsprism.plugins.source.credits import _Deferred

    seeds = sorted(Path(__file__).resolve().parents[1].joinpath("seeds").glob("*.txt"))
    lazy, eager = CreditFinder(), CreditFinder()
    pending = [name for name, value in vars(lazy).items() if isinstance(value, _Deferred)]
    for name in pending:
        getattr(eager, name).pattern  # noqa: B018 - compiles it
    assert all(isinstance(getattr(eager, name), re.Pattern) for name in pending)
    for seed in seeds:
        lines = seed.read_text(encoding="utf-8").splitlines()
        assert lazy.find(lines) == eager.find(lines)
    compiled = [name for name in pending if isinstance(getattr(lazy, name), re.Pattern)]
    assert compiled and len(compiled) < len(pending)  # the seeds needed some patterns, not all


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Title", "The leaders met on Monday. It was their first meeting. More fromThe Daily Planet:", "Excerpt."],
         ["The Daily Planet"]),
        (["Title", "Spending kept growing, and so did the debt. From Zero Hedge:", "The quoted excerpt.", "End."],
         ["Zero Hedge"]),
        (["Title", "The pledge is broken from coast to coast. More from The Hill: Many Americans face higher costs."],
         ["The Hill"]),
        (["Title", "Intro.", "BY: Jane Doe for Springfield Free Beacon:", "The excerpt.", "More.", "End."],
         ["Springfield Free Beacon"]),
        (["Title", "Intro.", "As Written By Jane Doe for the Springfield Chronicles:", "Excerpt.", "End."],
         ["Springfield Chronicle"]),
        (["Title", "Body.", "This article was originally published on Springfield Insider. Visit it for more stories."
          " You can also subscribe to its newsletter and read its archive, which goes back many years."],
         ["Springfield Insider"]),
        (["Title", "Body.", "This column originally appeared at the Springfield Gazette."], ["Springfield Gazette"]),
        (["Title", "Body.", "— Jane Doe is the editor of the Springfield Beacon, where this column first appeared."],
         ["Springfield Beacon"]),
        (["Title", "Excerpt of the story.", "Full Story Here:", "A headline about the story | Fox News"], ["Fox News"]),
        (["Title", "Body.", "Content created by The Daily Caller News Foundation is available without charge to any"
          " eligible news publisher. For licensing opportunities, please contact [email protected]"],
         ["The Daily Caller"]),
        (["Title", "By Jane Doe, Center for Public Integrity", "Body."], ["Center for Public Integrity"]),
        # (since sample 11, whose labels count it, the bracketed "(via X):" above an excerpt too)
        (["Title", "The Democrats are livid (via Politico):", "The excerpt.", "End."], ["Politico"]),
        (["Title", "Intro. I'm shocked (via NYT) [emphasis mine]:", "The excerpt.", "End."], ["New York Times"]),
        (["Title", "Here is what he said (via John Smith):", "The quote.", "End."], []),
        (["Title", "The Democrats are livid (via Springfield Daily News):", "The excerpt.", "End."],
         ["Springfield Daily News"]),
        # (since sample 10 a local station keeps its name, as its labels name "ABC 13": KXYZ counts)
        (["Title", "Body.", "Sources: The Springfield Republic, KXYZ / Photo credit: The Springfield Republic"],
         ["The Springfield Republic", "KXYZ"]),
        # Not credits: a person or a pollster introducing an excerpt, a cited report, the site's own, a headline
        # without an outlet, the notice on the Daily Caller's own page (the licensing address in full).
        (["Title", "Some more background on the case. From Todd Jones:", "The quote.", "End."], []),
        (["Title", "Intro.", "More from Gallup:", "The release.", "End."], []),
        (["Title", "Intro.", "As Written By Newsmax:", "The excerpt.", "Full Story Here:", "A headline", "End."], []),
        (["Title", "Body.", "More Contributions From TheBlaze:", "Another headline", "End."], []),
        (["Title", "Body.", "Content created by The Daily Caller News Foundation is available without charge to any"
          " eligible news publisher. For licensing, please contact licensing@dailycallernewsfoundation.org."], []),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_8(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


_BODY = "A paragraph of the story that goes on for a while and says several things about the matter at hand today."


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Title", "By The Associated Press", _BODY], ["Associated Press"]),
        (["Title", "By Reuters Staff", _BODY], ["Reuters"]),
        (["Title", _BODY, "Read more at The Daily Planet."], ["The Daily Planet"]),
        (["Title", _BODY, "Continue reading at The Springfield Signal"], ["The Springfield Signal"]),
        (["Title", _BODY, "This article was republished with permission from The Springfield Signal."],
         ["The Springfield Signal"]),
        (["Title", _BODY, "This article is republished from The Conversation under a Creative Commons license. Read"
          " the original article."], ["The Conversation"]),
        (["Title", "Intro. Here is more. Via the Washington Examiner:", "Excerpt.", "More.", "More.", "More.", "End."],
         ["Washington Examiner"]),
        (["Title", _BODY, "-- The Associated Press"], ["Associated Press"]),
        (["Title", _BODY, "Information from Reuters was used in this report."], ["Reuters"]),
        (["Title", _BODY, "© 2016 The Associated Press. All rights reserved."], ["Associated Press"]),
        (["Title", "By Jane Doe, Associated Press Writer", _BODY], ["Associated Press"]),
        (["Title", _BODY, "Hat tip: The Daily Planet"], ["The Daily Planet"]),
        (["Title", _BODY, "Editor's note: This article first appeared on The Daily Planet."], ["The Daily Planet"]),
        (["Title", _BODY, "Cross-posted from The Daily Planet."], ["The Daily Planet"]),
        (["Title", _BODY, "(Via Springfield Tribune)"], ["Springfield Tribune"]),
        (["Title", _BODY, "[Via The Daily Planet]"], ["The Daily Planet"]),  # no bracket left in the name
        (["Title", _BODY, "Content syndicated from DailyPlanet.com with permission."], ["DailyPlanet.com"]),
        (["Title", _BODY, "Published with permission from The Daily Planet"], ["The Daily Planet"]),
        (["Title", _BODY, "Full story at The Daily Planet"], ["The Daily Planet"]),
        (["Title", _BODY, "Read more over at The Daily Planet."], ["The Daily Planet"]),
        (["Title", _BODY, "The following article was originally published by The Daily Planet."], ["The Daily Planet"]),
        (["Title", "WASHINGTON (Fox News) - The Senate voted on the bill today.", _BODY], ["Fox News"]),
        (["Title", "By Jane Doe, AP White House Correspondent", _BODY], ["Associated Press"]),
        (["Title", _BODY, "CNBC contributed to this report."], ["CNBC"]),
        (["Title", "Intro.", "From Weasel Zippers:", "The excerpt.", "End."], ["Weasel Zippers"]),
        (["Title", _BODY, "Source: The Federalist Papers Project"], ["The Federalist Papers Project"]),
        # Not credits: a photo credit, a column syndicate, the site's own pointer, a book excerpt, a person.
        (["Title", _BODY, "© Reuters"], []),
        (["Title", _BODY, "© 2019 Tribune Content Agency LLC"], []),
        (["Title", _BODY, "Read more at our website."], []),
        (["Title", _BODY, "Excerpted by permission of Brazos Press. All rights reserved."], []),
        (["Title", _BODY, "Reprinted by permission of the author."], []),
        (["Title", "Intro. Here is more. Via John Smith:", "Excerpt."], []),
        (["Title", "By Jane Doe, AP Photo", _BODY], []),
        (["Title", _BODY, "Sources: SNAP, USDA"], []),  # an agency's letters inside a word of a list
        (["Title", _BODY, "Hat-tip to Jane Doe"], []),
        (["Title", "Published October 3 2016 The regime's jets attacked the town.", _BODY], []),
        (["Title", _BODY, "Used with permission."], []),
        (["Title", _BODY, "Reprinted with permission of Creators Syndicate"], []),  # a column syndicate
        (["Title", _BODY, "Editor's Note: This story has been updated."], []),
        (["Title", _BODY, "More from Fox News: Trump wins the debate, polls say"], []),  # site chrome, not run-on
        (["Title", "Intro.", "As Weasel Zippers reports:", "The excerpt.", "End."], []),
    ],
)  # fmt: skip
def test_variants_of_counted_credit_forms(finder, lines, expected):
    # Written after sample 8 from the labels' decisions, not from any article: spellings of forms the labels count.
    assert [c.name for c in finder.find(lines)] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Written after sample 9 was scored, from the families of its misses, not from any article.
        (["Title", _BODY, "This story was reported by The Associated Press."], ["Associated Press"]),
        (["Title", _BODY, "This article was written by Reuters and AFP."], ["Reuters", "AFP"]),
        (["Title", _BODY, "This story was produced in partnership with ProPublica."], ["ProPublica"]),
        (["Title", _BODY, "This story was compiled by Reuters and wire services."], ["Reuters"]),
        (["Title", _BODY, "This story includes reporting from The Associated Press."], ["Associated Press"]),
        (["Title", _BODY, "Editor's note: This story was reported by The Associated Press."], ["Associated Press"]),
        (["Title", "CNN)The senator said on Monday that the bill would pass.", _BODY], ["CNN"]),
        (["Title", "Reuters) - The senator said on Monday that the bill would pass.", _BODY], ["Reuters"]),
        (["Title", "NN)The senator said on Monday that the bill would pass.", _BODY], ["CNN"]),  # "(C" lost
        (["Title", "euters) - The senator said on Monday that the bill would pass.", _BODY], ["Reuters"]),
        (["Title", "ASHINGTON (AP) — The senator said on Monday that the bill would pass.", _BODY],
         ["Associated Press"]),
        (["Title", _BODY, "he Associated Press contributed to this report."], ["Associated Press"]),
        (["Title", _BODY, "ource: AFP"], ["AFP"]),
        (["Title", _BODY, "(Source: Truth Revolt)", "h/t Jane Doe"], ["Truth Revolt"]),
        (["Title", _BODY, "(Source: The Springfield Lid)"], ["The Springfield Lid"]),
        (["Title", _BODY + " The town was shelled again. (Al-Masdar and Sputnik) MoreImage"], ["Al-Masdar", "Sputnik"]),
        (["Title", _BODY + " The town was shelled again. (Reuters, AFP)"], ["Reuters", "AFP"]),
        (["Title", _BODY + " The town was shelled again. (Al Jazeera and agencies)"], ["Al Jazeera"]),
        (["Title", _BODY, "Read it all at The Daily Planet."], ["The Daily Planet"]),
        (["Title", _BODY, "Read the whole thing at The Daily Planet"], ["The Daily Planet"]),
        (["Title", _BODY, "Continue reading this article at The Daily Planet"], ["The Daily Planet"]),
        (["Title", _BODY, "Head over to The Daily Planet for the full story."], ["The Daily Planet"]),
        (["Title", _BODY, "Click here to read the full story at The Daily Planet"], ["The Daily Planet"]),
        (["Title", _BODY, "See the full story at The Daily Planet"], ["The Daily Planet"]),
        (["Title", _BODY, "This article originally appeared in The Daily Planet and is republished here with"
          " permission."], ["The Daily Planet"]),
        (["Title", _BODY, "A version of this article first appeared in The Daily Planet."], ["The Daily Planet"]),
        # outlets the aggregators quote whose names the open-name test cannot read (CREDIT_ALIASES)
        (["Title", "Intro.", "From Crooks and Liars:", "The excerpt.", "End."], ["Crooks and Liars"]),
        (["Title", _BODY, "h/t Raw Story"], ["Raw Story"]),
        # Not credits: a person or a title word after "reported by", one bracketed name closing a paragraph (a cited
        # report: "(NYT)", a caption's "(Reuters)"), a bracketed list of persons, a platform or a person as the source,
        # the site's own "Continue reading" chrome, a pointer naming no outlet.
        (["Title", _BODY, "This story was reported by Jane Doe in Washington and John Roe of KXYZ."], []),
        (["Title", _BODY, "This article was written by Staff Reporter."], []),
        (["Title", _BODY, "Editor's note: This story was updated to include reporting from Tuesday's hearing."], []),
        (["Title", _BODY, "The layoffs were first reported by Politico."], []),  # a cited report
        (["Title", _BODY, "[Note: This article was written by Jane Doe]"], []),
        (["Title", _BODY + " The unemployment rate fell. (NYT)"], []),
        (["Title", _BODY + " He spoke on Monday. (Reuters)"], []),
        (["Title", _BODY + " The town was shelled. (Jane Doe and John Roe)"], []),
        (["Title", _BODY + " The town was shelled. (Agencies)"], []),
        (["Title", _BODY + " Protesters marched in the capital on Friday. (Reuters/AFP)"], []),  # a photo credit
        (["Title", _BODY, "The report was compiled by Reuters."], []),  # a report the story discusses
        (["Title", _BODY, "(Source: YouTube)"], []),
        (["Title", _BODY, "(Source: Jane Doe)"], []),
        (["Title", _BODY, "(Source: LiveLeak)"], []),  # a platform, though its camel-case name reads as an outlet
        (["Title", _BODY, "(Source: The Pentagon)"], []),
        (["Title", _BODY, "Advertisement Continue reading the main story"], []),
        (["Title", _BODY, "Read the whole thing."], []),
        (["Title", _BODY, "Head over to the comments for the full discussion."], []),
        (["Title", _BODY, "Head over to Glenn Beck for the full story."], []),
        (["Title", _BODY, "Click here to read the full story."], []),
        (["Title", _BODY, "A version of this article appeared in print on June 3, 2016, on Page A1 of the New York"
          " edition."], []),
        (["Title", _BODY, "An earlier version of this story misstated the age group."], []),
        (["Title", "AP Poll: Most say the country is on the wrong track", _BODY], []),
        # too little of a name left to tell the agency ("ws" ends three of them), a list item, a lower-case sentence
        (["Title", "ws) The senator said on Monday that the bill would pass.", _BODY], []),
        (["Title", "ii) The second point of the plan.", _BODY], []),
        (["Title", "ers) the senator said on Monday that the bill would pass.", _BODY], []),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_9(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


@pytest.mark.parametrize(
    ("part", "most_false", "least_recall"),
    [
        # Scored once with the rules of commit 74c77c3, before any fix: P 1.000 (31/31), R 0.912 (31/34); the
        # three misses ("(CNN Business)", "Please go to Campus Reform to read the rest …", "Original article
        # on Space.com.") were then fixed, so it is tuning data now. Measured now: P 1.000 (34/34), R 1.000
        # (34/34).
        ("held_out_5", 0, 0.97),
        # Uniform sample, scored once with the rules of commit 9700a9d, before any fix: P 1.000 (20/20), R
        # 0.870 (20/23); two of the three misses ("Material from the Associated Press was used in compiling
        # this report.", FA-KES "Afp - The death toll …") were then fixed, so it is tuning data now. Measured
        # now: P 1.000 (22/22), R 0.957 (22/23; left: an excerpt labelled "politistick – …").
        ("held_out_6", 0, 0.95),
        # Uniform sample, scored once with the rules of commit 8562d35, before any fix: P 1.000 (17/17), R
        # 0.773 (17/22); three of the five misses ("Read more from The Los Angeles Times.", "Via Fox News:"
        # above an excerpt, "Read the Rest … at Jeff Dunetz's Blog The Lid") were then fixed, so it is tuning
        # data now; the other two (ESPN in a "Sources:" list, "From Louder with Crowder:") after sample 8, by
        # naming both in CREDIT_ALIASES. Measured now: P 1.000 (22/22), R 1.000 (22/22).
        ("held_out_7", 0, 0.95),
        # Uniform sample, scored once with the rules as shipped then (f8252a9; d77020c only compiles patterns
        # lazily): P 1.000 (26/26), R 0.839 (26/31) -- the held-out figure of those rules. Its five misses
        # ("More fromThe Media Line:", "… originally published on Pure Flix Insider. Visit …", "… From Zero
        # Hedge:" ending a paragraph, a Daily Caller News Foundation notice ending "[email protected]", "BY: X
        # for Washington Free Beacon:") were then fixed together with the families they belong to, so it is
        # tuning data now. Measured now: P 1.000 (31/31), R 1.000.
        ("held_out_8", 0, 0.97),
        # Uniform sample, labelled while the rules were revised (by another hand, blind to both), scored once
        # with the rules of 45bc54e: P 1.000 (30/30), R 0.857 (30/35) -- the held-out figure of those rules.
        # Its five misses ("This story was reported by The Associated Press.", a CNN dateline that lost its
        # bracket ("CNN)Interviewed"), "(Source: Truth Revolt)" and "(Al-Masdar and Sputnik)" closing a text)
        # were then fixed together with the families they belong to, so it is tuning data now. Measured now: P
        # 1.000 (35/35), R 1.000.
        ("held_out_9", 0, 0.97),
        # Uniform sample, labelled while the rules were revised (by another hand, blind to both), scored once
        # with the rules of 8885dc2: P 0.950 (19/20), R 0.864 (19/22) -- the held-out figure of those rules,
        # neither target met. The false credit is a found line with the wrong name ("ource: ABC 13", a Houston
        # station, read as ABC News); misses: that name, "Read more: WT" and "... Via The Hill" ending an
        # excerpt line. They were then fixed together with the families they belong to (local stations keep
        # their names, "Read more: X", "Via X" ending an excerpt paragraph), so it is tuning data now. Measured
        # now: P 1.000 (22/22), R 1.000.
        ("held_out_10", 0, 0.97),
        # Uniform sample, labelled by two hands while the rules were revised after sample 10 (blind to both), scored
        # once with the rules of 35e7d05: P 1.000 (21/21), R 0.840 (21/25) -- the held-out figure of those rules
        # (8885dc2 in the same run: P 1.000, R 0.800). Misses: two "(via X):" lines before excerpts, an "ABC Radio"
        # copyright line on another outlet's page and a mid-text "REUTERS-" (the labellers' least certain calls).
        # The "(via X):" form was then read as its labels read it, so it is tuning data now. Measured now: P 1.000
        # (23/23), R 0.920 (23/25).
        ("held_out_11", 0, 0.92),
        # The whole remaining pool (244 articles), labelled by two hands before any rule ran on it, scored once with
        # the rules of fe4f75c: P 1.000 (22/22), R 0.846 (22/26) -- the held-out figure of those rules. Misses:
        # "(Via JewsNews)" opening a story, "(NYT)" closing an excerpt, a Marshall Project partnership line,
        # "(courtesy of Louder With Crowder):". The first and the last were then fixed, so it is tuning data now.
        # Measured now: P 1.000 (24/24), R 0.923 (24/26).
        ("held_out_12", 0, 0.92),
    ],
)
def test_credits_on_held_out_parts(shared_articles, finder, part, most_false, least_recall):
    tp, fp, fn = _score(part, shared_articles, finder)
    assert fp <= most_false
    assert tp / (tp + fn) >= least_recall


def test_articles_the_rules_were_tuned_on_after_sample_8_are_outside_sample_9():
    held = LABELS["held_out_9"]
    assert len(held["excluded_seen"]) == 1044
    assert not set(held["excluded_seen"]) & set(held["documents"])


@pytest.mark.parametrize(
    ("span", "how", "expected"),
    [
        # Written after sample 10 was scored, from the families of its misses, not from any article.
        ("ABC 13", STRICT, "ABC 13"),
        ("FOX 5 DC", STRICT, "FOX 5 DC"),
        ("KSFY", STRICT, "KSFY"),
        ("CBS Atlanta", NORMAL, "CBS Atlanta"),
        ("KTRK-TV", NAMED, "KTRK-TV"),
        ("KIRO 7 Seattle", STRICT, "KIRO 7 Seattle"),
        ("WT", NAMED, "Washington Times"),
        ("WaPo", STRICT, "Washington Post"),
        ("Future of Freedom Foundation", REPRINT, "Future of Freedom Foundation"),
        # Not outlets: capitals that are words or bodies, a headline after "Read more:" (NAMED), a year.
        ("WHO", STRICT, None),
        ("WHAT", STRICT, None),
        ("Fox News Poll Shows Trump Ahead", NAMED, None),
        ("Springfield Daily News", NAMED, None),
        ("ABC 2016 exit poll", STRICT, None),
        ("Future of Freedom Foundation", NORMAL, None),
    ],
)
def test_open_outlet_after_sample_10(span, how, expected):
    assert open_outlet(span, how) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Written after sample 10 was scored, from the families of its misses, not from any article.
        (["Title", _BODY, "ource: ABC 13"], ["ABC 13"]),  # a station, not ABC News
        (["Title", _BODY, "Source: FOX 5 DC"], ["FOX 5 DC"]),
        (["Title", _BODY, "h/t KSFY"], ["KSFY"]),
        (["Title", _BODY, "h/t: CBS Atlanta"], ["CBS Atlanta"]),  # a station's brand, not CBS News
        (["Title", _BODY, "Source: CBS Evening News"], ["CBS News"]),  # the network's own show
        (["Title", _BODY, "Sources: The Springfield Herald, ABC 6 / Photo credit: The Springfield Herald"],
         ["The Springfield Herald", "ABC 6"]),
        (["Title", _BODY, "Source: ABC News"], ["ABC News"]),
        # "Read more: X" closing an excerpt: a name the tables know, a short form, a station
        (["Title", _BODY, "Read more: WT"], ["Washington Times"]),
        (["Title", _BODY, "Read More: The Hill", "Share this."], ["The Hill"]),
        (["Title", _BODY, "Read the full story: WaPo"], ["Washington Post"]),
        (["Title", _BODY, "READ MORE: KTRK-TV"], ["KTRK-TV"]),
        # "Via X" / "h/t X" ending an excerpt paragraph after its last sentence, also after a garbled closing quote
        (["Title", _BODY + " Via The Hill", _BODY], ["The Hill"]),
        (["Title", _BODY, "It may \u00e2\x80\x9ctake a while.\u00e2\x80\x9d Via The Hill", _BODY], ["The Hill"]),
        (["Title", _BODY + "” via Springfield Daily News", _BODY], ["Springfield Daily News"]),
        (["Title", _BODY + " (via The Daily Planet)", _BODY], ["The Daily Planet"]),
        (["Title", _BODY + " h/t The Springfield Scoop", _BODY], ["The Springfield Scoop"]),
        # a line that lost its first letter with the drop cap
        (["Title", _BODY, "ia The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, "ead more: WT"], ["Washington Times"]),
        (["Title", _BODY, "eposted With Permission From Freedom Outpost"], ["Freedom Outpost"]),
        (["Title", "rom The Springfield Herald:", "The excerpt.", _BODY], ["The Springfield Herald"]),
        # UTF-8 read as Latin-1 or Windows-1252 in a closing line: "Â\xa0" for a no-break space, "â€”" for a dash
        (["Title", _BODY, "Source:\u00c2\xa0The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, _BODY + " \u00e2\u20ac\u201d Al Jazeera"], ["Al Jazeera"]),
        (["Title", _BODY, "Le ch\u00e2teau est \u00e0 vendre."], []),  # a real "â" is left alone
        # a reprint notice naming an outlet of several words
        (["Title", _BODY, "This column originally appeared at the Future of Freedom Foundation."],
         ["Future of Freedom Foundation"]),
        # "Source:" alone, the outlet (a link) on the next line
        (["Title", _BODY, "Source:", "Springfield Daily News"], ["Springfield Daily News"]),
        # more spellings of the closing forms: a dash for the colon, "Story via", "H/T to", "Click to read more at",
        # "Source link:", the reprint notice's other word orders, a trailing "»"
        (["Title", _BODY, "Source – Daily Mail"], ["Daily Mail"]),
        (["Title", _BODY, "Source - The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, "Story via The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, "H/T to The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, "Click to read more at The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, "Source link: The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, "This article appeared originally at The Springfield Scoop."], ["The Springfield Scoop"]),
        (["Title", _BODY, "Article first appeared on The Springfield Scoop"], ["The Springfield Scoop"]),
        (["Title", _BODY, "Continue reading at The Springfield Scoop »"], ["The Springfield Scoop"]),
        # a section or edition of a known outlet is that outlet, once: not "Fox News" and "Fox News Insider"
        (["Title", _BODY, "Via Fox News Insider"], ["Fox News"]),
        (["Title", _BODY, "Source: Daily Mail UK"], ["Daily Mail"]),
        (["Title", _BODY, "Read more: Daily Mail Online"], ["Daily Mail"]),
        (["Title", _BODY, "Via Breitbart News Network"], ["Breitbart News"]),
        # Not credits: a body or a word in capitals as the source, the site's chrome before a related headline, a
        # platform, a person after "via", a pointer to embedded material, a language.
        (["Title", _BODY, "Source: WHO"], []),
        (["Title", _BODY, "Sources: WHO, CDC"], []),
        (["Title", _BODY, "Read more: Fox News Poll Shows Trump Ahead in Ohio"], []),
        (["Title", _BODY, "Read more: Springfield Daily News"], []),
        (["Title", _BODY, "READ MORE:", "A related headline"], []),
        (["Title", _BODY + " Via YouTube", _BODY], []),
        (["Title", _BODY + " h/t Jane Doe", _BODY], []),
        (["Title", _BODY, "Here's the report via KSFY.", _BODY], []),
        (["Title", _BODY, "Clinton said it twice, via Springfield Daily News", _BODY], []),
        (["Title", _BODY, "This article originally appeared in Spanish."], []),
        (["Title", _BODY, "his story has been corrected to show the right date."], []),
        (["Title", _BODY, "Source:", "A chart of the monthly figures for the last ten years"], []),
        (["Title", _BODY, "H/T to Jane Doe"], []),
        (["Title", "Intro.", "From Rasmussen Reports:", "The poll release.", _BODY], []),  # a pollster, as Gallup
        (["Title", _BODY, "Source - Jane Doe"], []),
        # an outlet's office as the source (FA-KES: the possessive's apostrophe lost)
        (["Title", _BODY + " The talks failed. (Source: Syrian Coalitions Media Office) Twitter"],
         ["Syrian National Coalition"]),
        (["Title", _BODY + " The talks failed. (Source: Syrian Coalition's Media Department)"],
         ["Syrian National Coalition"]),
        (["Title", _BODY + " The talks failed. (Source: Syrian Coalitions Ministry of Health)"], []),
        # a bracketed source note closing the text: every item of its list, as in a Sources list
        (["Title", _BODY + " The talks failed. (Source: Syrian Coalition + Springfield News) Twitter"],
         ["Syrian National Coalition", "Springfield News"]),
        (["Title", _BODY + " The talks failed. (Source: Springfield Daily News)"], ["Springfield Daily News"]),
        (["Title", _BODY + " The talks failed. (Source: Syrian Coalition + Agencies)"], ["Syrian National Coalition"]),
        (["Title", _BODY + " The talks failed. (Source: YouTube, Jane Doe)"], []),
        (["Title", _BODY + " The talks failed. (Source: Exxon Mobil)"], []),
        # a known name running on into a longer one (not The Independent)
        (["Title", _BODY, "Source: Independent Sentinel Weekly"], ["Independent Sentinel Weekly"]),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_10(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Written after sample 12 was scored, from two of its misses.
        (["Mayor warns newcomers", "(Via JewsNews) Mayor warns newcomers: they will not be welcome.", "Body."],
         ["JewsNews"]),
        (["Title", "Body.", "The journalists did some digging, and here's what they found (courtesy of The Intercept):",
          "The quoted passage.", "End."], ["The Intercept"]),
        # Not credits: a person in the bracket, "courtesy of" without the excerpt's colon.
        (["Title", "(Via Ezra Klein) the charts below show it.", "End."], []),
        (["Title", "Body.", "Photo courtesy of The Intercept", "End."], []),
    ],
)
def test_bracketed_via_opening_and_courtesy_of_above_an_excerpt(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


_LONG = "A long closing paragraph of the story, which goes on for a while as closing paragraphs do, ends here."


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Written from FNC-1 samples 18 and 19's misses after they were scored (docs/source.md).
        (["Title", "GAZA CITY (Ma'an) -- Hundreds of Palestinians were evacuated.", "Body."], ["Ma'an"]),
        (["Title", "Texas City, Texas (CBS HOUSTON) – A plumber has been receiving calls.", "Body."], ["CBS Houston"]),
        (["Title", "Body.", _LONG, "AP/AFP"], ["Associated Press", "AFP"]),
        (["Title", "Body.", _LONG, "—Copyright the Associated Press"], ["Associated Press"]),
        (["Title", "Body.", _LONG[:-1] + ". THE NEW YORK TIMES"], ["New York Times"]),
        (["Title", "Body.", _LONG + " Bloomberg"], ["Bloomberg"]),
        (["Title", "Body.", "For more, head to THR."], ["THR"]),
        (["Title", "Body.", "Head to io9 to read the rest of Lauren Davis's research. " + _LONG, "End."], ["io9"]),
        (["via Daily Buzz Live", "Title", "Body.", "More.", "More.", "More.", "End."], ["Daily Buzz Live"]),
        (["Source: Bleeding Cool", "Title", "Body.", "More.", "More.", "More.", "End."], ["Bleeding Cool"]),
        # Not credits: a broadcaster's "ABC/wires" (no wire agency), a bare "© Reuters" (a photo's), a non-agency name
        # signing off, a network's own desk in capitals, a "More from X:" heading above related headlines, a person.
        (["Title", "Body.", _LONG, "ABC/wires"], []),
        (["Title", "Body.", _LONG, "© Reuters"], []),
        (["Title", "Body.", _LONG + " Politico"], []),
        (["Title", "NEW YORK (CBS NEWS) – The vote was delayed.", "Body."], ["CBS News"]),
        (["Title", "Body.", "More.", "More from The Washington Post:", "iPhone leads jump in shipments",
          "Facebook’s monster mobile numbers"], []),
        (["Title", "Body.", "More.", "More from The Washington Post:", "The quoted excerpt runs on.", "End."],
         ["Washington Post"]),
        (["Title", "Body.", "Via John Smith", "End."], []),
    ],
)  # fmt: skip
def test_credit_forms_added_after_scoring_held_out_18_and_19(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected
