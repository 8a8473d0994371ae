"""Judge backends: one per :data:`~seccal.core.task.TaskKind`, found through one registry.

:class:`seccal.judge.Judge` is the one judge interface. It judges ``snippet`` tasks
itself (pytest files in the sandbox plus the analyzers) and hands every other kind to
the backend registered for it, the way model providers are registered: a decorator
(:func:`register_backend`) plus a table of shipped backends imported lazily by dotted
path, so importing the judge never imports a toolchain's adapter, and a backend whose
dependencies are missing fails with a message naming them.

A backend is any object with ``judge_many(items) -> list[Verdict]`` (same order, never
raising for bad code) and ``judge_static(items)`` (the static label alone, for measuring
it on reference code); its factory takes the study's :class:`JudgeConfig`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from seccal.core.task import TASK_KINDS, Task, TaskKind
from seccal.core.verdict import Verdict
from seccal.errors import ConfigError
from seccal.judge.config import JudgeConfig


@dataclass(frozen=True, slots=True)
class JudgeItem:
    """A generated snippet to judge against its task."""

    generation_id: str
    task: Task
    code: str


class Backend(Protocol):
    """Judges items of one task kind."""

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Verdicts in the order of ``items``; bad code gives a verdict, never an error."""
        ...

    def judge_static(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Verdicts with only the ``static`` label measured (nothing is built or run)."""
        ...


BackendFactory = Callable[[JudgeConfig], Backend]

#: Backends shipped with seccal: kind -> ``module:attribute`` of a factory.
_SHIPPED: dict[str, str] = {
    "repository": "seccal.repo.backend:RepositoryBackend",
    "cweval_native": "seccal.repo.cweval_native:CwevalNativeBackend",
    "container": "seccal.repo.aicgseceval_judge:ContainerBackend",
}
_REGISTERED: dict[str, BackendFactory] = {}


def register_backend(kind: TaskKind) -> Callable[[BackendFactory], BackendFactory]:
    """Decorator registering the backend factory that judges tasks of ``kind``.

    Examples
    --------
    >>> saved = dict(_REGISTERED)
    >>> @register_backend("container")
    ... class _Doc:
    ...     def __init__(self, config): ...
    ...     def judge_many(self, items): return []
    ...     def judge_static(self, items): return []
    >>> backend_for("container", JudgeConfig()).judge_many([])
    []
    >>> _REGISTERED.clear(); _REGISTERED.update(saved)  # the shipped backend again
    """
    if kind not in TASK_KINDS:
        raise ValueError(f"unknown task kind {kind!r}; known: {', '.join(TASK_KINDS)}")

    def decorate(factory: BackendFactory) -> BackendFactory:
        _REGISTERED[kind] = factory
        return factory

    return decorate


def backend_for(kind: str, config: JudgeConfig) -> Backend:
    """A new backend for ``kind`` (the shipped one is imported on first use).

    Raises
    ------
    ConfigError
        No backend judges ``kind`` here, or its module cannot be imported.
    """
    if kind not in _REGISTERED and kind in _SHIPPED:
        module_name = _SHIPPED[kind].partition(":")[0]
        try:
            importlib.import_module(module_name)  # registers itself
        except ImportError as exc:
            raise ConfigError(
                f"the judge backend for {kind!r} tasks cannot be imported: {exc}"
            ) from exc
    factory = _REGISTERED.get(kind)
    if factory is None:
        known = ", ".join(sorted({"snippet", *_SHIPPED, *_REGISTERED}))
        raise ConfigError(f"no judge backend for tasks of kind {kind!r} (judged here: {known})")
    return factory(config)
