"""Shared fixtures: the seed corpus, and the shared data sets (skipped cleanly when absent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

from newsprism.data import find_shared_data

# CI runs must be reproducible: the same examples every run (developers still explore at random).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((SEEDS_DIR / "gold.json").read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; tests that need it skip with the reason when it is absent."""
    path = find_shared_data(PROJECT_ROOT)
    if path is None:
        pytest.skip("needs the shared data sets: ../shared/data beside the project (or $NEWSPRISM_DATA) is absent")
    return path
