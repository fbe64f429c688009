"""The line cleaner follows scikit-learn's estimator conventions (params, clone, fitted state, pickling)."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import roc_auc_score

from newsprism.plugins.clean import corpus
from newsprism.plugins.clean.cleaner import decide
from newsprism.plugins.clean.model import LineCleaner, document_counts


@pytest.fixture(scope="module")
def seed_docs(seeds_dir):
    return corpus.seed_docs(seeds_dir)


def fit_quietly(cleaner: LineCleaner, docs: list) -> LineCleaner:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SGD's convergence warning at the deliberately small max_iter
        return cleaner.fit([d.lines for d in docs], [d.labels for d in docs])


@pytest.fixture(scope="module")
def fitted(seed_docs):
    return fit_quietly(LineCleaner(), seed_docs)


def test_params_round_trip_and_clone_of_an_unfitted_cleaner():
    cleaner = LineCleaner(keep_threshold=0.4, rounds=2, span=True, random_state=3)
    params = cleaner.get_params()
    assert params == {"keep_threshold": 0.4, "html_threshold": None, "random_state": 3, "max_iter": 20,
                      "alpha": 2e-6, "rounds": 2, "span": True, "batch_size": 64, "bags": 1, "appeal": False,
                      "min_groups": 1, "context_size": 1, "cohesion": False,
                      "titles": False}
    assert LineCleaner(**params).get_params() == params
    assert clone(cleaner).get_params() == params and clone(cleaner) is not cleaner
    assert cleaner.set_params(html_threshold=0.1) is cleaner and cleaner.html_threshold == 0.1
    with pytest.raises(ValueError, match="seed"):
        cleaner.set_params(seed=1)  # the old name is no parameter: random_state is


def test_an_unfitted_cleaner_raises_not_fitted(seed_docs):
    with pytest.raises(NotFittedError):
        LineCleaner().predict_lines([d.lines for d in seed_docs])
    with pytest.raises(NotFittedError):
        decide(LineCleaner(), [["Headline", "A line of the article."]])


def test_fit_on_the_seeds_returns_itself_learns_and_clones_unfitted(seed_docs, fitted):
    assert isinstance(fitted, LineCleaner)
    assert fitted.classes_.tolist() == list(corpus.CLASSES)
    assert fitted.train_df_ == document_counts(d.lines for d in seed_docs)
    pred = fitted.predict_lines([d.lines for d in seed_docs])
    gold = [corpus.CLASSES.index(lab) for d in seed_docs for lab in d.labels if lab is not None]
    gold_keep = np.isin(gold, [corpus.CLASSES.index(c) for c in corpus.KEEP])
    assert pred.keep.shape == gold_keep.shape and pred.proba.shape == (len(gold), len(corpus.CLASSES))
    # It learned its training lines (a majority-class guess would score 0.79 and 0.5): measured 1.0 and 0.98.
    assert np.mean(pred.proba.argmax(axis=1) == gold) >= 0.95
    assert roc_auc_score(gold_keep, pred.keep) >= 0.9
    again = clone(fitted)
    assert again.get_params() == fitted.get_params()
    with pytest.raises(NotFittedError):
        again.predict_lines([seed_docs[0].lines])


def test_fit_is_deterministic_and_survives_pickling(seed_docs, fitted):
    lines = [d.lines for d in seed_docs]
    refit = fit_quietly(clone(fitted), seed_docs)
    np.testing.assert_array_equal(refit.predict_lines(lines).keep, fitted.predict_lines(lines).keep)
    copy = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(copy.predict_lines(lines).keep, fitted.predict_lines(lines).keep)


def test_files_pickled_before_the_estimator_conventions_still_load(seed_docs, fitted):
    state = {k: v for k, v in fitted.__dict__.items() if k not in ("classes_", "batch_size", "bags", "appeal")}
    state["train_df"], state["seed"] = state.pop("train_df_"), state.pop("random_state")
    old = LineCleaner.__new__(LineCleaner)
    old.__setstate__(state)
    assert old.get_params() == fitted.get_params()
    lines = [d.lines for d in seed_docs]
    np.testing.assert_array_equal(old.predict_lines(lines).keep, fitted.predict_lines(lines).keep)


def test_bagged_stage_one_is_the_mean_of_its_members_fits(seed_docs):
    single = [fit_quietly(LineCleaner(random_state=r), seed_docs).lexical_ for r in (5, 1005, 2005)]
    bagged = fit_quietly(LineCleaner(random_state=5, bags=3), seed_docs)
    np.testing.assert_allclose(bagged.lexical_.coef_, np.mean([m.coef_ for m in single], axis=0), atol=1e-6)
    np.testing.assert_allclose(bagged.lexical_.intercept_, np.mean([m.intercept_ for m in single], axis=0))
    assert bagged.lexical_.coef_.shape == single[0].coef_.shape  # one model's size, one model's cost


def test_appeal_columns_follow_the_named_features(seed_docs):
    from newsprism.plugins.clean.features import APPEAL_NAMES, FEATURE_NAMES, appeal_features, tokenize

    lines = ["Your support helps us to tell the story", "Subscribe to our newsletter for more",
             "The fund was supported by the central bank, officials said.", "Aleppo evacuation is complete", ""]
    cols = appeal_features(tokenize(lines), len(lines))
    assert cols.tolist() == [[1, 1], [2, 1], [2, 0], [0, 0], [0, 0]]
    model = fit_quietly(LineCleaner(appeal=True), seed_docs)
    pred = model.predict_lines([d.lines for d in seed_docs])
    assert pred.features.shape[1] == len(FEATURE_NAMES) + len(APPEAL_NAMES) == len(model.mean_)
    assert decide(model, [seed_docs[0].lines])[0].kept


def test_min_groups_keeps_stage_one_off_words_that_only_one_source_uses(seed_docs):
    from newsprism.plugins.clean.features import collect_lines, hashed_words

    def fit_grouped(min_groups: int) -> LineCleaner:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return LineCleaner(min_groups=min_groups).fit([d.lines for d in seed_docs], [d.labels for d in seed_docs],
                                                          groups=[d.key for d in seed_docs])

    lines = collect_lines([d.lines for d in seed_docs])
    words = hashed_words(lines.tokens, len(lines.text)).tocsc()
    seeds_using = np.array([len(set(lines.doc[words.indices[words.indptr[c]:words.indptr[c + 1]]]))
                            for c in range(words.shape[1])])
    rare, shared = seeds_using == 1, seeds_using >= 2
    assert rare.sum() > 100 and shared.sum() > 100
    n_words = words.shape[1]
    filtered, plain = fit_grouped(2).lexical_.coef_[:, :n_words], fit_grouped(1).lexical_.coef_[:, :n_words]
    assert not filtered[:, rare].any() and plain[:, rare].any()
    assert filtered[:, shared].any(axis=0).mean() > 0.9  # the shared words are still learned


def _page(headline: str, story: int, chrome_above: int, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """A whole page as plain text: menus and a site name above the headline, then the story, then more chrome."""
    menus = ["Home | World | Sport | Weather", "The Coast Gazette", "Sign in", "Subscribe now", "Menu"]
    above = list(rng.choice(menus, size=chrome_above, replace=False))
    body = [f"The {headline.lower()} story began on day {story} when the council met at the harbour.",
            f"Officials said the {headline.lower()} plan would cost more than expected, and residents objected.",
            "Engineers will report again next month, the mayor told reporters on Friday."]
    lines = [*above, headline, *body, "Related stories", "Share this article", "Comments"]
    labels = ["boilerplate"] * chrome_above + ["title", "content", "content", "content"] + ["boilerplate"] * 3
    return lines, labels


def test_the_title_picker_finds_the_headline_below_chrome_on_unseen_pages():
    rng = np.random.default_rng(0)
    words = ["harbour", "bridge", "school", "market", "library", "station", "ferry", "stadium", "museum", "tunnel"]
    headlines = [f"Council delays {a} and {b} repairs" for a in words for b in words if a != b]
    pages = [_page(h, i, int(rng.integers(0, 5)), rng) for i, h in enumerate(headlines)]
    train, test = pages[:60], pages[60:80]
    model = fit_quietly(LineCleaner(titles=True), [corpus.LabelledDoc(f"p{i}", lines, labels, "synthetic")
                                                   for i, (lines, labels) in enumerate(train)])
    assert model.title_ is not None
    decisions = decide(model, [lines for lines, _ in test])
    picked = [d.title for d in decisions]
    assert picked == [labels.index("title") for _, labels in test]
    assert all(d.labels[d.title] == "title" and d.title in d.kept for d in decisions)


def test_files_without_a_title_picker_load_and_pick_titles_as_before(seed_docs, fitted):
    state = {k: v for k, v in fitted.__dict__.items() if k not in ("titles", "title_")}
    old = LineCleaner.__new__(LineCleaner)
    old.__setstate__(state)
    assert old.titles is False and old.title_ is None
    lines = [d.lines for d in seed_docs]
    assert old.predict_lines(lines).title is None
    assert [d.title for d in decide(old, lines)] == [d.title for d in decide(fitted, lines)]
