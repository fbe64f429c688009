"""newsprism: clean, source, topic and stance for news articles, with pluggy plugins."""

from __future__ import annotations

__version__ = "0.1.0"

from newsprism.document import STAGES, Document, PluginError, Prediction, RemovedLine
from newsprism.hookspecs import PLUGIN_API_VERSION, hookimpl
from newsprism.processors import Processor

__all__ = [
    "PLUGIN_API_VERSION",
    "STAGES",
    "Document",
    "Engine",
    "PluginError",
    "Prediction",
    "Processor",
    "RemovedLine",
    "__version__",
    "hookimpl",
]


def __getattr__(name: str):
    # The engine pulls in plugin discovery; import it only when asked for.
    if name == "Engine":
        from newsprism.engine import Engine

        return Engine
    raise AttributeError(name)
