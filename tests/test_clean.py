"""The clean stage: seeds against their hand labels, invariants (hypothesis), HTML path, metrics, train/evaluate."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism import Document
from newsprism.plugins.clean import LineCleanerProcessor, corpus, metrics
from newsprism.plugins.clean.features import collect_lines, extract, normalise

REMOVE = {"boilerplate", "caption"}


@pytest.fixture(scope="module")
def processor() -> LineCleanerProcessor:
    proc = LineCleanerProcessor()
    proc.ensure_setup()
    return proc


def run(processor: LineCleanerProcessor, *texts: str, fmt: str = "text") -> list[Document]:
    docs = [Document(id=str(i), raw=t, format=fmt) for i, t in enumerate(texts)]
    processor.process_batch(docs)
    return docs


def is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(x == y for y in it) for x in short)


# -- seeds: the hand-labelled standard --------------------------------------------------------------------
def test_seeds_keep_every_title_content_and_credit_line(processor, seeds_dir, seed_gold):
    for name, entry in seed_gold.items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        (doc,) = run(processor, text)
        labels = corpus.labels_from_gold(doc.lines, entry["lines"])
        wrongly = [(r.line, r.reason, r.text[:60]) for r in doc.removed if labels[r.line - 1] not in REMOVE]
        assert not wrongly, f"{name}: removed kept-class lines {wrongly}"


def test_seeds_remove_most_boilerplate_and_captions(processor, seeds_dir, seed_gold):
    gold = removed = 0
    for name, entry in seed_gold.items():
        (doc,) = run(processor, (seeds_dir / name).read_text(encoding="utf-8"))
        to_remove = {n for cls in REMOVE for n in entry["lines"][cls]}
        gold += len(to_remove)
        removed += len(to_remove & {r.line for r in doc.removed})
    # Measured figure for the shipped model: 18 of 24 (docs/clean.md; the previous model 17); fewer fails.
    assert removed >= 18, f"removed {removed} of {gold} gold boilerplate/caption lines"


def test_seed_captions_and_partial_repeats_are_removed_with_their_reason(processor, seeds_dir):
    (ft,) = run(processor, (seeds_dir / "003_fbbc93feda2e0f75.txt").read_text(encoding="utf-8"))
    assert {20, 28, 48} <= {r.line for r in ft.removed}  # photo captions ending "© Reuters", "© AFP"
    (aj,) = run(processor, (seeds_dir / "002_b181f24db4ea820f.txt").read_text(encoding="utf-8"))
    # Line 2 repeats the standfirst glued to the headline on line 1; line 4 repeats it again.
    assert {r.line: r.reason for r in aj.removed if r.line < 5} == {2: "repeated", 4: "repeated"}
    assert aj.title == aj.lines[0].strip()


def test_removed_lines_carry_reason_and_text(processor, seeds_dir):
    (doc,) = run(processor, (seeds_dir / "001_28a1ef02925c1bcd.txt").read_text(encoding="utf-8"))
    by_line = {r.line: r for r in doc.removed}
    # Line 3 repeats the headline on line 1.
    assert by_line[3].reason == "repeated"
    for r in doc.removed:
        assert r.text == doc.lines[r.line - 1]
        assert r.reason in {"boilerplate", "caption", "repeated", "recurring-line"}
    assert doc.title == doc.lines[0]


def test_second_pass_removes_little_and_only_gold_boilerplate(processor, seeds_dir, seed_gold):
    names = sorted(seed_gold)
    first = run(processor, *[(seeds_dir / n).read_text(encoding="utf-8") for n in names])
    second = run(processor, *[d.text for d in first])
    again = 0
    for name, doc, redo in zip(names, first, second, strict=True):
        removed = {r.line for r in doc.removed}
        kept_numbers = [i + 1 for i, line in enumerate(doc.lines) if line.strip() and i + 1 not in removed]
        labels = corpus.labels_from_gold(doc.lines, seed_gold[name]["lines"])
        for r in redo.removed:
            # A line the first pass kept but the second drops must still be gold boilerplate or caption.
            assert labels[kept_numbers[r.line - 1] - 1] in REMOVE, (name, r)
        again += len(redo.removed)
    # Measured for the shipped model: nothing (the previous model dropped "You Might Also Like" on a second pass).
    assert again <= 1


def test_recurring_lines_across_the_batch_are_removed(processor):
    promo = "Sign up for our morning briefing and never miss a story"
    places = ["harbour", "museum", "bridge", "airport", "stadium", "library"]
    # Digits normalise to 0, so the articles differ in words: identical documents would count once.
    bodies = [
        f"The {place} was closed on Tuesday after inspectors found damage to its roof.\n"
        f"The mayor said repairs to the {place} would take weeks and cost more than expected.\n{promo}"
        for place in places
    ]
    docs = run(processor, *bodies)
    for doc in docs:
        reasons = {r.text: r.reason for r in doc.removed}
        assert reasons.get(promo) == "recurring-line", doc.text
        assert "mayor said" in doc.text


def test_duplicated_documents_do_not_look_like_boilerplate(processor):
    text = ("The council approved the budget on Monday after a long debate.\n"
            "Opposition members said the spending plans were unrealistic and would raise taxes.")
    docs = run(processor, *[text] * 5)
    assert all(d.text == text for d in docs)


# -- invariants -------------------------------------------------------------------------------------------
lines_strategy = st.lists(
    st.one_of(st.text(max_size=80), st.sampled_from(["", "Comments", "Share this article", "© Reuters",
                                                      "The minister said the talks would resume on Monday."])),
    max_size=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(lines_strategy, min_size=1, max_size=4))
def test_clean_lines_are_a_subsequence_of_input_lines(processor, lines):
    texts = ["\n".join(doc_lines) for doc_lines in lines]
    for doc in run(processor, *texts):
        out = doc.text.splitlines()
        assert is_subsequence(out, doc.lines)
        kept = len(doc.lines) - sum(1 for line in doc.lines if not line.strip())
        assert len(out) + len(doc.removed) == kept
        assert all(1 <= r.line <= len(doc.lines) for r in doc.removed)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=400))
def test_any_code_point_including_lone_surrogates_and_nul(processor, text):
    (doc,) = run(processor, text + "\n\ud800 lone surrogate\x00 and NUL")
    assert is_subsequence(doc.text.splitlines(), doc.lines)


def test_empty_and_blank_input(processor):
    docs = run(processor, "", "\n\n  \n")
    assert [d.text for d in docs] == ["", ""]
    assert all(d.removed == [] for d in docs)


def test_single_huge_line(processor):
    sentence = "The committee said on Friday that the new rules would apply to every port in the region. "
    (doc,) = run(processor, sentence * 20000)  # ~1.8 MB on one line
    assert doc.text in ("", doc.lines[0])
    assert len(doc.lines) == 1


def test_splitting_matches_str_splitlines(processor):
    text = "Title of the story\r\nFirst paragraph, said the minister.\x0bSecond\u2028Third line here.\x85Fourth"
    (doc,) = run(processor, text)
    assert doc.lines == text.splitlines()
    assert is_subsequence(doc.text.splitlines(), text.splitlines())


# -- HTML -------------------------------------------------------------------------------------------------
PAGE = """<html><head><title>Harbour reopens after storm | The Coast Gazette</title>
<meta property="og:site_name" content="The Coast Gazette"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Tuesday after a week of repairs, the port authority said in a statement.</p>
<p>Fishing boats returned to their moorings in the afternoon, and the ferry service resumed its schedule.</p>
<p>Officials said the sea wall, damaged by waves of up to eight metres, would be rebuilt by the spring.</p>
<p>"We were lucky that nobody was hurt," the harbour master told reporters on the quay.</p>
</article><footer><p>Copyright 2024 The Coast Gazette. All rights reserved.</p></footer></body></html>"""


def test_html_path_extracts_main_text_and_metadata(processor):
    (doc,) = run(processor, PAGE, fmt="html")
    assert "harbour reopened on Tuesday" in doc.text
    assert "Sport" not in doc.text.splitlines()
    assert "All rights reserved" not in doc.text
    assert doc.title and "Harbour reopens" in doc.title
    assert doc.meta.get("sitename") == "The Coast Gazette"
    assert doc.meta["clean_lines"] == "trafilatura"


# -- features and metrics ---------------------------------------------------------------------------------
def test_features_are_computed_for_every_nonblank_line_of_the_batch():
    batch = collect_lines([["a line", "", "Another line."], [], ["x"]])
    assert batch.text == ["a line", "Another line.", "x"]
    assert batch.doc.tolist() == [0, 0, 2]
    assert batch.number.tolist() == [0, 2, 0]
    feats = extract(batch, 3)
    assert feats.shape[0] == 3 and not (feats != feats).any()  # no NaN


def test_normalise_ignores_case_digits_and_punctuation():
    assert normalise("Sign up -- NOW!") == normalise("sign up now")
    assert normalise("Page 12") == normalise("page 99")


def test_shingle_metric():
    assert metrics.shingle_prf("a b c d e", "a b c d e") == (1.0, 1.0, 1.0)
    p, r, f = metrics.shingle_prf("a b c d e f g h", "a b c d e")
    assert r == 1.0 and p == pytest.approx(2 / 5)
    assert metrics.shingle_prf("", "one two three four five")[2] == 0.0


def test_snippet_metric_is_whitespace_insensitive():
    counts = metrics.snippet_counts("keep this\ntext here", ["this text", "missing"], ["here", "absent"])
    assert counts == {"tp": 1, "fn": 1, "fp": 1, "tn": 1}
    assert metrics.snippet_scores(counts)["snippet_precision"] == 0.5


# -- train and evaluate -----------------------------------------------------------------------------------
def _synthetic_docs(n: int) -> list[corpus.LabelledDoc]:
    docs = []
    for i in range(n):
        lines = ["Home | World | Sport", f"Storm closes harbour number {i}",
                 f"The harbour closed on day {i} after waves damaged the sea wall, officials said.",
                 "Boats stayed in port while engineers inspected the damage and the ferry was cancelled.",
                 "Reporting by Jane Doe", "Share this article", "Comments"]
        docs.append(corpus.LabelledDoc(f"s{i}", lines,
                                       ["boilerplate", "title", "content", "content", "credit", "boilerplate",
                                        "boilerplate"], "synthetic"))
    return docs


def test_train_save_load_and_evaluate_gold_formats(tmp_path, seeds_dir):
    from newsprism.modelstore import load_model, save_model
    from newsprism.plugins.clean.task import evaluate_gold, fit_docs, read_bodies, read_gold

    model = fit_docs(_synthetic_docs(40))
    save_model(model, tmp_path, "clean", task="clean", labels=corpus.CLASSES, training_data="synthetic", metrics={})
    loaded, manifest = load_model(tmp_path / "clean.joblib", trusted=[tmp_path])
    proc = LineCleanerProcessor({"model": str(tmp_path / "clean.joblib"), "trusted": [tmp_path]})
    (doc,) = run(proc, "\n".join(_synthetic_docs(1)[0].lines).replace("number 0", "in the bay"))
    assert "Share this article" not in doc.text and "sea wall" in doc.text

    # Format (a): text + body, scored with the shingle metric.
    rows = [{"id": "a", "text": "Menu\nThe port reopened today after repairs to the wall.\nShare",
             "body": "The port reopened today after repairs to the wall."}]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = evaluate_gold(loaded, read_gold(path), read_bodies(path))
    assert 0.0 <= report["metrics"]["shingle_f1"] <= 1.0
    # Format (b): line labels like seeds/gold.json.
    seeds_report = evaluate_gold(loaded, read_gold(seeds_dir / "gold.json"), {})
    assert seeds_report["metrics"]["documents"] == 5
    assert "removal_precision" in seeds_report["metrics"]


def test_task_evaluate_on_seed_gold_with_shipped_model(seeds_dir):
    from newsprism.plugins.clean.task import evaluate
    from newsprism.tasks import EvalRequest

    report = evaluate(EvalRequest(data=seeds_dir / "gold.json"))
    m = report["metrics"]
    assert m["removal_precision"] == 1.0
    assert m["shingle_f1"] > 0.9
    # Seed 004's title is still its site-name line (docs/clean.md); the other four are their headlines.
    assert (m["titles_right"], m["titles_wrong"]) == (4, 1)


@pytest.mark.slow
def test_shipped_model_on_held_out_pages(shared_data):
    from newsprism.modelstore import load_model
    from newsprism.plugins.clean.cleaner import decide
    from newsprism.plugins.clean.html import visible_lines

    model, _ = load_model("clean")
    pages = [p for p in corpus.read_pages(shared_data) if p["split"] == "test"][:12]
    lines = [[t for t, _ in visible_lines(p["html"])] for p in pages]
    counts = sum((metrics.snippet_counts("\n".join(ls[i] for i in d.kept), p["with"], p["without"])
                  for p, ls, d in zip(pages, lines, decide(model, lines), strict=False)), Counter())
    full = sum((metrics.snippet_counts("\n".join(ls), p["with"], p["without"])
                for p, ls in zip(pages, lines, strict=True)), Counter())
    assert metrics.snippet_scores(counts)["snippet_f1"] > metrics.snippet_scores(full)["snippet_f1"]


def test_split_rule_is_deterministic():
    assert corpus.split_of("theverge.com.html") == corpus.split_of("theverge.com.html")
    splits = {corpus.split_of(f"page{i}") for i in range(200)}
    assert splits == {"train", "dev", "test"}


def test_labels_from_body():
    labels = corpus.labels_from_body(["Menu", "", "The port reopened today after repairs."],
                                     "The port reopened today after repairs.")
    assert labels == ["boilerplate", None, "content"]


def test_crop_keeps_article_region():
    import numpy as np

    doc = corpus.LabelledDoc("k", ["n1", "n2", "t", "c", "f1", "f2"],
                             ["boilerplate", "boilerplate", "title", "content", "boilerplate", "boilerplate"], "x")
    cropped = corpus.crop(doc, np.random.default_rng(0), margin=0)
    assert cropped.lines == ["t", "c"]


def test_coherence_is_the_share_of_a_line_s_words_found_elsewhere_in_its_document():
    from newsprism.plugins.clean.features import FEATURE_NAMES

    batch = collect_lines([["Aleppo evacuation complete", "Russia says the Aleppo evacuation is over",
                            "Your support helps us tell the story"], ["Aleppo"]])
    coherence = extract(batch, 2)[:, FEATURE_NAMES.index("coherence")]
    # "aleppo", "evacuation" recur, "complete" and "russia" do not ("says", "over" are stopwords); the appeal
    # shares nothing with the article, and other documents do not count.
    assert coherence.tolist() == pytest.approx([2 / 3, 2 / 3, 0.0, 0.0])


def test_reader_appeal_features():
    from newsprism.plugins.clean.features import FEATURE_NAMES

    batch = collect_lines([["Join our commenting forum", "We need your support", "The army said it had left."]])
    feats = extract(batch, 1)
    col = FEATURE_NAMES.index
    assert feats[:, col("prompt_start")].tolist() == [1.0, 0.0, 0.0]
    assert feats[:, col("second_person")].tolist() == pytest.approx([0.0, 0.25, 0.0])
    assert feats[:, col("first_plural")].tolist() == pytest.approx([0.25, 0.25, 0.0])


def test_partial_repeat_of_a_head_line_needs_word_boundaries():
    from newsprism.plugins.clean.cleaner import _repeats_part

    headline = "Deal close on Aleppo Tens of thousands have fled to government areas this week"
    assert _repeats_part("Tens of thousands have fled to government areas this week", [headline])
    # A headline glued to a breadcrumb ("SelectAleppo ...") is not a repeat of it: the breadcrumb is the junk.
    assert not _repeats_part("Aleppo evacuation is complete, claims Russia",
                             ["HomeFT SelectAleppo evacuation is complete, claims Russia"])
    assert not _repeats_part("Tens of thousands", [headline])  # too short to call a repeat


def test_training_augmentation_keeps_lines_and_labels_aligned():
    import numpy as np

    rng = np.random.default_rng(1)
    page = corpus.LabelledDoc("p", ["Home", "News", "Title here", "Body text.", "Share this", "Comments"],
                              ["boilerplate", "boilerplate", "title", "content", "boilerplate", "boilerplate"], "x")
    blocks = corpus.chrome_blocks([page])
    assert [[line for line, _ in b] for b in blocks] == [["Home", "News"], ["Share this", "Comments"]]
    article = corpus.LabelledDoc("a", ["The mayor visited the flooded harbour district on Monday morning.",
                                       "Officials said Anna Berg and Tom Lund would lead the repairs."],
                                 ["content", "content"], "x", {"source": "Coast News (Online)", "topic": "weather"})
    caption = corpus.synthetic_caption(article, rng)
    assert caption and not caption.endswith(".") and caption.split()[0] in {"The", "Officials"}
    mixed = corpus.with_chrome(article, blocks, caption, rng)
    assert len(mixed.lines) == len(mixed.labels)
    assert [line for line, label in zip(mixed.lines, mixed.labels, strict=True) if label == "content"] == article.lines
    assert mixed.labels[mixed.lines.index(caption)] == "caption"
    titled = corpus.with_title(article, "Harbour floods", np.random.default_rng(3))
    assert titled.labels.count("title") == 1 and "Harbour floods" in titled.lines[titled.labels.index("title")]
    assert titled.lines[-2:] == article.lines


def test_bio_rule_finds_author_bios_not_news_sentences():
    assert corpus.is_bio("David Axelrod is CNN's senior political commentator and host of the podcast.")
    assert corpus.is_bio("Evan Halper writes about a broad range of policy issues out of Washington D.C.")
    assert corpus.is_bio("Leah C. Stokes is an assistant professor of political science at UC Santa Barbara.")
    assert corpus.is_bio("The opinions expressed in this commentary are his own.")
    assert not corpus.is_bio("Bill Clinton is the only modern president to be impeached by the House.")
    assert not corpus.is_bio("Camp David covers more than 125 acres, with a cabin for the president.")
    assert not corpus.is_bio("Brittany Gordon was a 24-year-old Army intelligence analyst when a bomb exploded.")
    assert not corpus.is_bio("Although Netanyahu was the frontrunner, commentators said he had to concede.")


def test_appeal_runs_and_insertion_keep_lines_and_labels_aligned():
    import numpy as np

    from newsprism.plugins.clean import task

    page = corpus.LabelledDoc("p", ["Menu", "Title here", "Body text of the article goes on here.",
                                    "Your support helps us to tell the story of this city every day.",
                                    "Sign up to our newsletter and we will send you the best stories.", "Share"],
                              ["boilerplate", "title", "content", "boilerplate", "boilerplate", "boilerplate"], "x")
    runs = corpus.appeal_runs([page])
    assert [[line for line, _ in run] for run in runs] == [page.lines[3:5]]
    article = corpus.LabelledDoc("a", ["Headline", "The mayor visited the harbour.", "Repairs start soon."],
                                 ["title", "content", "content"], "x")
    mixed = task._appealed(article, runs, np.random.default_rng(0))
    assert len(mixed.lines) == len(mixed.labels) and len(mixed.lines) == 5
    assert [line for line in mixed.lines if line in article.lines] == article.lines
    assert all(mixed.labels[mixed.lines.index(line)] == "boilerplate" for line in page.lines[3:5])


def test_the_picker_names_the_best_eligible_line_and_keeps_it_or_leaves_the_stage_one_title():
    from newsprism.plugins.clean.cleaner import Decision, _pick_titles

    doc = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2])
    numbers = np.array([0, 2, 3, 4, 0, 1, 2, 3, 0, 1])
    picked = [Decision(kept=[3, 4], removed=[(0, "boilerplate"), (2, "boilerplate")], title=4),
              Decision(kept=[0, 3], removed=[(1, "repeated"), (2, "recurring-line")], title=0),
              Decision(kept=[0, 1], title=0)]
    _pick_titles(picked, np.array([0.1, 0.9, 0.3, 0.2, 0.6, 0.99, 0.98, 0.1, 0.3, 0.4]), doc, numbers)
    # Document 0: the dropped line 2 is the headline, kept again. Document 1: the repeat and the line recurring
    # across the batch are passed over. Document 2: nothing reaches TITLE_MIN, the stage-1 title stays.
    assert [(d.title, d.kept) for d in picked] == [(2, [2, 3, 4]), (0, [0, 3]), (0, [0, 1])]
    assert picked[0].removed == [(0, "boilerplate")] and picked[0].labels[2] == "title"


def test_title_outcomes_compare_what_the_title_reads():
    from newsprism.plugins.clean.task import headline_line, title_outcome

    lines = ["Menu", "Storm closes harbour", "Storm closes harbour", "The harbour closed on Friday."]
    assert headline_line(lines, "  Storm closes  harbour ") == 1 and headline_line(lines, "Other") is None
    assert [title_outcome(lines, picked, 1) for picked in (1, 2, 0, None)] == ["right", "right", "wrong", "none"]
    assert [title_outcome(lines, picked, None) for picked in (0, None)] == ["untitled_set", "untitled_none"]
