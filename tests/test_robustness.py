"""Nothing lost, nothing trusted blindly: bad input, faulty plugins, interruptions, tampered models."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from clirunner import PROJECT_ROOT, records, run_cli
from fake_site import make_plugin_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ARABIC = "قالت وزارة الخارجية إن المحادثات بشأن حلب ستستأنف الأسبوع المقبل في جنيف.\n"
ENGLISH = "The council voted on Monday to close the old bridge to traffic, officials said.\n"


def build_bad_corpus(folder):
    """Every kind of bad input a scrape produces; returns {file name: expected record count}."""
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 64,
        "not-utf8.txt": ("Caf\u00e9 owners in Z\u00fcrich complained. " * 20).encode("cp1252"),
        "utf16-bom.txt": (ENGLISH * 5).encode("utf-16"),
        "utf16-nobom.txt": (ENGLISH * 5).encode("utf-16-le"),
        "arabic-1256.txt": (ARABIC * 5).encode("cp1256"),
        "huge-single-line.txt": b"word " * 10_500_000,  # 52 MB, one line: over the default --max-bytes
        "long-no-breaks.txt": (ENGLISH.strip() + " ") .encode() * 20_000,  # 1.6 MB, no line break
        "scripts-only.html": b"<html><head><script>var a = 1;</script></head><body><script>x()</script></body></html>",
        "mixed.jsonl": b'{"id": "ok-1", "text": "Fine record."}\n{broken\n{"id": "no-text", "title": "t"}\n'
        b'{"id": "ok-2", "html": "<html><body><p>Paragraph.</p></body></html>"}\n',
        "odd name \u2014 caf\u00e9 'q' \"x\"\n.txt": ENGLISH.encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    os.symlink("loop.txt", folder / "loop.txt")  # a symlink to itself
    (folder / "locked.txt").write_text(ENGLISH)
    (folder / "locked.txt").chmod(0)
    expected = {name: 1 for name in files} | {"loop.txt": 1, "locked.txt": 1, "mixed.jsonl": 4}
    return expected


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    expected = build_bad_corpus(folder)
    result = run_cli("classify", str(folder))
    return folder, expected, result


def test_every_bad_input_yields_exactly_one_record_per_document(bad_run):
    folder, expected, result = bad_run
    out = records(result.stdout)
    per_file: dict[str, int] = {}
    for record in out:
        name = os.path.basename(record["path"])
        per_file[name] = per_file.get(name, 0) + 1
    assert per_file == expected
    assert result.returncode == 1, "some inputs failed, so the exit code says so"


def test_bad_inputs_say_what_is_wrong(bad_run):
    folder, _, result = bad_run
    by_name: dict[str, list] = {}
    for record in records(result.stdout):
        by_name.setdefault(os.path.basename(record["path"]), []).append(record)

    def reader_errors(name):
        return " ".join(e["message"] for r in by_name[name] for e in r["errors"] if e["plugin"] == "reader")

    assert "empty" in reader_errors("empty.txt")
    assert "binary" in reader_errors("binary.txt")
    assert "max-bytes" in reader_errors("huge-single-line.txt")
    assert "symbolic links" in reader_errors("loop.txt") or "cannot read" in reader_errors("loop.txt")
    assert "line 2" in reader_errors("mixed.jsonl") and "no 'text' or 'html'" in reader_errors("mixed.jsonl")
    for decodable in ("not-utf8.txt", "utf16-bom.txt", "utf16-nobom.txt", "arabic-1256.txt", "long-no-breaks.txt"):
        assert reader_errors(decodable) == "", decodable
    if os.geteuid() != 0:  # root reads anything, so only an ordinary user sees the permission error
        assert "Permission denied" in reader_errors("locked.txt")


def test_decoded_text_reaches_the_pipeline(tmp_path):
    (tmp_path / "arabic.txt").write_bytes((ARABIC * 5).encode("cp1256"))
    (record,) = records(run_cli("classify", str(tmp_path), "--only", "clean", "--text").stdout)
    assert "حلب" in record["clean"]["text"]


# --- faulty plugins -----------------------------------------------------------

FAULTY = {
    "raiser": """
from newsprism import Prediction, Processor, hookimpl

class Raiser(Processor):
    name, stage, provides = "raiser", "faulty", ("raiser",)

    def process_batch(self, docs):
        for doc in docs:
            if "Idlib" in doc.raw:
                raise ValueError("cannot cope with Idlib")
            doc.predictions["raiser"] = Prediction("fine", 1.0)

@hookimpl
def newsprism_register_processors(register):
    register(Raiser)
""",
    "malformed": """
from newsprism import Prediction, Processor, hookimpl

class Malformed(Processor):
    name, stage, provides = "malformed", "faulty", ("malformed",)

    def process_batch(self, docs):
        for doc in docs:
            doc.predictions["malformed"] = {"label": 42}

@hookimpl
def newsprism_register_processors(register):
    register(Malformed)
""",
    "sleepy": """
import time
from newsprism import Prediction, Processor, hookimpl

class Sleepy(Processor):
    name, stage, provides = "sleepy", "faulty", ("sleepy",)

    def process_batch(self, docs):
        for doc in docs:
            if "Asharq" in doc.raw or "ASHARQ" in doc.raw:
                time.sleep(30)
            doc.predictions["sleepy"] = Prediction("awake", 1.0)

@hookimpl
def newsprism_register_processors(register):
    register(Sleepy)
""",
    "unimportable": "import a_module_that_does_not_exist\n",
}


@pytest.fixture(scope="module")
def faulty_site(tmp_path_factory):
    return make_plugin_site(tmp_path_factory.mktemp("faulty"), FAULTY)


def test_faulty_plugins_record_errors_per_document_and_plugin(faulty_site, seeds_dir):
    result = run_cli("classify", str(seeds_dir), "--timeout", "2", env=faulty_site)
    assert result.returncode == 1
    out = {r["id"]: r for r in records(result.stdout)}
    assert len(out) == 5
    for doc_id, record in out.items():
        by_plugin = {e["plugin"]: e["message"] for e in record["errors"]}
        assert "malformed output dropped" in by_plugin["malformed"] and "malformed" not in record
        mentions_idlib = "Idlib" in (seeds_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert ("raiser" in by_plugin) == mentions_idlib, doc_id
        assert ("raiser" in record) != mentions_idlib, "the other documents keep the plugin's result"
        slow = doc_id.startswith("004")
        assert ("timed out after 2 s" in by_plugin.get("sleepy", "")) == slow
        assert ("sleepy" in record) != slow
        assert set(by_plugin) <= {"raiser", "malformed", "sleepy"}, "built-in stages are unaffected"


def test_broken_plugin_is_reported_and_strict_stops_at_the_first_error(faulty_site, seeds_dir):
    table = {p["name"]: p for p in json.loads(run_cli("plugins", "--json", env=faulty_site).stdout)}
    assert table["unimportable"]["status"] == "failed"
    assert "a_module_that_does_not_exist" in table["unimportable"]["error"]
    result = run_cli("classify", str(seeds_dir), "--strict", "--disable", "sleepy", env=faulty_site)
    assert result.returncode == 1
    assert len(records(result.stdout)) == 1 and "--strict" in result.stderr


# --- models are code ------------------------------------------------------------

TOY_MODEL_PLUGIN = """
from newsprism import Prediction, Processor, hookimpl
from newsprism.modelstore import load_model

class ToyModel(Processor):
    name, stage, provides = "toy-model", "toy", ("toy",)

    def setup(self):
        self.model, self.manifest = load_model(self.config["model"], trusted=self.config.get("trusted", []))

    def process_batch(self, docs):
        for doc, label in zip(docs, self.model.predict([d.body for d in docs])):
            doc.predictions["toy"] = Prediction(str(label), 1.0, model_sha256=self.manifest["sha256"])

@hookimpl
def newsprism_register_processors(register):
    register(ToyModel)
"""


@pytest.fixture()
def toy_model(tmp_path):
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from newsprism.modelstore import save_model

    texts, labels = ["Aleppo ceasefire talks", "the striker scored", "troops and rebels", "a goal in the final"], list(
        "wsws"
    )
    model = make_pipeline(HashingVectorizer(n_features=2**8), LogisticRegression()).fit(texts, labels)
    models = tmp_path / "models"
    save_model(model, models, "toy", task="toy", labels="sw", training_data="inline", metrics={})
    site = tmp_path / "site"
    site.mkdir()
    env = make_plugin_site(site, {"toy": TOY_MODEL_PLUGIN})
    return models / "toy.joblib", {**env, "NEWSPRISM_LOAD_PLUGINS": "toy"}


def test_trusted_intact_model_is_served(toy_model, seeds_dir):
    path, env = toy_model
    result = run_cli("classify", str(seeds_dir), "--model", f"toy={path}", "--trust", str(path.parent), env=env)
    assert result.returncode == 0, result.stdout
    assert {r["toy"]["label"] for r in records(result.stdout)} <= {"w", "s"}


def test_tampered_untrusted_and_truncated_models_are_refused_with_the_file_named(toy_model, seeds_dir):
    path, env = toy_model
    untrusted = records(run_cli("classify", str(seeds_dir), "--model", f"toy={path}", env=env).stdout)
    assert all("untrusted folder" in r["errors"][0]["message"] for r in untrusted)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    tampered = run_cli("classify", str(seeds_dir), "--model", f"toy={path}", "--trust", str(path.parent), env=env)
    assert tampered.returncode == 1
    for record in records(tampered.stdout):
        message = record["errors"][0]["message"]
        assert str(path) in message and "does not match its manifest" in message
        assert "Traceback" not in message


# --- interruptions -------------------------------------------------------------

SLOW_BUT_STEADY = """
import time
from newsprism import Prediction, Processor, hookimpl

class Steady(Processor):
    name, stage, provides = "steady", "steady", ("steady",)

    def process_batch(self, docs):
        time.sleep(0.002 * len(docs))
        for doc in docs:
            doc.predictions["steady"] = Prediction(str(len(doc.raw)), 1.0)

@hookimpl
def newsprism_register_processors(register):
    register(Steady)
"""


@pytest.fixture()
def steady_corpus(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    with open(corpus, "w") as handle:
        for i in range(3000):
            handle.write(json.dumps({"id": f"doc-{i}", "text": f"Article {i}. " + "Words of the story. " * 20}) + "\n")
    site = tmp_path / "site"
    site.mkdir()
    env = {**make_plugin_site(site, {"steady": SLOW_BUT_STEADY}), "NEWSPRISM_LOAD_PLUGINS": "steady"}
    return corpus, tmp_path / "out.jsonl", env


def start_classify(corpus, output, env, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "newsprism", "classify", str(corpus), "--output", str(output), "--batch-size", "16",
         *extra],
        env={**os.environ, **env}, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for_records(output, at_least: int, process) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if output.exists() and output.read_bytes().count(b"\n") >= at_least:
            return
        assert process.poll() is None, "the run finished before it could be interrupted"
        time.sleep(0.05)
    pytest.fail("no output appeared")


def assert_complete(output, n=3000):
    data = output.read_bytes()
    assert data.endswith(b"\n"), "no torn last line"
    ids = [json.loads(line)["id"] for line in data.splitlines()]
    assert len(ids) == len(set(ids)) == n, "none duplicated, none lost"
    assert ids == [f"doc-{i}" for i in range(n)]


def test_sigkill_then_resume_ends_with_exactly_one_record_per_input(steady_corpus):
    corpus, output, env = steady_corpus
    process = start_classify(corpus, output, env)
    wait_for_records(output, 300, process)
    process.kill()
    process.wait()
    with open(output, "ab") as handle:
        handle.write(b'{"id": "doc-torn", "pa')  # as if the kill landed mid-write
    resumed = start_classify(corpus, output, env, "--resume")
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert "resuming after" in stderr
    assert_complete(output)


def test_sigint_stops_cleanly_and_says_how_to_resume(steady_corpus):
    corpus, output, env = steady_corpus
    process = start_classify(corpus, output, env)
    wait_for_records(output, 200, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "resume with:" in stderr and "--resume" in stderr
    assert output.read_bytes().endswith(b"\n")
    resumed = start_classify(corpus, output, env, "--resume")
    resumed.communicate(timeout=300)
    assert_complete(output)


def test_resume_against_other_inputs_is_refused(steady_corpus, tmp_path):
    corpus, output, env = steady_corpus
    output.write_text(json.dumps({"id": "something-else", "path": "x.txt"}) + "\n")
    result = run_cli("classify", str(corpus), "--output", str(output), "--resume", env=env)
    assert result.returncode == 2 and "resume with the same inputs" in result.stderr


# --- properties of the whole engine and readers ----------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payloads=st.lists(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode), min_size=1, max_size=4))
def test_any_bytes_in_one_parseable_record_out_per_document(tmp_path, payloads, engine):
    from newsprism.readers import InputReader

    paths = []
    for i, payload in enumerate(payloads):
        path = tmp_path / f"input-{i}.txt"
        path.write_bytes(payload)
        paths.append(str(path))
    documents = list(InputReader().read_all(paths))
    assert len(documents) == len(paths)
    out = [json.loads(json.dumps(d.to_record(include_text=True))) for d in engine.pipe(documents)]
    assert [r["path"] for r in out] == paths


@pytest.fixture(scope="module")
def engine():
    from newsprism import Engine

    return Engine()
