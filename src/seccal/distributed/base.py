"""The executor interface: where model calls and judging run.

An :class:`Executor` supplies two things to the study runner:

``provider_factory(spec)``
    builds the :class:`~seccal.models.Provider` the driver's
    :class:`~seccal.models.Engine` calls. The engine stays on the driver, so
    its cache, in-flight deduplication, retries, rate limits and cost limit
    see every call of the run, wherever the call itself is executed.
``judge_stream(items, options)``
    judges ``(gen_id, task, code)`` items and yields finished verdicts in
    chunks as they complete; the caller (the only store writer) stores each
    chunk before asking for the next.

:class:`LocalExecutor` does both in this process; :class:`~seccal.distributed.RayExecutor`
spreads them over a Ray cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol

from seccal.core.task import Task
from seccal.errors import ConfigError
from seccal.models import ModelSpec, Provider, create_provider

if TYPE_CHECKING:
    from seccal.judge import Judge, JudgeConfig, Verdict

#: One snippet to judge: ``(generation id, task, code)``.
JudgeWork = tuple[str, Task, str]
#: A judged snippet: ``(generation id, verdict)``.
Judged = tuple[str, "Verdict"]


class Executor(Protocol):
    """Runs a study's model calls and judging somewhere (this process, a cluster)."""

    name: str

    def provider_factory(self, spec: ModelSpec) -> Provider:
        """The provider the driver's engine uses for ``spec``."""
        ...

    def judge_stream(
        self, items: Iterable[JudgeWork], options: Mapping[str, Any]
    ) -> Iterator[list[Judged]]:
        """Judge ``items``; yield finished ``(gen_id, verdict)`` chunks as they complete.

        ``options`` are :class:`seccal.judge.JudgeConfig` keyword arguments.
        Items whose judging failed for reasons of the infrastructure (not of the
        code) are not yielded: the caller leaves them for the next run.
        """
        ...

    @property
    def failed(self) -> int:
        """Items the last :meth:`judge_stream` gave up on (left unjudged)."""
        ...

    def close(self) -> None:
        """Release workers (idempotent)."""
        ...


def judge_config(options: Mapping[str, Any], **overrides: Any) -> JudgeConfig:
    """A :class:`~seccal.judge.JudgeConfig` from keyword options, validated.

    Raises
    ------
    ConfigError
        Naming the option that :class:`~seccal.judge.JudgeConfig` does not have.
    """
    from seccal.judge import JudgeConfig

    known = {f.name for f in fields(JudgeConfig)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ConfigError(f"judge option {unknown[0]!r} unknown; known: {', '.join(sorted(known))}")
    kwargs = dict(options)
    if "analyzers" in kwargs:
        kwargs["analyzers"] = tuple(kwargs["analyzers"])
    kwargs.update(overrides)
    return JudgeConfig(**kwargs)


def options_key(options: Mapping[str, Any]) -> str:
    """Hashable identity of judge options (one judge or pool per distinct options)."""
    return repr(sorted((k, repr(v)) for k, v in options.items()))


def chunked(items: Iterable[JudgeWork], size: int) -> Iterator[list[JudgeWork]]:
    """Consecutive lists of at most ``size`` items, consuming ``items`` lazily."""
    it = iter(items)
    while chunk := list(islice(it, max(1, size))):
        yield chunk


class LocalExecutor:
    """Runs everything in this process: providers from the registry, one :class:`Judge`.

    The judge is built once per distinct options (its sandbox probe and
    analyzer set-up are not repeated per batch).
    """

    name = "local"

    def __init__(self) -> None:
        self._judges: dict[str, Judge] = {}

    @property
    def failed(self) -> int:
        """Always 0: an in-process judge never loses a batch without raising."""
        return 0

    def provider_factory(self, spec: ModelSpec) -> Provider:
        """The registry's provider for ``spec``."""
        return create_provider(spec)

    def judge_stream(
        self, items: Iterable[JudgeWork], options: Mapping[str, Any]
    ) -> Iterator[list[Judged]]:
        """Judge ``items`` in groups of :meth:`~seccal.judge.Judge.judge_groups`, in order."""
        from seccal.judge import Judge, JudgeItem

        cfg = judge_config(options)
        key = options_key(options)
        judge = self._judges.get(key)
        if judge is None:
            judge = self._judges[key] = Judge(cfg)
        work = (JudgeItem(g, t, c) for g, t, c in items)
        for group, verdicts in judge.judge_groups(work):
            yield [(i.generation_id, v) for i, v in zip(group, verdicts, strict=True)]

    def close(self) -> None:
        """Drop the judges."""
        self._judges.clear()


def as_pairs(chunk: Sequence[JudgeWork], verdicts: Sequence[Verdict]) -> list[Judged]:
    """Pair each item's id with its verdict (same order, same length)."""
    return [(g, v) for (g, _, _), v in zip(chunk, verdicts, strict=True)]
