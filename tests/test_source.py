"""The source stage: publisher table, self-naming, credits rules, the shipped model on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism import Document
from newsprism.modelstore import resolve_model
from newsprism.plugins.source import SourceProcessor
from newsprism.plugins.source.credits import CREDIT_ALIASES, REPRINT, CreditFinder, open_outlet
from newsprism.plugins.source.features import (
    SourceFeatures,
    _concat,
    _encode,
    _ngram_hashes_by_size,
    _word_ngram_hashes_by_size,
    title_shape,
)
from newsprism.plugins.source.publishers import SelfNamer, load_table
from newsprism.plugins.source.training import group_thresholds, pack_trees

FIXTURES = Path(__file__).parent / "fixtures"

ALLSIDES = [
    "CNN (Web News)", "Washington Times", "Politico", "Fox Online News", "Fox News", "NPR Online News", "USA TODAY",
    "Vox", "New York Times - News", "The Hill", "Christian Science Monitor", "Townhall", "National Review",
    "Reuters", "BBC News", "Salon", "Newsmax", "The Guardian", "Reason", "CBN", "Breitbart News",
    "Associated Press", "ABC News", "The Daily Caller", "Wall Street Journal - News", "American Spectator",
    "Daily Beast", "TheBlaze.com", "New York Post", "Bloomberg", "The Atlantic", "CBS News", "Slate",
    "Vanity Fair", "Al Jazeera",
]  # fmt: skip
FAKES = [
    "ahram", "manar", "alalam", "alaraby", "dailysabah", "sana", "sputnik", "etilaf", "trt", "jordantimes",
    "reuters", "arabiya", "nna", "asharqalawsat", "tass",
]  # fmt: skip
BUZZFEED = [
    "politico", "cnn", "right-wing-news", "eagle-rising", "addicting-info", "freedom-daily", "abc",
    "occupy-democrats", "the-other-98",
]  # fmt: skip


@pytest.fixture(scope="module")
def table():
    return load_table()


@pytest.fixture(scope="module")
def finder(table):
    return CreditFinder(table)


@pytest.fixture(scope="module")
def processor():
    proc = SourceProcessor()
    proc.ensure_setup()
    return proc


def seed_doc(seeds_dir: Path, name: str) -> Document:
    path = seeds_dir / name
    return Document(id=path.stem, raw=path.read_text(encoding="utf-8"), path=str(path))


# --- the publisher table ---------------------------------------------------------------------------------------


def test_every_training_label_maps_to_one_canonical_publisher(table):
    mapped = {("allsides", x): table.from_label("allsides", x) for x in ALLSIDES}
    mapped |= {("fakes", x): table.from_label("fakes", x) for x in FAKES}
    mapped |= {("buzzfeed", x): table.from_label("buzzfeed", x) for x in BUZZFEED}
    assert all(name in table.names for name in mapped.values())
    assert mapped[("allsides", "Fox News")] == mapped[("allsides", "Fox Online News")] == "Fox News"
    assert mapped[("fakes", "asharqalawsat")] == "Asharq Al-Awsat"
    assert mapped[("allsides", "Reuters")] == mapped[("fakes", "reuters")] == "Reuters"
    assert mapped[("allsides", "CNN (Web News)")] == mapped[("buzzfeed", "cnn")] == "CNN"
    assert len(set(mapped.values())) == 35 - 1 + 15 - 1 + 9 - 3  # Fox merged; Reuters, Politico, CNN, ABC shared


def test_unknown_label_is_an_error_not_a_silent_new_class(table):
    with pytest.raises(KeyError, match="publishers.json"):
        table.from_label("allsides", "Some Blog")


def test_names_are_unique_and_aliases_resolve(table):
    assert len(table.names) == len(set(table.names))
    assert table.canonical("Fox Online News") == "Fox News"
    assert table.canonical("asharqalawsat") == "Asharq Al-Awsat"
    assert table.canonical("Financial Times") == "FT"
    assert table.canonical("Channel NewsAsia") == "CNA"
    assert table.canonical("no such outlet") is None


@pytest.mark.parametrize(
    ("url", "publisher"),
    [
        ("https://www.independent.co.uk/news/world/x.html", "The Independent"),
        ("http://www1.cbn.com/cbnnews/2017/june/x", "CBN"),
        ("https://english.aawsat.com/home/article/1", "Asharq Al-Awsat"),
        ("https://edition.cnn.com/2016/09/17/politics/x", "CNN"),
        ("https://www.channelnewsasia.com/news/x", "CNA"),
        ("https://example.org/story", None),
        ("https://notcnn.com/x", None),
    ],
)
def test_domain_lookup(table, url, publisher):
    assert table.from_domain(url) == publisher


# --- self-naming -----------------------------------------------------------------------------------------------


def test_self_naming_on_the_seeds(table, seeds_dir, seed_gold):
    namer = SelfNamer(table)
    found = {name: namer.find(seed_doc(seeds_dir, name).lines) for name in seed_gold}
    assert found["000_6e8e1cac3b659b8b.txt"][0] == "The Independent"
    assert found["004_f5093dfa6d855a6c.txt"][0] == "Asharq Al-Awsat"
    # The others do not name their outlet ("— Reuters" closing a caption is a photo credit, not a site name).
    assert all(found[name] is None for name in ("001_28a1ef02925c1bcd.txt", "002_b181f24db4ea820f.txt",
                                                "003_fbbc93feda2e0f75.txt"))


def test_a_mention_is_not_self_naming(table):
    namer = SelfNamer(table)
    lines = ["Who won the debate?", "The conservative site Newsmax reported on Monday that a poll showed a lead.",
             "Fox News said the figures were wrong."]
    assert namer.find(lines) is None
    assert namer.find(["Israeli attack on Syria kills three | Jordan Times", "Body."])[0] == "Jordan Times"


@pytest.mark.parametrize(
    ("lines", "named"),
    [
        (["Syrian warplanes pound Idlib leave 12 dead - Daily Sabah", "Body."], "Daily Sabah"),
        (["Car bomb kills six in Syrias Homs NGO - Region - World - Ahram Online", "Body."], "Al-Ahram"),
        (["National News Agency - Damascus explosion due to rocket bomb", "Body."], "NNA"),
        # Not self-naming: a dash name on a later line, a name shorter than 8 characters, a name mid-headline.
        (["Idlib under fire", "Warplanes struck the town, the ministry said - Daily Sabah"], None),
        (["Why the senator lost - Time", "Body."], None),
        (["Critics of the Daily Sabah line - and others - spoke out", "Body."], None),
    ],
)
def test_dash_self_naming_on_the_headline_line(table, lines, named):
    found = SelfNamer(table).find(lines)
    assert (found[0] if found else None) == named


# --- credits ---------------------------------------------------------------------------------------------------


def test_seed_credits_are_exactly_the_gold_ones(finder, seeds_dir, seed_gold):
    for name, gold in seed_gold.items():
        credits = finder.find(seed_doc(seeds_dir, name).lines)
        assert [c.name for c in credits] == gold["credits"], name
        for credit in credits:
            assert credit.evidence in seed_doc(seeds_dir, name).raw


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Title", "BEIRUT (Reuters) - Rebels said on Monday.", "More text here."], ["Reuters"]),
        (["Title", "JUNEAU, Alaska (AP) — Republican Dan Sullivan won.", "More."], ["Associated Press"]),
        (["Title", "Body text.", "The Associated Press contributed to this report."], ["Associated Press"]),
        (["Title", "Body text.", "Fox News' Ronn Blitzer and The Associated Press contributed to this report."],
         ["Associated Press"]),
        (["Title", "Body text.", "Additional reporting by Reuters"], ["Reuters"]),
        (["Title", "Body text.", "Source: AFP/nc"], ["AFP"]),
        (["Title", "Body text.", "Via FT"], ["FT"]),
        (["Title", "A long closing paragraph of the story that goes on for a while, as they do.” — Al Jazeera"],
         ["Al Jazeera"]),
        # Not story credits: photo credits, captions, staff, quotes, charts.
        (["Title", "Syrian troops hold a position in Aleppo/ George Ourfalian/AFP", "Body."], []),
        (["Title", "Image copyright AP Image caption Mr Trump spoke", "Body.", "© Reuters"], []),
        (["Title", "Mike Groll/AP Photo", "Body text."], []),
        (["Title", "Body text.", "Fox News’ Alex Pappas contributed to this report."], []),
        (["Title", "Body text.", "CNN's Jim Acosta contributed to this report."], []),
        (["Title", "Officials told AFP news agency on Monday that the talks failed.", "Body."], []),
        (["Title", "Imports from China rose 630% Source: The World Bank", "Body.", "Source: Exxon Mobil"], []),
        (["Title", "Reporting by John Irish; Editing by Andrew Heavens"], []),
        # Forms added after the hand-labelled samples (docs/source.md): lists, pooled copy, bylines, excerpts.
        (["Title", "A long closing paragraph, as they go on. (With AFP and Reuters) Last Update: 22 August 2013"],
         ["AFP", "Reuters"]),
        (["Title", "Body text.", "Material from Bloomberg News and AFP was used in this report."],
         ["Bloomberg", "AFP"]),
        (["Title", "Jim Gomez", "The Associated Press", "MANILA, Philippines — Christmas attacks left 14 dead."],
         ["Associated Press"]),
        (["Title", "Body text.", "Click for more from The Wall Street Journal."], ["Wall Street Journal"]),
        (["Title", "By Michael McAuliff and Lisa Gillespie, Kaiser Health News", "Body."], ["Kaiser Health News"]),
        (["Title", "Body.", "Sources: Miami Herald, USA Today / Photo credit: Miami Herald"],
         ["USA Today", "Miami Herald"]),
        # Outlets no table knows, in the strongest forms only; persons, platforms and sentences are no outlets.
        (["Title", "Body.", "More.", "h/t The Right Scoop"], ["The Right Scoop"]),
        (["Title", "Body.", "Reposted With Permission From Constitution.com", "The views expressed…"],
         ["Constitution.com"]),
        (["Title", "Body.", "Read the rest of the story at Jeff Dunetz’s blog The Lid"], ["The Lid"]),
        (["Title", "Intro.", "From Infowars:", "Quoted excerpt."], ["Infowars"]),
        (["Title", "Body.", "Source: Yahoo Finance", "More."], ["Yahoo Finance"]),
        (["Title", "(RealMoney) – The administration unveiled a pillar of its overhaul.", "More."], ["RealMoney"]),
        (["Title", "Body.", "Click for more from the South China Morning Post."], ["South China Morning Post"]),
        (["Title", "Body.", "More.", "h/t Ed Morrissey"], []),
        (["Title", "Body.", "(H/T Glenn Beck)", "Source: YouTube", "Source: Johns Hopkins University"], []),
        (["Title", "Intro.", "More from the Post:", "Excerpt.", "From the great state of Iowa:", "Text."], []),
        (["Title", "(UPDATE) - The vote was delayed.", "Read the rest at WhiteHouse.gov"], []),
        (["Title", "He must go to trial on July 23 (H/T Breitbart).", "Body.", "More.", "More.", "End."],
         ["Breitbart News"]),
        (["Title", "As Written By LAWRENCE K. ALTMAN, M.D. for the New York Times:", "Excerpt."], ["New York Times"]),
        (["Title", "The group said so last week. More from Fox News:", "Quoted excerpt."], ["Fox News"]),
        (["Title", "Body.", "(TM and © Copyright 2014 CBS Radio Inc. CBS RADIO and EYE Logo TM. All Rights Reserved. "
                   "The Associated Press contributed to this report.)"], ["Associated Press"]),
        # A caption's "(AFP)" inside a one-line FA-KES text, and an embedded tweet's dateline, are no datelines.
        (["Title", "6 Oct 2017 Fighters take a position on October 5 2017. (AFP) (AFP) Russian air strikes killed."],
         []),
        (["Title", "Body.", "CHARLESTON, S.C. (AP) — Judge rules. pic.twitter.com/Q1l — Meg Kinnard (@MegKinnardAP) "
                             "December 7, 2017"], []),
    ],
)
def test_credit_rules(finder, lines, expected):
    assert [c.name for c in finder.find(lines)] == expected


def test_a_caption_credit_repeated_at_the_top_is_not_a_closing_credit(finder, seeds_dir):
    lines = seed_doc(seeds_dir, "002_b181f24db4ea820f.txt").lines
    assert any(line.rstrip().endswith("— Reuters") for line in lines[:3])
    assert "Reuters" not in [c.name for c in finder.find(lines)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=30))
def test_credits_are_canonical_unique_and_evidenced(finder, table, lines):
    credits = finder.find(lines)
    names = [c.name for c in credits]
    assert len(names) == len(set(names))
    # Canonical when a table knows the outlet; otherwise a name that reads as an outlet (open_outlet).
    known = set(table.names) | set(CREDIT_ALIASES.values())
    assert all(name in known or (not table.canonical(name) and open_outlet(name, REPRINT) == name) for name in names)
    assert all(any(c.evidence in line for line in lines) for c in credits)


# --- features --------------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=400), st.text(min_size=0, max_size=400))
def test_features_read_only_bounded_slices(head, tail):
    # Whatever sits in the middle of a long article does not change its features: the cost per document is bounded.
    features = SourceFeatures().fit(["An article.", "Another article, a longer one."])
    head_bound = max(features.head_chars, features.full_head_chars)
    tail_bound = max(features.tail_chars, features.full_tail_chars)
    opening, closing = "o" * head_bound + "\n", "\n" + "c" * tail_bound
    filler_a = "alpha beta gamma. " * 500
    filler_b = "delta epsilon zeta!\n" * 700
    a = features.transform([head + opening + filler_a + closing + tail])
    b = features.transform([head + opening + filler_b + closing + tail])
    assert a.shape == b.shape == (1, features.n_features)
    assert abs(a - b).max() == 0


def test_features_are_deterministic_and_separate_texts():
    features = SourceFeatures().fit(["An article.", "Another article, a longer one."])
    texts = ["CLICK HERE TO GET THE FOX NEWS APP\nBody.", "Sign up for Daily Newsletters\nBody.", ""]
    first, second = features.transform(texts), features.transform(list(texts))
    assert abs(first - second).max() == 0
    assert first[2].nnz == 0
    assert abs(first[0] - first[1]).max() > 0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet="ab \n’é", max_size=40), min_size=1, max_size=5))
def test_word_start_ngrams_are_the_ngrams_that_start_a_word(texts):
    # The full-text block hashes only n-grams starting a word: the same hashes as at every position, fewer of them.
    buffer, owner = _concat(texts)
    every = dict(zip((5, 9), _ngram_hashes_by_size(buffer, owner, (5, 9)), strict=False))
    starts = dict(zip((5, 9), _word_ngram_hashes_by_size(*_encode(texts), (5, 9)), strict=False))
    for size in (5, 9):
        expected = []
        for row, text in enumerate(texts):
            data = text.encode("utf-8")
            expected += [row for i in range(len(data) - size + 1)
                         if data[i] not in b" \n" and (i == 0 or data[i - 1] in b" \n")]
        got_hashes, got_rows = starts.get(size, (np.empty(0, np.uint64), np.empty(0, np.int64)))
        assert got_rows.tolist() == expected
        assert set(got_hashes.tolist()) <= set(every.get(size, (np.empty(0),))[0].tolist())


def test_full_text_block_reads_the_middle_of_an_article_and_weighs_rare_ngrams_more():
    features = SourceFeatures().fit(["common words here"] * 20 + ["a rare Zqxjv word"])
    full = features.transform(["common words here", "common words Zqxjv"])[:, 4 << features.n_bits :]
    plain, rare = full[0], full[1]
    assert abs(plain - rare).max() > 0
    assert rare.max() > plain.max()  # the rare n-grams carry a higher idf, so a larger share of the unit norm


@pytest.mark.parametrize(
    ("title", "shape"),
    [
        ("“HE AND I HAVEN’T SPOKEN”: TRUMP", "“A A A A A”: A"),
        ("Despite pledge, Biden hauls in 2020 donations", "Aa a, Aa a a 9 a"),
        ("It's Here: Senate Releases 'Repeal Bill'", "Aa Aa: Aa Aa 'Aa Aa'"),
    ],
)
def test_title_shape(title, shape):
    assert title_shape(title) == shape


def test_group_thresholds_keep_unknown_answers_within_budget():
    rng = np.random.default_rng(0)
    k_score, u_score = rng.uniform(0.3, 1.0, 400), rng.uniform(0.0, 0.8, 300)
    k_group, u_group = rng.choice(["a", "b"], 400), rng.choice(["a", "b"], 300)
    k_right = rng.random(400) < 0.8
    for budget in (0.0, 0.05, 0.2):
        cuts = group_thresholds(k_score, k_right, k_group, u_score, u_group, budget)
        answered = u_score >= np.array([cuts[g] for g in u_group])
        assert answered.mean() <= budget
    loose, tight = (group_thresholds(k_score, k_right, k_group, u_score, u_group, b) for b in (0.2, 0.0))
    kept = [np.sum(k_right & (k_score >= np.array([c[g] for g in k_group]))) for c in (loose, tight)]
    assert kept[0] > kept[1]  # a larger budget buys more correct in-set answers


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**16))
def test_packed_gate_scores_as_the_boosted_trees(seed):
    from sklearn.ensemble import HistGradientBoostingClassifier

    from newsprism.plugins.source.model import GATE_FEATURES, gate_score

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, len(GATE_FEATURES)))
    X[:, 5:8] = rng.random((400, 3)) < 0.3  # one-hot-like and discrete columns, as in the real features
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(scale=0.5, size=400) > 0).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=15, max_leaf_nodes=15, min_samples_leaf=5, random_state=0).fit(X, y)
    packed = pack_trees(clf)
    probe = np.vstack([rng.normal(size=(200, X.shape[1])), X[:50]])
    probe[:40, packed["feature"][:40]] = packed["threshold"][:40]  # values exactly at a split go left, as in sklearn
    np.testing.assert_allclose(gate_score(packed, probe), clf.decision_function(probe), rtol=1e-12, atol=1e-12)
    assert gate_score(packed, probe[:0]).shape == (0,)


# --- the shipped model through the processor -------------------------------------------------------------------


def test_shipped_model_is_small():
    assert resolve_model("source").stat().st_size <= 15 * 1024 * 1024


def test_shipped_model_abstains_through_the_gate_calibrated_on_left_out_outlets(seeds_dir):
    from newsprism.modelstore import load_model
    from newsprism.plugins.source.model import GATE_FEATURES, gate_features, gate_score

    model, manifest = load_model("source")
    cal = manifest["abstention"]["calibration"]
    assert model.abstain_on == manifest["abstention"]["score"] == "gate"
    # The gate was chosen because it keeps the most right in-set answers at the same budget of unknown answers.
    assert cal["gate"]["known_accuracy"] == max(option["known_accuracy"] for option in cal.values())
    assert all(option["unknown_answered"] <= manifest["abstention"]["unknown_wrong_budget"] for option in cal.values())
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + ["", "one line"]
    parts = model.block_decisions(texts)
    decision = model.decision_from_blocks(parts)
    proba = model.proba_from_decision(decision)
    X = gate_features(parts, decision, proba, np.array([len(t) for t in texts], float), model.gate)
    assert X.shape == (len(texts), len(GATE_FEATURES)) and np.isfinite(X).all()
    score = gate_score(model.gate, X)
    _, best, confident = model.assess(texts)
    assert confident.tolist() == (score >= model.thresholds_for(best)).tolist()


def test_small_batches_score_sparse_and_large_ones_dense_with_the_same_decisions(seeds_dir):
    from newsprism.modelstore import load_model
    from newsprism.plugins.source.model import DENSE_FROM_BATCH

    model, _ = load_model("source")  # a fresh copy: no dense weights yet
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    small = model.decision_function(texts)
    assert "_weights" not in model.__dict__, "a small batch must not expand the weights"
    large = model.decision_function(texts * DENSE_FROM_BATCH)
    assert "_weights" in model.__dict__
    # Both paths add each document's terms in the same order: the very same float32 values.
    np.testing.assert_array_equal(small, large[: len(texts)])


def test_block_decisions_are_each_blocks_product_and_sum_to_the_decision(seeds_dir, monkeypatch):
    from newsprism.modelstore import load_model
    from newsprism.plugins.source import model as model_module

    model, _ = load_model("source")
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + ["", "one line", "ü" * 300]
    sparse = model.block_decisions(texts)  # a small batch, no dense weights yet: sparse × sparse per block
    blocks, weights = model.features_.blocks(texts), model._dense_weights()
    offsets = np.cumsum([0] + [b.shape[1] for b in blocks])
    each = np.stack([np.asarray(b @ weights[o : o + b.shape[1]]) for b, o in zip(blocks, offsets, strict=False)], 1)
    dense = model._dense_blocks(blocks)
    # Every path adds a document's terms of a block in the order of its row: the very same float32 values.
    np.testing.assert_array_equal(dense, each)
    np.testing.assert_array_equal(sparse, each)
    monkeypatch.setattr(model_module, "_csr_matvecs", None)  # a scipy without the kernel: the fallback
    np.testing.assert_array_equal(model._dense_blocks(blocks), each)
    # The decision is the blocks' sum plus the intercept: the one-pass product up to float32 rounding.
    one_pass = np.asarray(model.features_.transform(texts) @ weights) + model.intercept_
    np.testing.assert_allclose(model.decision_from_blocks(dense), one_pass, rtol=1e-5, atol=1e-5)
    assert np.array_equal(model.decision_function(texts), model.decision_from_blocks(dense))


EXPECTED = json.loads((FIXTURES / "source_expected.json").read_text(encoding="utf-8"))


def label_and_score(doc: Document) -> list:
    record = doc.to_record()["source"]
    return [record["publisher"], record["score"]]


def legacy_state(model, coef=None) -> dict:
    """The pickled state a model had before the estimator conventions (``classes``, ``idf``, per-class array)."""
    from newsprism.plugins.source.model import pack_weights

    features = SourceFeatures.__new__(SourceFeatures)
    features.__setstate__({**{k: v for k, v in model.features_.__dict__.items() if k != "idf_"},
                           "idf": model.features_.idf_})
    thresholds = np.array([model.class_thresholds[str(c)] for c in model.classes_], dtype=np.float32)
    state = {"features": features, "classes": model.classes_, "intercept": model.intercept_,
             "temperature": model.temperature, "threshold": model.threshold, "abstain_on": model.abstain_on,
             "class_thresholds": thresholds}
    return {**state, "coef": coef} if coef is not None else {**state, "packed_weights": pack_weights(model.by_feature)}


def test_files_pickled_before_the_estimator_conventions_decide_the_same(seeds_dir):
    from newsprism.modelstore import load_model
    from newsprism.plugins.source.model import SourceModel

    model, _ = load_model("source")
    # Files of that time had no gate, no bylines, no house shapes, and float32 thresholds.
    thresholds = {c: float(np.float32(t)) for c, t in model.class_thresholds.items()}
    model.set_params(abstain_on="decision", gate=None, class_thresholds=thresholds, bylines=None, house=None)
    old = SourceModel.__new__(SourceModel)
    old.__setstate__(legacy_state(model))
    assert old.get_params(deep=False) == {**model.get_params(deep=False), "features": None}
    assert np.array_equal(old.features_.idf_, model.features_.idf_)
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + ["", "one line"]
    assert np.array_equal(old.decision_function(texts), model.decision_function(texts))
    assert old.predict(texts).tolist() == model.predict(texts).tolist()


def test_packed_weights_are_the_same_weights_and_the_model_survives_pickling(seeds_dir):
    import pickle

    from newsprism.modelstore import load_model
    from newsprism.plugins.source.model import SourceModel, pack_weights, unpack_weights

    model, _ = load_model("source")
    weights = model.by_feature
    back = unpack_weights(pack_weights(weights))
    assert back.dtype == np.float32 and back.shape == weights.shape
    assert np.array_equal(back.indptr, weights.indptr) and np.array_equal(back.indices, weights.indices)
    assert np.array_equal(back.data.view(np.uint32), weights.data.view(np.uint32))  # the same bits
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    copy = pickle.loads(pickle.dumps(model))
    assert "coef_" not in copy.__dict__  # held feature-major only; class-major made when asked for
    assert np.array_equal(copy.decision_function(texts), model.decision_function(texts))
    unpacked = SourceModel.__new__(SourceModel)  # a state holding the class-major weights themselves
    unpacked.__setstate__({**{k: v for k, v in copy.__dict__.items() if k != "_by_feature"}, "coef_": copy.coef_})
    assert np.array_equal(unpacked.decision_function(texts), model.decision_function(texts))
    old_style = SourceModel.__new__(SourceModel)  # files written before the packing hold ``coef`` itself
    old_style.__setstate__(legacy_state(model, coef=copy.coef_))
    assert np.array_equal(old_style.decision_function(texts), model.decision_function(texts))


def fresh_processor() -> SourceProcessor:
    proc = SourceProcessor()  # a model of its own: no dense weights yet, so small batches go sparse
    proc.ensure_setup()
    return proc


def test_seed_decisions_are_the_recorded_ones(processor, seeds_dir):
    # Publisher and record score as the model and code before the speed work gave them (tests/fixtures).
    names = sorted(EXPECTED["seeds"])
    sparse = fresh_processor()
    for proc, batch in ((sparse, 1), (sparse, 5), (processor, 64)):
        docs = [seed_doc(seeds_dir, f"{name}.txt") for name in names] * (batch // 5 + 1)
        for start in range(0, len(docs), batch):
            proc.process_batch(docs[start : start + batch])
        assert [label_and_score(d) for d in docs] == [EXPECTED["seeds"][d.id] for d in docs]
    assert "_weights" not in sparse.model.__dict__


def test_processor_on_the_seeds(processor, seeds_dir, seed_gold):
    docs = [seed_doc(seeds_dir, name) for name in seed_gold]
    processor.process_batch(docs)
    for doc, (name, gold) in zip(docs, seed_gold.items(), strict=False):
        prediction = doc.predictions["source"]
        assert prediction.label in (gold["publisher"], None), name
        assert [c["name"] for c in prediction.extra["credits"]] == gold["credits"], name
        assert prediction.model_sha256
        record = doc.to_record()["source"]
        assert set(record) >= {"publisher", "score", "credits"}
    labels = {name: doc.predictions["source"].label for doc, name in zip(docs, seed_gold, strict=False)}
    assert labels["000_6e8e1cac3b659b8b.txt"] == "The Independent"
    assert labels["004_f5093dfa6d855a6c.txt"] == "Asharq Al-Awsat"


def test_metadata_beats_the_text(processor):
    fox = Document(id="a", raw="Some headline | Jordan Times\nBody.", url="https://www.foxnews.com/politics/x")
    site = Document(id="b", raw="Body only.", format="html", text="Body only.", meta={"sitename": "Asharq Al-Awsat"})
    processor.process_batch([fox, site])
    assert fox.predictions["source"].label == "Fox News"
    assert fox.predictions["source"].extra["evidence"]["kind"] == "url"
    assert site.predictions["source"].label == "Asharq Al-Awsat"


def test_empty_and_odd_documents_get_an_answer(processor):
    docs = [Document(id="e", raw=""), Document(id="w", raw="   \n\n  "), Document(id="u", raw="ü" * 10000)]
    processor.process_batch(docs)
    assert all("source" in d.predictions for d in docs)
    assert all(d.predictions["source"].extra["credits"] == [] for d in docs)


# --- on the shared data (skipped without it) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_articles(shared_data):
    from newsprism.plugins.source.datasets import read_all

    return {a.id: a for a in read_all(shared_data)}


CREDIT_LABELS = json.loads((FIXTURES / "credits_labels.json").read_text(encoding="utf-8"))


def credit_counts(parts: tuple[str, ...], shared_articles, finder) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of the credit rules on hand-labelled parts of the fixture."""
    tp = fp = fn = 0
    for part in parts:
        for doc_id, names in CREDIT_LABELS[part]["documents"].items():
            found = {c.name for c in finder.find(shared_articles[doc_id].text.splitlines())}
            tp += len(found & set(names))
            fp += len(found - set(names))
            fn += len(set(names) - found)
    return tp, fp, fn


@pytest.mark.parametrize(
    ("parts", "min_recall"),
    [
        # The articles the rules were written on, and the first held-out sample (scored once: P 0.956, R 0.878, then
        # tuned on). Measured now (outlets no table knows named too): P 1.000 (116/116), R 1.000 (116/116).
        (("tuning", "held_out_1"), 0.98),
        # The second held-out sample (scored once: P 1.000, R 0.760, then tuned on). Measured now: P 1.000 (25/25),
        # R 1.000 (25/25; its last miss, a Daily Caller News Foundation reprint notice on Eagle Rising, is read since).
        (("held_out_2",), 0.96),
        # The third (scored once: P 1.000, R 0.692, then tuned on). Measured now: P 1.000 (26/26), R 1.000 (26/26).
        (("held_out_3",), 0.96),
    ],
)
def test_credits_on_the_hand_labels(shared_articles, finder, parts, min_recall):
    # Every labelled sample has been tuned on by now (docs/source.md): these are regression guards at measured levels.
    tp, fp, fn = credit_counts(parts, shared_articles, finder)
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= min_recall


def redraw(part: str, shared_articles, excluded: set[str]) -> dict[str, list[str]]:
    """The part's sample drawn again from the data as the fixture describes it."""
    import random
    import re

    held = CREDIT_LABELS[part]
    cue = re.compile(held["cue_pattern"])
    pool = sorted(set(shared_articles) - excluded)
    strata = {"cue": [i for i in pool if cue.search(shared_articles[i].text)]}
    strata["plain"] = [i for i in pool if not cue.search(shared_articles[i].text)]
    rng = random.Random(held["seed"])
    return {name: sorted(rng.sample(strata[name], held["per_stratum"])) for name in ("cue", "plain")}


@pytest.mark.parametrize("part", ["held_out_1", "held_out_2", "held_out_3"])
def test_held_out_credit_samples_are_the_documented_draws(shared_articles, part):
    # Same ids from the same seed, none of them in an earlier (tuning) part.
    excluded = set(CREDIT_LABELS["tuning"]["documents"])
    if part in ("held_out_2", "held_out_3"):
        excluded |= set(CREDIT_LABELS["held_out_1"]["documents"]) | set(CREDIT_LABELS["held_out_2"]["excluded_seen"])
    if part == "held_out_3":
        excluded |= set(CREDIT_LABELS["held_out_2"]["documents"]) | set(CREDIT_LABELS[part]["excluded_seen"])
    drawn = redraw(part, shared_articles, excluded)
    assert drawn == CREDIT_LABELS[part]["strata"]
    assert set(CREDIT_LABELS[part]["documents"]) == set(drawn["cue"]) | set(drawn["plain"])
    assert len(CREDIT_LABELS[part]["documents"]) >= 200


def test_shipped_model_on_a_held_out_sample(shared_articles, processor):
    from newsprism.plugins.source.training import split

    manifest = json.loads(resolve_model("source").with_suffix(".json").read_text(encoding="utf-8"))
    articles = list(shared_articles.values())
    _, test_idx = split(articles, manifest["split"]["seed"])
    sample = [articles[i] for i in test_idx[:400]]
    docs = [Document(id=a.id, raw=a.text) for a in sample]
    processor.process_batch(docs)
    right = sum(d.predictions["source"].label == a.label for d, a in zip(docs, sample, strict=False))
    wrong = sum(d.predictions["source"].label not in (None, a.label) for d, a in zip(docs, sample, strict=False))
    assert right / len(sample) >= 0.45  # 0.57 on these 400 (all 1,285 held-out: 0.557, docs/source.md)
    assert wrong / len(sample) <= 0.08  # a wrong publisher (not null) is rare: ~2-4 % measured


def test_held_out_decisions_are_the_recorded_ones(shared_articles, processor):
    # 400 held-out articles in batches of 64 (dense weights) and the first 40 in batches of 8 (sparse): the same
    # publisher and record score as before the speed work (tests/fixtures/source_expected.json).
    expected = EXPECTED["held_out"]
    docs = [Document(id=i, raw=shared_articles[i].text) for i in expected]
    for start in range(0, len(docs), 64):
        processor.process_batch(docs[start : start + 64])
    small, sparse = [Document(id=d.id, raw=d.raw) for d in docs[:40]], fresh_processor()
    for start in range(0, len(small), 8):
        sparse.process_batch(small[start : start + 8])
    assert "_weights" not in sparse.model.__dict__
    assert {d.id: label_and_score(d) for d in docs} == expected
    assert {d.id: label_and_score(d) for d in small} == {d.id: expected[d.id] for d in small}


# --- scikit-learn estimator conventions ------------------------------------------------------------------------


def test_params_round_trip_and_clone_of_an_unfitted_model():
    from sklearn.base import clone

    from newsprism.plugins.source.model import SourceModel

    model = SourceModel(SourceFeatures(n_bits=12), C=0.5, abstain_on="margin", class_thresholds={"Vox": 0.2})
    params = model.get_params(deep=False)
    assert params["C"] == 0.5 and params["keep_weights"] == 2_000_000 and params["class_thresholds"] == {"Vox": 0.2}
    assert model.get_params()["features__n_bits"] == 12  # the feature extractor's parameters, nested
    again = clone(model)
    assert again.features is not model.features and again.features.get_params() == model.features.get_params()
    assert {k: v for k, v in again.get_params(deep=False).items() if k != "features"} == {
        k: v for k, v in params.items() if k != "features"}
    assert model.set_params(features__n_bits=13, temperature=2.0) is model
    assert model.features.n_bits == 13 and model.temperature == 2.0
    with pytest.raises(ValueError, match="classes"):
        model.set_params(classes=["Vox"])  # learned state is no parameter


def test_an_unfitted_model_raises_not_fitted():
    from sklearn.exceptions import NotFittedError

    from newsprism.plugins.source.model import SourceModel

    for call in (lambda: SourceModel().predict(["text"]), lambda: SourceModel().decision_function(["text"]),
                 lambda: SourceModel().assess(["text"]), lambda: SourceFeatures().transform(["text"])):
        with pytest.raises(NotFittedError):
            call()


def test_fit_on_the_seeds_returns_itself_and_predicts_their_outlets(seeds_dir, seed_gold):
    import pickle

    from sklearn.base import clone
    from sklearn.exceptions import NotFittedError

    from newsprism.plugins.source.model import SourceModel

    named = {name: gold["publisher"] for name, gold in seed_gold.items() if gold["publisher"]}
    texts = [(seeds_dir / name).read_text(encoding="utf-8") for name in named]
    model = SourceModel(keep_weights=5000)
    assert model.fit(texts, list(named.values())) is model
    assert model.classes_.tolist() == sorted(named.values())
    unpruned = clone(model).set_params(keep_weights=10**9).fit(texts, list(named.values()))
    assert model.coef_.shape == unpruned.coef_.shape == (3, model.features_.n_features)
    # Pruning keeps the 5,000 largest weights (and ties with the smallest of them).
    assert 5000 <= model.coef_.nnz < unpruned.coef_.nnz
    assert np.abs(model.coef_.data).min() == np.sort(np.abs(unpruned.coef_.data))[-5000]
    assert model.predict(texts).tolist() == list(named.values())
    assert model.score(texts, list(named.values())) == 1.0
    assert pickle.loads(pickle.dumps(model)).predict(texts).tolist() == list(named.values())
    # A threshold no score reaches: the model abstains, and abstentions count as wrong.
    model.set_params(abstain_on="decision", class_thresholds={c: 1e9 for c in model.classes_})
    assert model.predict(texts).tolist() == [None] * 3 and model.score(texts, list(named.values())) == 0.0
    with pytest.raises(NotFittedError):
        clone(model).predict(texts)


def test_fit_on_a_small_shared_sample_predicts_held_out_articles(shared_articles):
    from newsprism.plugins.source.model import SourceModel

    outlets = ("Fox News", "Reuters", "The Guardian", "Breitbart News")
    articles = sorted((a for a in shared_articles.values() if a.dataset == "allsides" and a.label in outlets),
                      key=lambda a: a.id)
    by_outlet = {o: [a for a in articles if a.label == o][:40] for o in outlets}
    train = [a for group in by_outlet.values() for a in group[:30]]
    test = [a for group in by_outlet.values() for a in group[30:]]
    model = SourceModel().fit([a.text for a in train], [a.label for a in train])
    assert model.score([a.text for a in test], [a.label for a in test]) >= 0.6  # four outlets: chance is 0.25


@pytest.mark.parametrize(
    "text",
    ["word " * 1000, "word " * 200_000, "1234567890 " * 3000, "\N{GRINNING FACE} " * 2000,
     " ".join(str(i) for i in range(3000)), "buy now " * 300],
)
def test_text_that_is_no_prose_gets_no_fingerprint_answer(processor, text):
    # Before the prose check the first three got Right Wing News, The Daily Caller and New York Post.
    doc = Document(id="junk", raw=text)
    processor.process_batch([doc])
    prediction = doc.predictions["source"]
    assert prediction.label is None and prediction.score is None  # the model's score on junk is no confidence
    assert prediction.extra["evidence"] == {
        "kind": "abstain", "text": "too few distinct words to tell an outlet from (repeated tokens, digits or symbols)"}


@settings(max_examples=40, deadline=None)
@given(token=st.text(min_size=1, max_size=12).filter(lambda t: t.split() == [t]), times=st.integers(5, 3000))
def test_a_repeated_token_never_gets_a_fingerprint_answer(processor, token, times):
    doc = Document(id="t", raw=" ".join([token] * times))
    processor.process_batch([doc])
    assert doc.predictions["source"].extra["evidence"]["kind"] != "model"


def test_every_article_of_the_sets_and_every_seed_reads_as_prose(shared_articles, seeds_dir):
    from newsprism.plugins.source.model import reads_as_prose

    seeds = [path.read_text(encoding="utf-8") for path in seeds_dir.glob("*.txt")]
    assert all(reads_as_prose(text) for text in [a.text for a in shared_articles.values()] + seeds)


_PAGE = [
    "Home", "World", "Business", "Markets", "Politics", "Tech", "Sign in", "Subscribe",
    "Oil prices climb as supply worries grow",
    "LONDON (Reuters) - Oil prices rose on Monday as worries over supply outweighed concerns about demand.",
    "Brent crude futures were up 80 cents at $75.10 a barrel by 1000 GMT, having gained 2% last week.",
    "Analysts said the market would stay tight through the winter as producers kept output low.",
    "Related coverage", "Markets slip as rates bite", "Apple unveils new phone",
    "All quotes delayed a minimum of 15 minutes.", "Terms of use", "Privacy", "Contact us",
]  # fmt: skip


def test_credits_of_a_whole_page_text_come_from_its_clean_text_too(finder):
    # The dateline stands under eight menu lines, out of the rules' reach on the raw lines (sample 20's lesson);
    # after the clean stage the story's edges are the text's edges again.
    from newsprism import Engine

    assert finder.find(_PAGE) == []
    doc = Engine(only=["clean", "source"]).process("\n".join(_PAGE))
    assert [c["name"] for c in doc.to_record()["source"]["credits"]] == ["Reuters"]
    assert Engine(only=["source"]).process("\n".join(_PAGE)).to_record()["source"]["credits"] == []


@pytest.mark.parametrize(
    ("sitename", "expected"),
    [
        ("https://pawszilla.com", "pawszilla.com"),
        ("https://www.example.org/", "example.org"),
        ("WSVN 7News | Miami News, Weather, Sports | Fort Lauderdale", "WSVN 7News"),
        ("The Haitian Times", "The Haitian Times"),
        ("  ", None),
        (None, None),
    ],
)
def test_site_name_metadata_is_tidied_to_the_outlets_name(sitename, expected):
    # as trafilatura reads them from trafilatura-eval-en pages (sample 20's HTML path)
    from newsprism.plugins.source import site_name

    assert site_name(sitename) == expected


def test_a_wire_agency_in_an_html_pages_author_metadata_is_a_credit():
    from newsprism import Engine

    body = "".join(f"<p>Paragraph {i} of the story says the trade talks went on late into the night, aides said.</p>"
                   for i in range(6))  # fmt: skip
    page = ('<html><head><title>Trade talks run late</title><meta name="author" content="{}"></head><body><article>'
            "<h1>Trade talks run late</h1>{}</article></body></html>")  # fmt: skip
    engine = Engine(only=["clean", "source"])
    for author, expected in (("Jane Doe; AFP", ["AFP"]), ("Jane Doe, Fox News", []), ("Reuters Staff", ["Reuters"])):
        doc = engine.process(Document(id="page", raw=page.format(author, body), format="html"))
        assert [c["name"] for c in doc.to_record()["source"]["credits"]] == expected, author
