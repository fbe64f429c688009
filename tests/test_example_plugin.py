"""The example third-party plugin, installed with pip, is discovered, ordered and run like a built-in."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
from clirunner import PROJECT_ROOT, records, run_cli

EXAMPLE = PROJECT_ROOT / "examples" / "newsprism-dateline"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """pip-install the example package into a private folder, as a user would install a plugin."""
    target = tmp_path_factory.mktemp("dateline-site")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(EXAMPLE)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail(f"pip could not install the example plugin:\n{result.stderr}")
    return target


def test_pip_installed_plugin_is_listed(installed):
    table = {p["name"]: p for p in json.loads(run_cli("plugins", "--json", env={"PYTHONPATH": str(installed)}).stdout)}
    assert table["dateline"]["status"] == "loaded"
    assert (table["dateline"]["package"], table["dateline"]["version"]) == ("newsprism-dateline", "0.1.0")
    assert table["dateline"]["processors"][0]["stage"] == "dateline"


def test_plugin_runs_after_the_built_in_stages_on_the_clean_body(installed, seeds_dir):
    result = run_cli("classify", str(seeds_dir), env={"PYTHONPATH": str(installed)})
    by_id = {r["id"]: r for r in records(result.stdout)}
    assert by_id["001_28a1ef02925c1bcd"]["dateline"]["places"] == ["Aleppo"]
    assert by_id["004_f5093dfa6d855a6c"]["dateline"]["places"] == ["Moscow", "Beirut"]
    assert all(not r["errors"] for r in by_id.values()), [r["errors"] for r in by_id.values()]


def test_plugin_requirement_is_checked_before_reading(installed):
    result = run_cli("classify", "no-such-input.txt", "--only", "dateline", env={"PYTHONPATH": str(installed)})
    assert result.returncode == 2
    assert "requires text" in result.stderr


def test_library_engine_discovers_and_orders_it(installed, monkeypatch):
    monkeypatch.syspath_prepend(str(installed))
    importlib.invalidate_caches()
    from newsprism import Engine

    stages = [p["stage"] for p in Engine().analyze()]
    assert stages[-1] == "dateline" and stages.index("dateline") > stages.index("clean")
