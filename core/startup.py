"""Start-up and exit work the command line skips; the biggest is importing ``scipy.stats`` before anything needs it.

scikit-learn imports ``scipy.stats`` while it loads (``sklearn.utils.fixes``, ``from scipy.stats import rankdata``
in ``sklearn.metrics``), and SciPy 1.17 parses and builds the docstrings of every statistics function and
distribution at that import (scipy#22510): about 0.5 s, a quarter of ``newsprism classify`` on one file. SciPy's
array-API layer also reads every attribute of ``numpy`` (``dir(numpy)``), which imports ``numpy.f2py`` (the
Fortran wrapper generator, with charset-normalizer under it) and ``numpy.testing``: another 0.05-0.1 s. The
shipped models use none of these while predicting.

:func:`defer_imports` puts a stand-in package in ``sys.modules`` for each package of :data:`DEFERRED`. The real
package is imported the first time an attribute is read from its stand-in, except for the names scikit-learn imports
from it while it loads (``from scipy.stats import chi2``): those get a stand-in that imports the real package when
it is first called or read (``chi2.ppf``). A stand-in has the real package's ``__path__``, so a direct import of a
submodule (``scipy.stats._stats_py``) loads that submodule once, as usual. Any name not listed here imports the real
package, so a scikit-learn that imports more is only slower, never wrong.

``scipy.optimize`` (0.1-0.2 s) is not deferred: ``scipy.interpolate`` and ``scipy.integrate``, which
scikit-learn also imports, read classes from it while they load, so its real import would happen anyway.

The garbage collector is the other cost (:func:`collect_garbage_less_often`, :func:`skip_collections_at_exit`).

Only ``newsprism.cli.main`` calls these: a program that imports newsprism as a library gets SciPy and the
garbage collector untouched.
"""

from __future__ import annotations

import functools
import gc
import importlib
import importlib.util
import sys
import types
from typing import Any

#: Package -> the names scikit-learn 1.9 imports from it by name while it loads.
DEFERRED: dict[str, frozenset[str]] = {
    "scipy.stats": frozenset({"rankdata", "gmean", "chi2", "spearmanr"}),
    "numpy.f2py": frozenset(),
    "numpy.testing": frozenset(),
}


class _DeferredPackage(types.ModuleType):
    """Stands in for a package until one of its attributes is needed."""

    def __getattr__(self, name: str) -> Any:
        if name in DEFERRED[self.__name__]:
            return _forwarder(self.__name__, name)
        return getattr(_real(self.__name__), name)


class _Forward:
    """A name imported from a stand-in: calling it, or reading one of its attributes, uses the real object."""

    __slots__ = ("_package", "_name")

    def __init__(self, package: str, name: str) -> None:
        self._package, self._name = package, name

    def _target(self) -> Any:
        return getattr(_real(self._package), self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._target(), attribute)

    def __repr__(self) -> str:
        return f"<{self._package}.{self._name}, imported on first use>"


@functools.cache
def _forwarder(package: str, name: str) -> _Forward:
    return _Forward(package, name)


def _real(package: str) -> types.ModuleType:
    """The real package, imported in place of its stand-in the first time it is needed."""
    module = sys.modules.get(package)
    if isinstance(module, _DeferredPackage):
        stand_in = sys.modules.pop(package)
        try:
            module = importlib.import_module(package)
        except BaseException:
            sys.modules[package] = stand_in  # leave things as they were; the caller sees the error
            raise
    return module


def defer_imports() -> list[str]:
    """Put a stand-in in place for each package of :data:`DEFERRED` not imported yet; return the deferred ones."""
    return [package for package in DEFERRED if _defer(package)]


def _defer(package: str) -> bool:
    if isinstance(sys.modules.get(package), _DeferredPackage):
        return True
    if package in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(package)  # imports the parent package (``scipy`` is light) only
    except ImportError:
        return False
    if spec is None or spec.submodule_search_locations is None:
        return False
    stand_in = _DeferredPackage(package, f"Stand-in for {package}: the real package is imported on first use.")
    stand_in.__path__ = list(spec.submodule_search_locations)
    stand_in.__spec__, stand_in.__file__, stand_in.__package__ = spec, spec.origin, package
    sys.modules[package] = stand_in
    parent, _, child = package.rpartition(".")
    setattr(sys.modules[parent], child, stand_in)  # else numpy's own lazy ``__getattr__`` would import it
    return True


def deferred_packages() -> list[str]:
    """The packages whose stand-in is still in place (their real import has not been needed yet)."""
    return [package for package in DEFERRED if isinstance(sys.modules.get(package), _DeferredPackage)]


def collect_garbage_less_often() -> None:
    """Importing scikit-learn and unpickling the models create about 100,000 long-lived objects; with Python's
    default thresholds (700, 10, 10) the collector walks them again and again: about 0.3 s of a one-file run, now
    0.1 s. Cyclic garbage still goes, just in larger batches (mypy's command line does the same)."""
    gc.set_threshold(50_000, 20, 20)


def skip_collections_at_exit() -> None:
    """Python's shutdown runs full collections over every module and model object (0.3-0.6 s of a one-file run);
    they skip frozen objects, and the operating system reclaims the memory at exit anyway."""
    gc.freeze()
