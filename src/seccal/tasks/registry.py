"""Registry of task suites: ``load_suite("builtin")``, ``load_suite("sallm:/path")``.

A suite loader is a function ``(path: Path | None) -> list[Task]`` registered
under a name with :func:`register_suite`. A suite spec is ``NAME`` or
``NAME:PATH``; the path (a folder or a file, depending on the suite) overrides
the loader's default location. Loaders of the suites shipped with seccal live
in modules imported lazily on first use, so importing the registry is cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from seccal.core.task import Task
from seccal.errors import ConfigError


class SuiteLoader(Protocol):
    """Loads every task of one suite, optionally from a user-given path."""

    def __call__(self, path: Path | None) -> list[Task]: ...


_LOADERS: dict[str, SuiteLoader] = {}
_HELP: dict[str, str] = {}

# Modules whose import registers the suites shipped with seccal.
_SHIPPED_MODULES = (
    "seccal.tasks.builtin_suite",
    "seccal.tasks.sallm",
    "seccal.tasks.securityeval",
    "seccal.tasks.cweval",
    "seccal.repo.bridge",
    "seccal.repo.cweval_native",
    "seccal.repo.realrepo.suite",
    "seccal.repo.aicgseceval_suite",
)
_shipped_loaded = False


def register_suite(name: str, *, help: str = "") -> Callable[[SuiteLoader], SuiteLoader]:
    """Decorator registering a suite loader under ``name``.

    Parameters
    ----------
    name:
        Suite name used in specs (``name`` or ``name:path``); lowercase, no ``:``.
    help:
        One line shown by ``seccal tasks list`` when the suite is unknown.

    Examples
    --------
    >>> @register_suite("doc-example", help="an empty suite")
    ... def _load(path):
    ...     return []
    >>> load_suite("doc-example")
    []
    """
    if not name or ":" in name or name != name.lower():
        raise ValueError(f"invalid suite name {name!r}: lowercase, no ':'")

    def decorate(loader: SuiteLoader) -> SuiteLoader:
        _LOADERS[name] = loader
        _HELP[name] = help
        return loader

    return decorate


def _ensure_shipped() -> None:
    global _shipped_loaded
    if not _shipped_loaded:
        _shipped_loaded = True
        for module in _SHIPPED_MODULES:
            importlib.import_module(module)


def known_suites() -> dict[str, str]:
    """Registered suite names mapped to their one-line help, sorted by name."""
    _ensure_shipped()
    return {name: _HELP[name] for name in sorted(_LOADERS)}


def parse_suite_spec(spec: str) -> tuple[str, Path | None]:
    """Split ``NAME[:PATH]`` into the suite name and optional path.

    Examples
    --------
    >>> parse_suite_spec("sallm:/data/sallm")
    ('sallm', PosixPath('/data/sallm'))
    >>> parse_suite_spec("builtin")
    ('builtin', None)
    """
    name, sep, rest = spec.strip().partition(":")
    name = name.strip().lower()
    if not name:
        raise ConfigError(f"empty suite name in spec {spec!r}; expected NAME or NAME:PATH")
    if sep and not rest.strip():
        raise ConfigError(f"suite spec {spec!r} has ':' but no path after it")
    return name, (Path(rest.strip()).expanduser() if sep else None)


def load_suite(spec: str) -> list[Task]:
    """Load every task of the suite named by ``spec`` (``NAME`` or ``NAME:PATH``).

    Raises
    ------
    ConfigError
        When the suite name is unknown (the message lists the known ones) or
        the suite's data cannot be found.
    InputError
        When the suite's files are malformed (the message names file and field).
    """
    name, path = parse_suite_spec(spec)
    _ensure_shipped()
    loader = _LOADERS.get(name)
    if loader is None:
        known = ", ".join(sorted(_LOADERS))
        raise ConfigError(f"unknown suite {name!r}; known suites: {known}")
    return loader(path)


def get_task(spec: str, task_id: str) -> Task:
    """One task of a suite by id; :class:`ConfigError` naming close ids otherwise."""
    tasks = load_suite(spec)
    for task in tasks:
        if task.id == task_id:
            return task
    import difflib

    close = difflib.get_close_matches(task_id, [t.id for t in tasks], n=5)
    hint = f"; did you mean: {', '.join(close)}" if close else ""
    raise ConfigError(f"no task {task_id!r} in suite {spec!r} ({len(tasks)} tasks){hint}")
