"""House-style evidence of the publisher (plugins/source/houselines.py): date-line shapes, the learned table, and
the stage taking a shape's outlet after self-naming and bylines."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism import Document
from newsprism.plugins.source import SourceProcessor
from newsprism.plugins.source.houselines import house_outlet, learn_house_shapes, line_shapes

SHAPE_TOKEN = re.compile(r"DAY|MON|N\d+|[0\-/:.]+")


@pytest.fixture(scope="module")
def processor() -> SourceProcessor:
    proc = SourceProcessor()
    proc.ensure_setup()
    return proc


@pytest.mark.parametrize(
    ("text", "shape", "line"),
    [
        ("Syrian Army Kills 31 Fighters\nMon Oct 31 2016 Syrian Army Kills 31 Fighters in Aleppo",
         "L1:start:DAY MON N2 N4", "Mon Oct 31 2016 Syrian Army Kills 31 Fighters in Aleppo"),
        ("Russian strikes kill 34 civilians Monitor AFP Sunday 26 Nov 2017\nBody.",
         "L0:end:DAY N2 MON N4", "Russian strikes kill 34 civilians Monitor AFP Sunday 26 Nov 2017"),
        ("Title\n17-08-2014 Syrian Army Kills 31 ISIL Terrorists", "L1:start:00-00-0000", None),
    ],
)
def test_shapes_are_runs_of_date_tokens_with_line_and_place(text, shape, line):
    shapes = line_shapes(text)
    if line is None:
        assert not any(s.startswith(shape) for s in shapes)  # one token alone, neither weekday nor month: no run
    else:
        assert shapes[shape] == line


def test_the_fourth_line_and_words_are_never_read():
    text = "Title\nStandfirst\nFirst paragraph.\nMon Oct 31 2016 a date on line four"
    assert line_shapes(text) == {}
    assert line_shapes("Breaking news from Damascus\nOfficials said more") == {}


@given(st.text())
def test_any_text_gives_shapes_made_of_date_tokens_only(text):
    for shape, line in line_shapes(text).items():
        index, where, run = shape.split(":", 2)
        assert index in {"L0", "L1", "L2"} and where in {"start", "mid", "end"}
        assert all(SHAPE_TOKEN.fullmatch(token) for token in run.split())
        assert line in text


def test_a_shape_names_an_outlet_only_when_all_its_articles_are_of_that_outlet():
    texts = ["T\nMon Oct 31 2016 a", "T\nSat Oct 29 2016 b", "T\nWed Nov 2 2016 c", "T\nThu Nov 3 2016 d",
             "T\n17-08-2014 12 killed", "T\n18-08-2014 13 killed"]
    labels = ["Al-Alam", "Al-Alam", "Al-Alam", "SANA", "Al-Manar", "Al-Manar"]
    # "DAY MON N1 N4" is printed by Al-Alam and SANA alike: it names neither.
    assert learn_house_shapes(texts, labels, min_count=2) == {"L1:start:DAY MON N2 N4": "Al-Alam",
                                                              "L1:start:00-00-0000 N2": "Al-Manar"}
    assert learn_house_shapes(texts, labels, min_count=3) == {}
    alam = {"L1:start:DAY MON N2 N4": "Al-Alam"}
    assert house_outlet(alam, "T\nMon Oct 31 2016 x") == ("Al-Alam", "Mon Oct 31 2016 x")
    assert house_outlet(alam | {"L0:end:N2 N4": "SANA"}, "T 12 2016\nMon Oct 31 2016 x") is None  # they disagree


def test_the_shipped_model_has_calibrated_house_shapes(processor):
    house = processor.model.house
    assert house is not None and house["top_k"] >= 1 and 0.9 <= house["precision"] <= 1.0
    assert set(house["shapes"].values()) <= set(processor.class_names)


def test_self_naming_comes_before_a_house_shape(processor):
    shape, outlet = next(iter(processor.model.house["shapes"].items()))
    assert outlet != "Jordan Times"
    doc = Document(id="j", raw="Israeli attack on Syria kills three | Jordan Times\nBody of the story follows here.")
    processor.process_batch([doc])
    assert doc.predictions["source"].label == "Jordan Times"


def test_held_out_articles_answered_by_a_house_shape_are_right(shared_data, processor):
    from newsprism.plugins.source.datasets import read_all
    from newsprism.plugins.source.training import split

    articles = read_all(shared_data)
    _, test_idx = split(articles, 0)  # the shipped model's split: never trained on
    sample = [articles[i] for i in test_idx if articles[i].dataset == "fakes"]
    docs = [Document(id=a.id, raw=a.text) for a in sample]
    processor.process_batch(docs)
    house = [(a, d.predictions["source"]) for a, d in zip(sample, docs, strict=True)
             if d.predictions["source"].extra["evidence"]["kind"] == "house"]
    assert len(house) >= 5
    assert sum(p.label == a.label for a, p in house) >= 0.95 * len(house)


def test_a_house_shape_over_junk_is_no_answer(processor, monkeypatch):
    import newsprism.plugins.source.model as source_model

    assert processor.model.house["shapes"]["L1:start:DAY MON N2 N4"] == "Al-Alam"
    doc = Document(id="junk", raw="Headline\nMon Oct 31 2016 " + "Syria Aleppo " * 200)
    processor.process_batch([doc])
    assert doc.predictions["source"].extra["evidence"]["kind"] == "abstain"
    monkeypatch.setattr(source_model, "reads_as_prose", lambda text: True)  # without the prose check ...
    processor.process_batch([doc])
    assert doc.predictions["source"].extra["evidence"]["kind"] == "house"  # ... the shape would name Al-Alam
