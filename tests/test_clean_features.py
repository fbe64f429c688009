"""The clean stage's vectorised features and rules: each fast path agrees with the plain per-line definition."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsprism.plugins.clean import features as F
from newsprism.plugins.clean.cleaner import Decision, _drop_kept, _glued_to
from newsprism.plugins.clean.model import _span_features

# Lines made of the characters the line patterns care about, so that matches are frequent.
LINE = st.lists(st.sampled_from(list("ab ©/|-—:()0123.,") + [" ", "AP", "Reuters", "Getty", "AFP", "photo", "Jan",
                                                            " ago", "Images", "Smith"]),
                min_size=1, max_size=30).map(lambda parts: "".join(parts).strip()).filter(bool)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=12))
def test_caption_pattern_over_joined_lines_matches_per_line_search(lines):
    lengths = np.array([len(line) for line in lines])
    joined = F._matching_lines(F._CAPTION_END_LINE, lines, lengths)
    assert joined.tolist() == [F._CAPTION_END.search(line) is not None for line in lines]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(LINE, st.sampled_from(["(Reporting by Jo Smith)", "Source: AFP", "via Reuters",
                                                 "The AP contributed to this report.", "Reuters", "(AFP)"])),
                min_size=1, max_size=12))
def test_credit_feature_runs_the_regex_wherever_it_can_match(lines):
    column = F.FEATURE_NAMES.index("credit_like")
    got = F.extract(F.collect_lines([lines]), 1)[:, column]
    want = [len(line) < 200 and F._CREDIT.search(line) is not None for line in lines]
    assert got.tolist() == [float(w) for w in want]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=50), st.lists(st.integers(0, 2**64 - 1), max_size=50))
def test_hash_set_is_exact(members, others):
    hash_set = F.HashSet(np.array(members, dtype=np.uint64))
    values = np.array(members + others, dtype=np.uint64)
    assert hash_set(values).tolist() == [int(v) in set(members) for v in values.tolist()]


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_class_table_agrees_with_the_word_character_rule(text):
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = (F._CLASS[np.minimum(codes, 0x10000)] & F._WORD) > 0
    assert table.tolist() == F._word_chars(codes).tolist()


def test_tokens_are_lower_cased_with_digits_as_zero():
    tokens = F.tokenize(["Page 3 of AFP", "page 7 of afp"])
    assert tokens.hash[:4].tolist() == tokens.hash[4:].tolist()
    assert tokens.all_caps.tolist() == [False, False, False, True, False, False, False, False]


def test_date_like_lines():
    lines = ["Saturday / March 23.", "Updated 10:30 GMT", "5 hours ago", "Published 2016", "The army said it had left",
             "Saturday / March 23. " + "x" * 120]
    column = F.FEATURE_NAMES.index("date_like")
    assert F.extract(F.collect_lines([lines]), 1)[:, column].tolist() == [1, 1, 1, 1, 0, 0]  # short lines only


def test_span_features_find_the_best_contiguous_run():
    keep = np.array([0.1, 0.2, 0.9, 0.8, 0.1, 0.9, 0.2, 0.1, 0.9, 0.9])
    doc = np.array([0] * 8 + [1] * 2)
    inside, distance, share = _span_features(keep, doc).T
    assert inside.tolist() == [0, 0, 1, 1, 0, 0, 0, 0, 1, 1]  # ties: the earliest best span
    assert distance[:2].tolist() == pytest.approx([np.log1p(2), np.log1p(1)])
    assert share.tolist() == pytest.approx([0.25] * 8 + [1.0] * 2)


WORDS = st.sampled_from(["aleppo", "russia", "evacuation", "the", "and", "subscribe", "menu", "ab", "Aleppo", "sport"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(WORDS, max_size=6).map(" ".join), st.floats(0, 1), st.integers(0, 2)),
                min_size=1, max_size=10))
@example(rows=[("aleppo", 0.5, 0), ("aleppo", 2e-06, 0)])  # 0.5 reached through a difference of sums
def test_keep_weighted_coherence_matches_its_per_line_definition(rows):
    rows = sorted(rows, key=lambda row: row[2])  # a batch holds each document's lines together
    lines, keep, doc = [r[0] for r in rows], np.array([r[1] for r in rows]), np.array([r[2] for r in rows])
    tokens = F.tokenize(lines)
    content = (tokens.length >= 3) & ~F.IS_STOPWORD(tokens.hash)
    words = [set(tokens.hash[content & (tokens.line == i)].tolist()) for i in range(len(lines))]
    got = F.keep_weighted_coherence(tokens, doc, keep)
    for i, own in enumerate(words):
        others = [j for j in range(len(lines)) if j != i and doc[j] == doc[i]]
        mass = {w: sum(keep[j] for j in others if w in words[j]) for w in own}
        total = max(sum(keep[j] for j in others), 1e-6)
        expected = ([sum(m / total for m in mass.values()) / len(own), sum(m >= 0.5 for m in mass.values()) / len(own)]
                    if own else [0.0, 0.0])
        assert got[i].tolist() == pytest.approx(expected, abs=1e-9)


def test_keep_weighted_coherence_counts_only_likely_content():
    lines = ["Aleppo evacuation is complete, says Russia", "Subscribe to our newsletter", "Russia says the Aleppo "
             "evacuation went well", "Menu Home Sport", "Sport Menu"]
    keep = np.array([0.9, 0.1, 0.9, 0.05, 0.05])
    mean_share, found = F.keep_weighted_coherence(F.tokenize(lines), np.zeros(5, dtype=np.int64), keep).T
    assert mean_share[1] == 0 and found[1] == 0  # shares no word with anything
    assert found[0] == 0.75 and found[3] == 0  # "Menu", "Sport" recur, but only in chrome
    assert mean_share[0] > 0.5 > mean_share[3] > 0


def test_headline_glued_to_a_breadcrumb_is_found_and_dropped():
    headline = "Aleppo evacuation is complete, claims Russia"
    earlier = ["Saturday / March 23.", "HomeFT SelectAleppo evacuation is complete, claims Russia"]
    assert _glued_to(headline, earlier) == 1
    # Not: a sentence before it, a long prefix, a short line, or the line itself.
    assert _glued_to(headline, ["It was over. Aleppo evacuation is complete, claims Russia"]) is None
    assert _glued_to(headline, ["A standfirst that runs on for quite a while: " + headline]) is None
    assert _glued_to("Russia", ["HomeRussia"]) is None
    assert _glued_to(headline, [headline]) is None
    decision = Decision(kept=[0, 1], removed=[], labels={0: "content", 1: "title"}, title=1)
    head_text, head_numbers = list(earlier), [0, 1]
    _drop_kept(decision, 1, head_text, head_numbers, 1)
    assert decision.kept == [0] and decision.removed == [(1, "repeated")] and decision.title is None
    assert head_text == earlier[:1] and head_numbers == [0]


def test_line_patterns_do_not_cross_newlines():
    # The per-line pattern's spaces cross a newline; the joined-lines pattern's do not.
    assert F._CAPTION_END.search("a photo\nReuters") is not None
    assert F._CAPTION_END_LINE.search("a photo\nReuters") is None
    assert F._matching_lines(F._CAPTION_END_LINE, ["a photo", "x"], np.array([7, 1])).tolist() == [False, False]
