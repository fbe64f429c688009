"""Every hook is documented: a docstring in the hookspec and a section in docs/plugins.md."""

from __future__ import annotations

import inspect
from pathlib import Path

from newsprism import hookspecs

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def hook_names() -> list[str]:
    return [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("newsprism_")]


def test_there_are_hooks_to_document():
    assert len(hook_names()) >= 4


def test_every_hook_has_a_docstring_and_a_section_in_the_plugin_guide():
    guide = DOC.read_text(encoding="utf-8")
    for name in hook_names():
        assert inspect.getdoc(getattr(hookspecs, name)), f"{name} has no docstring"
        assert f"### {name}\n" in guide, f"{name} has no section in docs/plugins.md"
