"""The CLI defers ``scipy.stats``, ``numpy.f2py`` and ``numpy.testing`` (newsprism.startup): the same records, the
real package on first use, libraries untouched.

Each check runs in a fresh interpreter: what is imported is a property of the whole process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).parent.parent / "seeds" / "000_6e8e1cac3b659b8b.txt"


def _run(script: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


_CLASSIFY_SEED = """
import json, sys
import newsprism.startup
if {plain}:
    newsprism.startup.defer_imports = lambda: []
from newsprism.cli import main
sys.argv = ["newsprism", "classify", {seed!r}, "-o", {out!r}]
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({{"code": code, "deferred": newsprism.startup.deferred_packages(),
                  "stats_modules": sorted(m for m in sys.modules if m.startswith("scipy.stats."))}}))
"""


def test_classify_never_imports_scipy_stats_and_writes_the_same_record(tmp_path):
    deferred, plain = tmp_path / "deferred.jsonl", tmp_path / "plain.jsonl"
    result = _run(_CLASSIFY_SEED.format(plain=False, seed=str(SEED), out=str(deferred)))
    assert result == {"code": 0, "deferred": ["scipy.stats", "numpy.f2py", "numpy.testing"], "stats_modules": []}
    result = _run(_CLASSIFY_SEED.format(plain=True, seed=str(SEED), out=str(plain)))
    assert result["code"] == 0 and result["deferred"] == [] and "scipy.stats._stats_py" in result["stats_modules"]
    record = json.loads(deferred.read_text(encoding="utf-8"))
    assert record == json.loads(plain.read_text(encoding="utf-8"))
    assert record["source"]["publisher"] == "The Independent" and not record["errors"]


def test_names_imported_from_a_stand_in_attributes_and_submodules_reach_the_real_package():
    result = _run("""
import json, sys
from newsprism.startup import defer_imports, deferred_packages
assert defer_imports() == ["scipy.stats", "numpy.f2py", "numpy.testing"]
from scipy.stats import chi2, rankdata   # as scikit-learn does while it loads
still_deferred = deferred_packages()
ranks = rankdata([30, 10, 20]).tolist()   # first call: imports the real module
import scipy.stats
import scipy.stats._stats_py as stats_py
import numpy
numpy.testing.assert_equal(numpy.arange(3), [0, 1, 2])   # through numpy's attribute: the real numpy.testing
print(json.dumps({"still_deferred": still_deferred, "ranks": ranks, "chi2": round(float(chi2.ppf(0.5, 2)), 6),
                  "norm": float(scipy.stats.norm.cdf(0.0)), "deferred_after": deferred_packages(),
                  "one_copy": sys.modules["scipy.stats"].rankdata is stats_py.rankdata,
                  "real": [type(sys.modules[name]).__name__ for name in ("scipy.stats", "numpy.testing")]}))
""")
    assert result == {"still_deferred": ["scipy.stats", "numpy.f2py", "numpy.testing"], "ranks": [3.0, 1.0, 2.0],
                      "chi2": 1.386294, "norm": 0.5, "deferred_after": ["numpy.f2py"], "one_copy": True,
                      "real": ["module", "module"]}  # fmt: skip


def test_a_library_import_leaves_scipy_alone():
    result = _run("""
import json, sys
from newsprism import Engine
Engine().process("A short text.")   # every shipped model loaded and run
from newsprism.startup import deferred_packages
print(json.dumps({"deferred": deferred_packages(), "real": "scipy.stats._stats_py" in sys.modules}))
""")
    assert result == {"deferred": [], "real": True}
