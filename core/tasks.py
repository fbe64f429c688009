"""Trainable tasks: what ``newsprism train`` and ``newsprism evaluate`` dispatch to.

A plugin registers a :class:`Task` through ``newsprism_register_tasks``. The
core supplies the shared pieces: labelled-data reading (:mod:`newsprism.data`),
saving and loading (:mod:`newsprism.modelstore`) and the evaluation report
(:func:`newsprism.evaluation.classification_report`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class TrainRequest:
    #: A labelled file in DESIGN.md's format, or the shared data folder (the task assembles its set).
    data: Path
    #: Folder the model and its manifest are saved to (default: the shipped models folder).
    out_dir: Path
    seed: int = 0
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class EvalRequest:
    data: Path
    #: Model file to evaluate; None means the shipped model of the task.
    model: Path | None = None
    #: Folders the user names as trusted, besides the shipped models folder.
    trusted: list[Path] = field(default_factory=list)
    #: Write a confusion-matrix PNG here, when set.
    plot: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Task:
    name: str
    help: str
    #: Trains, saves with :func:`newsprism.modelstore.save_model`, returns the manifest.
    train: Callable[[TrainRequest], dict[str, Any]]
    #: Returns a report: ``{"metrics": {...}, "per_class": {...}, "confusion": {...}, ...}``.
    evaluate: Callable[[EvalRequest], dict[str, Any]]

    @classmethod
    def from_module(cls, name: str, help: str, module: str) -> Task:
        """A task whose ``train``/``evaluate`` live in ``module``, imported only when called.

        Training code pulls in heavy libraries; registering the task must stay cheap for CLI start-up.
        """

        def call(function: str) -> Callable[[Any], dict[str, Any]]:
            def run(request: Any) -> dict[str, Any]:
                return getattr(importlib.import_module(module), function)(request)

            return run

        return cls(name=name, help=help, train=call("train"), evaluate=call("evaluate"))
