"""Build a folder of plugin modules plus the dist-info that declares their entry points.

Put the folder on PYTHONPATH and importlib.metadata discovers the plugins for
real, exactly as if a package had been pip-installed.
"""

from __future__ import annotations

from pathlib import Path


def make_plugin_site(folder: Path, modules: dict[str, str], package: str = "fake-plugins") -> dict[str, str]:
    """Write ``modules`` (entry-point name -> module source) and return the env that activates them."""
    lines = ["[newsprism]"]
    for name, source in modules.items():
        (folder / f"{name}_plugin.py").write_text(source, encoding="utf-8")
        lines.append(f"{name} = {name}_plugin")
    dist = folder / f"{package.replace('-', '_')}-0.1.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n")
    return {"PYTHONPATH": str(folder)}
