"""Out-of-distribution experiments for docs/topic.md: train without one collection, test on all of it.

    python -m newsprism.plugins.topic.experiments ../shared/data fa-kes [--min-docs N] [--out DIR]

prints a JSON report: the model's held-out figures on the collections it saw, and class by class what it
predicts for the collection it never saw (true labels it cannot predict are under ``outside_model_classes``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from . import assemble as asm
from .train import evaluate, train


def out_of_distribution(root: Path, held_out_set: str, out_dir: Path, seed: int = 0,
                        min_docs: int | None = None) -> dict[str, Any]:
    """Train on every known set but ``held_out_set``; evaluate on the whole of ``held_out_set``."""
    from newsprism.tasks import EvalRequest, TrainRequest

    sets = [name for name in asm.SETS if name != held_out_set]
    options: dict[str, Any] = {"sets": sets}
    if min_docs is not None:
        options["min_docs"] = min_docs
    manifest = train(TrainRequest(data=Path(root), out_dir=Path(out_dir), seed=seed, options=options))
    report = evaluate(EvalRequest(data=Path(root) / held_out_set, model=Path(out_dir) / "topic.joblib",
                                  trusted=[Path(out_dir)]))
    return {
        "trained_on": sets,
        "classes": manifest["labels"],
        "too_little_data": manifest["too_little_data"],
        "in_distribution": {"split": manifest["metrics"]["split"], **manifest["metrics"],
                            "per_class": manifest["per_class"]},
        "out_of_distribution": report,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder")
    parser.add_argument("held_out_set", choices=asm.SETS)
    parser.add_argument("--min-docs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="keep the model here (default: a temp folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        result = out_of_distribution(args.data, args.held_out_set, out, args.seed, args.min_docs)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
