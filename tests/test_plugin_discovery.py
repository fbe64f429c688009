"""Real entry-point discovery: good, broken and badly-registering plugins, allowlists and blocking."""

from __future__ import annotations

import json

import pytest
from clirunner import records, run_cli
from fake_site import make_plugin_site

GOOD = '''
from newsprism import Prediction, Processor, hookimpl

class Shout(Processor):
    name, stage, provides = "shout", "shout", ("shout",)

    def process_batch(self, docs):
        for doc in docs:
            doc.predictions["shout"] = Prediction(label=doc.body.split()[0].upper() if doc.body.split() else None)

@hookimpl
def newsprism_register_processors(register):
    register(Shout)

@hookimpl
def newsprism_register_commands(app):
    @app.command(name="hello")
    def hello():
        """Say hello from a plugin."""
        print("hello from good_plugin")
'''


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory):
    """Three plugins, declared through a real dist-info: one good, one that fails to import, one that misregisters."""
    return make_plugin_site(
        tmp_path_factory.mktemp("site"),
        {
            "good": GOOD,
            "broken": "raise ImportError('needs a library that is not installed')\n",
            "bad": "from newsprism import hookimpl\n\n@hookimpl\ndef newsprism_register_processors(register):\n"
            "    register(object)\n",
        },
    )


def plugin_table(env: dict) -> dict[str, dict]:
    result = run_cli("plugins", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return {p["name"]: p for p in json.loads(result.stdout)}


def test_plugins_are_listed_with_status_and_failures_do_not_break_the_cli(plugin_site):
    table = plugin_table(plugin_site)
    assert table["good"]["status"] == "loaded"
    assert table["good"]["package"] == "fake-plugins" and table["good"]["version"] == "0.1"
    assert table["good"]["processors"] == [{"name": "shout", "stage": "shout", "version": "0"}]
    assert table["broken"]["status"] == "failed"
    assert "needs a library that is not installed" in table["broken"]["error"]
    assert table["bad"]["status"] == "failed" and "not a newsprism.Processor" in table["bad"]["error"]
    for builtin in ("clean", "source", "topic", "stance"):
        assert table[builtin]["package"] == "newsprism", "built-ins come through the same entry points"


def test_a_discovered_plugin_runs_and_adds_its_command(plugin_site, seeds_dir):
    result = run_cli("classify", str(seeds_dir / "000_6e8e1cac3b659b8b.txt"), "--only", "shout", env=plugin_site)
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert record["shout"]["label"] == "CESSATION"
    assert record["shout"]["provenance"]["plugin"] == "shout"
    assert run_cli("hello", env=plugin_site).stdout.strip() == "hello from good_plugin"


def test_allowlist_and_blocklist_environment_variables(plugin_site):
    only_good = plugin_table({**plugin_site, "NEWSPRISM_LOAD_PLUGINS": "good"})
    assert only_good["good"]["status"] == "loaded"
    assert {only_good[n]["status"] for n in ("broken", "bad", "clean", "topic")} == {"disabled"}
    blocked = plugin_table({**plugin_site, "NEWSPRISM_DISABLE_PLUGINS": "good,broken"})
    assert blocked["good"]["status"] == blocked["broken"]["status"] == "disabled"


def test_autoloading_off_still_yields_one_record_per_document(plugin_site, seeds_dir):
    result = run_cli("classify", str(seeds_dir), env={**plugin_site, "NEWSPRISM_LOAD_PLUGINS": ""})
    assert result.returncode == 0, result.stderr
    out = records(result.stdout)
    assert len(out) == 5
    assert all(set(r) == {"id", "path", "title", "clean", "errors"} for r in out)
