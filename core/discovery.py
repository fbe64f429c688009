"""Plugin discovery: entry points in the ``newsprism`` group, each loaded on its own.

A plugin whose import fails is recorded as ``failed`` and never takes the CLI
down. Autoloading is controlled by environment variables:

- ``NEWSPRISM_LOAD_PLUGINS``: unset loads every plugin; an empty value loads
  none; ``a,b`` loads only those entry-point names (an allowlist).
- ``NEWSPRISM_DISABLE_PLUGINS``: ``a,b`` blocks those plugins.

Built-in plugins go through exactly the same path as third-party ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from types import ModuleType
from typing import Any

import pluggy

from newsprism import hookspecs
from newsprism.processors import Processor
from newsprism.tasks import Task

LOAD_ENV = "NEWSPRISM_LOAD_PLUGINS"
DISABLE_ENV = "NEWSPRISM_DISABLE_PLUGINS"
ENTRY_POINT_GROUP = "newsprism"


@dataclass
class PluginInfo:
    """What ``newsprism plugins`` reports for one plugin."""

    name: str
    package: str | None = None
    version: str | None = None
    status: str = "loaded"  # loaded | disabled | failed
    error: str | None = None
    processors: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """Everything the loaded plugins registered, keyed by name, with the plugin that owns it."""

    processors: dict[str, type[Processor]] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    readers: list[Any] = field(default_factory=list)
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    manager: pluggy.PluginManager | None = None
    distributions: dict[str, Any] = field(default_factory=dict)

    def describe_packages(self) -> Registry:
        """Fill each plugin's package and version from its distribution's metadata.

        Not done while loading: parsing the metadata costs a few ms per plugin, and only
        ``newsprism plugins`` shows it.
        """
        for name, dist in self.distributions.items():
            info = self.plugins[name]
            info.package, info.version = dist.metadata["Name"], dist.version
        return self


def _env_names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def new_plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def load_entry_points(manager: pluggy.PluginManager, registry: Registry, disable: Iterable[str] = ()) -> None:
    """Register every allowed entry point with ``manager``; failures are recorded, not raised."""
    allow = _env_names(LOAD_ENV)
    blocked = set(disable) | (_env_names(DISABLE_ENV) or set())
    for entry_point in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        info = PluginInfo(entry_point.name)
        registry.plugins[entry_point.name] = info
        if getattr(entry_point, "dist", None) is not None:
            registry.distributions[entry_point.name] = entry_point.dist
        if (allow is not None and entry_point.name not in allow) or entry_point.name in blocked:
            info.status = "disabled"
            manager.set_blocked(entry_point.name)
            continue
        try:
            manager.register(entry_point.load(), name=entry_point.name)
        except Exception as exc:  # a broken plugin is reported, never fatal
            info.status, info.error = "failed", f"{type(exc).__name__}: {exc}"


def collect(manager: pluggy.PluginManager, registry: Registry) -> Registry:
    """Call each plugin's registration hooks one implementation at a time, so one failure stays contained."""
    for plugin_name, plugin in manager.list_name_plugin():
        if plugin is not None:
            registry.plugins.setdefault(plugin_name, PluginInfo(plugin_name, _module_name(plugin)))
    adders = {
        "newsprism_register_processors": _add_processor,
        "newsprism_register_tasks": _add_task,
        "newsprism_register_readers": _add_reader,
    }
    for hook_name, add in adders.items():
        for impl in getattr(manager.hook, hook_name).get_hookimpls():
            info = registry.plugins[impl.plugin_name]
            if info.status == "failed":
                continue
            try:
                # Pass only the arguments the implementation asks for (pluggy's opt-in arguments).
                arguments = {"register": lambda item, info=info, add=add: add(registry, info, item)}
                impl.function(*[arguments[name] for name in impl.argnames])
            except Exception as exc:
                _fail(registry, info, exc)
    return registry


def _fail(registry: Registry, info: PluginInfo, exc: Exception) -> None:
    info.status, info.error = "failed", f"{type(exc).__name__}: {exc}"
    for name in [n for n, owner in registry.owner.items() if owner == info.name]:
        registry.processors.pop(name, None)
        registry.owner.pop(name)
    for name in info.tasks:
        registry.tasks.pop(name, None)
    registry.readers = [r for r in registry.readers if r.name not in info.readers]
    info.processors.clear()


def _module_name(plugin: Any) -> str | None:
    return plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__


def _add_processor(registry: Registry, info: PluginInfo, cls: type[Processor]) -> None:
    missing = [attr for attr in ("name", "stage") if not getattr(cls, attr, None)]
    if not (isinstance(cls, type) and issubclass(cls, Processor)) or missing:
        raise TypeError(f"{cls!r} is not a newsprism.Processor subclass with a name and a stage")
    if cls.name in registry.processors:
        raise ValueError(f"processor name {cls.name!r} is already registered by plugin {registry.owner[cls.name]!r}")
    registry.processors[cls.name] = cls
    registry.owner[cls.name] = info.name
    info.processors.append({"name": cls.name, "stage": cls.stage, "version": cls.version})


def _add_task(registry: Registry, info: PluginInfo, task: Task) -> None:
    registry.tasks[task.name] = task
    info.tasks.append(task.name)


def _add_reader(registry: Registry, info: PluginInfo, reader: Any) -> None:
    registry.readers.append(reader)
    info.readers.append(reader.name)


def discover(disable: Iterable[str] = (), extra_plugins: Iterable[Any] = ()) -> Registry:
    """Load entry-point plugins (and ``extra_plugins`` objects) and collect what they register."""
    registry = Registry()
    manager = new_plugin_manager()
    load_entry_points(manager, registry, disable)
    for plugin in extra_plugins:
        manager.register(plugin)
    registry.manager = manager
    return collect(manager, registry)


def register_commands(registry: Registry, app: Any) -> None:
    """Let plugins add CLI commands; a plugin that fails here is marked failed, the CLI goes on."""
    if registry.manager is None:
        return
    for impl in registry.manager.hook.newsprism_register_commands.get_hookimpls():
        try:
            impl.function(*[{"app": app}[name] for name in impl.argnames])
        except Exception as exc:
            _fail(registry, registry.plugins[impl.plugin_name], exc)
