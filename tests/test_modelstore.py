"""The model store: atomic save with manifest, and the checks before anything is unpickled."""

from __future__ import annotations

import json
import warnings

import pytest
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from newsprism.modelstore import ModelError, ModelVersionWarning, list_models, load_model, save_model

TEXTS = ["the match ended in a draw", "shares fell sharply", "the striker scored twice", "the bank raised rates"]
LABELS = ["sport", "business", "sport", "business"]


@pytest.fixture()
def saved(tmp_path):
    model = make_pipeline(HashingVectorizer(n_features=2**10), LogisticRegression()).fit(TEXTS, LABELS)
    manifest = save_model(
        model, tmp_path, "toy", task="topic", labels=model.classes_, training_data="abc", metrics={"accuracy": 1.0}
    )
    return tmp_path, manifest


def test_save_writes_model_and_manifest_atomically(saved):
    folder, manifest = saved
    assert sorted(p.name for p in folder.iterdir()) == ["toy.joblib", "toy.json"], "no temporary files left"
    on_disk = json.loads((folder / "toy.json").read_text())
    assert on_disk == manifest
    assert on_disk["labels"] == ["business", "sport"]
    assert set(on_disk["versions"]) == {"python", "scikit-learn", "newsprism"}


def test_trusted_model_loads_and_predicts(saved):
    folder, manifest = saved
    model, loaded_manifest = load_model(folder / "toy.joblib", trusted=[folder])
    assert loaded_manifest["sha256"] == manifest["sha256"]
    assert list(model.predict(["the goalkeeper saved a penalty"])) == ["sport"]


def test_untrusted_folder_is_refused(saved):
    folder, _ = saved
    with pytest.raises(ModelError, match="untrusted folder"):
        load_model(folder / "toy.joblib")


def test_changed_bytes_are_refused_before_loading(saved):
    folder, _ = saved
    path = folder / "toy.joblib"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"toy\.joblib: sha256 .* does not match"):
        load_model(path, trusted=[folder])


def test_truncated_file_gives_a_clear_error_not_a_traceback(saved):
    folder, _ = saved
    path = folder / "toy.joblib"
    path.write_bytes(path.read_bytes()[:200])
    manifest = json.loads((folder / "toy.json").read_text())
    from newsprism.modelstore import sha256_file

    manifest["sha256"] = sha256_file(path)  # as if someone "fixed" the hash: loading must still fail cleanly
    (folder / "toy.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="cannot be loaded"):
        load_model(path, trusted=[folder])


def test_other_scikit_learn_version_gives_one_clear_warning(saved):
    folder, _ = saved
    manifest = json.loads((folder / "toy.json").read_text())
    manifest["versions"]["scikit-learn"] = "0.24.2"
    (folder / "toy.json").write_text(json.dumps(manifest))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_model(folder / "toy.joblib", trusted=[folder])
    messages = [str(w.message) for w in caught if issubclass(w.category, ModelVersionWarning)]
    assert len(messages) == 1 and "trained with scikit-learn 0.24.2" in messages[0]


def test_missing_manifest_is_refused(saved):
    folder, _ = saved
    (folder / "toy.json").unlink()
    with pytest.raises(ModelError, match="manifest toy.json is missing"):
        load_model(folder / "toy.joblib", trusted=[folder])


def test_list_models_finds_trusted_folders(saved):
    folder, _ = saved
    assert any(m["name"] == "toy" and m["task"] == "topic" for m in list_models([folder]))
