"""The Ray executor: model calls and judging spread over a Ray cluster.

Usage::

    with RayExecutor("auto") as ex:
        run_study(config, executor=ex)

The driver (the process running the study) stays the only writer of the run
store and of the response cache; workers receive requests and snippets and
return answers and verdicts, and never touch either file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from types import ModuleType, TracebackType
from typing import Any

from seccal.distributed.base import Judged, JudgeWork, judge_config, options_key
from seccal.distributed.cluster import cluster_cpus, connect, live_nodes
from seccal.distributed.judge_pool import RayJudgePool
from seccal.distributed.providers import RayProvider
from seccal.models import ModelSpec, Provider

log = logging.getLogger(__name__)


class RayExecutor:
    """Runs a study's model calls and judging on a Ray cluster.

    Parameters
    ----------
    address:
        ``auto`` or the head node's ``HOST:PORT`` (see :func:`~seccal.distributed.cluster.connect`).
        Ignored when Ray is already initialised in this process.
    judge_actors:
        Judge actors (default: one per cluster CPU, ``cpus_per_judge`` each).
    cpus_per_judge:
        CPUs each judge actor reserves.
    provider_actors:
        Actors per model (default: one per live node).
    cpus_per_provider:
        CPUs each provider actor reserves (0 suits HTTP APIs; give a local
        GGUF model 1 or more).
    window:
        Judge chunks in flight at once (default: two per judge actor).
    max_attempts:
        Tries per judge chunk before its snippets are left for the next run.
    """

    name = "ray"

    def __init__(
        self,
        address: str = "auto",
        *,
        judge_actors: int | None = None,
        cpus_per_judge: float = 1.0,
        provider_actors: int | None = None,
        cpus_per_provider: float = 0.0,
        window: int | None = None,
        max_attempts: int = 3,
    ) -> None:
        self.address = address
        self._judge_actors = judge_actors
        self._cpus_per_judge = cpus_per_judge
        self._provider_actors = provider_actors
        self._cpus_per_provider = cpus_per_provider
        self._window = window
        self._max_attempts = max_attempts
        self._ray: ModuleType | None = None
        self._owns_connection = False
        self._pools: dict[str, RayJudgePool] = {}
        self._providers: list[RayProvider] = []
        self._failed = 0

    # -- connection ---------------------------------------------------------------------

    @property
    def ray(self) -> ModuleType:
        """The connected ``ray`` module (connects on first use)."""
        if self._ray is None:
            self._ray, self._owns_connection = connect(self.address)
        return self._ray

    def __enter__(self) -> RayExecutor:
        _ = self.ray
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- models -------------------------------------------------------------------------

    def provider_factory(self, spec: ModelSpec) -> Provider:
        """A :class:`RayProvider` for ``spec`` (actors started now)."""
        actors = self._provider_actors or live_nodes(self.ray)
        actors = min(actors, max(1, spec.limits.concurrency))
        provider = RayProvider(
            self.ray, spec, actors=actors, cpus_per_actor=self._cpus_per_provider
        )
        self._providers.append(provider)
        return provider

    # -- judging ------------------------------------------------------------------------

    @property
    def failed(self) -> int:
        """Snippets the last :meth:`judge_stream` left unjudged."""
        return self._failed

    def pool(self, options: Mapping[str, Any]) -> RayJudgePool:
        """The judge pool for ``options`` (started on first use, then reused).

        One pool at a time: a pool for other options replaces the current one,
        whose actors would otherwise hold the CPUs the new actors need.
        """
        key = options_key(options)
        pool = self._pools.get(key)
        if pool is None:
            for old in self._pools.values():
                old.close()
            self._pools.clear()
            n = self._judge_actors or max(1, int(cluster_cpus(self.ray) // self._cpus_per_judge))
            pool = RayJudgePool(
                self.ray,
                options,
                actors=n,
                cpus_per_actor=self._cpus_per_judge,
                window=self._window,
                max_attempts=self._max_attempts,
            )
            self._pools[key] = pool
            log.info("started %d judge actors", n)
        return pool

    def judge_stream(
        self, items: Iterable[JudgeWork], options: Mapping[str, Any]
    ) -> Iterator[list[Judged]]:
        """Judge ``items`` on the pool; yield chunks of ``options["batch_size"]`` as they finish."""
        pool = self.pool(options)
        chunk_size = judge_config(options).batch_size
        self._failed = 0
        try:
            yield from pool.stream(items, chunk_size)
        finally:
            self._failed = pool.failed

    # -- shutdown -----------------------------------------------------------------------

    def close(self) -> None:
        """Stop every actor and disconnect when this executor connected."""
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
        for provider in self._providers:
            provider.close()
        self._providers.clear()
        if self._ray is not None and self._owns_connection:
            self._ray.shutdown()
        self._ray = None
        self._owns_connection = False
