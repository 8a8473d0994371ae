"""Judging on a Ray cluster: a pool of judge actors fed through a bounded window.

Each :class:`JudgeWorker` actor builds one :class:`~seccal.judge.Judge` when it
starts (sandbox probe, analyzers), then judges chunk after chunk. The driver
keeps at most ``window`` chunks in flight (``ray.wait``), so memory stays
bounded however many snippets a run has, and it yields each finished chunk at
once so the store writer can persist it before more work is handed out.

A chunk whose actor dies (its node is lost, the process is killed) is handed
to another live actor and the dead one is replaced; a chunk whose judging
raised (a harness bug, a full disk) is tried again. After ``max_attempts``
failures a chunk is given up and its items are left unjudged for the next run.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from seccal.distributed.base import Judged, JudgeWork, as_pairs, chunked, judge_config
from seccal.distributed.cluster import error_line

if TYPE_CHECKING:
    from seccal.judge import Judge

log = logging.getLogger(__name__)

#: Judge actor ``n`` uses sandbox uid ``uid_base + UID_OFFSET + n``, so actors never share a
#: uid with a local judge or with each other: a sandbox kills every process of its uid
#: after each run.
UID_OFFSET = 100


class JudgeWorker:
    """Actor body: one judge, built once, judging chunks (wrapped by ``ray.remote``).

    Parameters
    ----------
    options:
        :class:`~seccal.judge.JudgeConfig` keyword arguments; defaults not given
        (sandbox environment, work dir) are this worker's own.
    slot:
        The actor's index in its pool: picks its sandbox uids.
    """

    def __init__(self, options: Mapping[str, Any], slot: int) -> None:
        from seccal.judge import Judge

        # A chunk is one batch, judged in one sandbox: a second judge worker would idle.
        cfg = judge_config(options, workers=1)
        cfg = replace(cfg, uid_base=cfg.uid_base + UID_OFFSET + slot)
        self.judge: Judge = Judge(cfg)
        self.slot = slot

    def info(self) -> dict[str, Any]:
        """Where this actor runs and how strongly it isolates code."""
        return {"pid": os.getpid(), "slot": self.slot, "isolation": self.judge.isolation}

    def judge_chunk(self, chunk: list[JudgeWork]) -> list[Judged]:
        """Judge one chunk; verdicts in the chunk's order."""
        from seccal.judge import JudgeItem

        verdicts = self.judge.judge_many([JudgeItem(g, t, c) for g, t, c in chunk])
        return as_pairs(chunk, verdicts)


@dataclass(slots=True)
class _InFlight:
    chunk: list[JudgeWork]
    slot: int
    attempt: int


class RayJudgePool:
    """A pool of :class:`JudgeWorker` actors spread over the cluster.

    Work goes only to actors that have started (built their judge). An actor
    that dies is dropped and a replacement is requested at once; it joins when
    Ray can place it (a CPU frees up, a node comes back), so work never waits
    on an actor that cannot run.

    Parameters
    ----------
    ray:
        The connected ``ray`` module.
    options:
        Judge options (:class:`~seccal.judge.JudgeConfig` keyword arguments).
    actors:
        Pool size.
    cpus_per_actor:
        CPUs each actor reserves (one judge runs one sandbox at a time).
    window:
        Chunks in flight at once (default two per actor: one running, one queued).
    max_attempts:
        Tries per chunk before its items are left unjudged.
    start_timeout_s:
        How long to wait with no live actor at all before giving up.
    """

    def __init__(
        self,
        ray: ModuleType,
        options: Mapping[str, Any],
        *,
        actors: int,
        cpus_per_actor: float = 1.0,
        window: int | None = None,
        max_attempts: int = 3,
        start_timeout_s: float = 600.0,
    ) -> None:
        judge_config(options)  # fail on the driver, before any actor starts
        self._ray = ray
        self.options = dict(options)
        self.window = window or 2 * actors
        self.max_attempts = max_attempts
        self.start_timeout_s = start_timeout_s
        self.failed = 0
        self.replaced = 0
        self._remote = ray.remote(JudgeWorker).options(
            num_cpus=cpus_per_actor,
            max_restarts=0,  # a dead actor is replaced by the pool, not restarted blindly
            max_task_retries=0,  # its chunks are re-sent by the pool to a live actor
            scheduling_strategy="SPREAD",
        )
        self._next_slot = 0
        self._actors: dict[int, Any] = {}  # slot -> handle, started and serving
        self._load: dict[int, int] = {}
        self._starting: dict[Any, tuple[int, Any]] = {}  # info ref -> (slot, handle)
        self.infos: dict[int, dict[str, Any]] = {}
        for _ in range(max(1, actors)):
            self._start_actor()

    @property
    def size(self) -> int:
        """Actors serving now."""
        return len(self._actors)

    def _start_actor(self) -> None:
        slot = self._next_slot
        self._next_slot += 1
        handle = self._remote.remote(self.options, slot)
        self._starting[handle.info.remote()] = (slot, handle)

    def _promote(self, ref: Any) -> None:
        slot, handle = self._starting.pop(ref)
        try:
            self.infos[slot] = self._ray.get(ref)
        except Exception as exc:  # the judge could not be built there
            log.warning("judge worker %d failed to start: %s", slot, error_line(exc))
            self._ray.kill(handle)
            if not self._actors and not self._starting:
                raise RuntimeError(f"no judge worker could start: {error_line(exc)}") from exc
            return
        self._actors[slot] = handle
        self._load[slot] = 0

    def wait_started(self, timeout_s: float | None = None) -> int:
        """Wait for the actors being started; returns how many serve."""
        if self._starting:
            ready, _ = self._ray.wait(
                list(self._starting), num_returns=len(self._starting), timeout=timeout_s
            )
            for ref in ready:
                self._promote(ref)
        return self.size

    def _submit(self, chunk: list[JudgeWork], attempt: int) -> tuple[Any, _InFlight]:
        slot = min(self._actors, key=lambda s: self._load[s])  # least loaded live actor
        self._load[slot] += 1
        ref = self._actors[slot].judge_chunk.remote(chunk)
        return ref, _InFlight(chunk, slot, attempt)

    def _drop(self, slot: int) -> None:
        handle = self._actors.pop(slot, None)
        if handle is None:
            return  # already replaced by an earlier failed chunk
        self._load.pop(slot, None)
        self._ray.kill(handle)
        self.replaced += 1
        self._start_actor()

    def stream(self, items: Iterable[JudgeWork], chunk_size: int) -> Iterator[list[Judged]]:
        """Judge ``items`` in chunks; yield each finished chunk (completion order)."""
        ray = self._ray
        pending = chunked(items, chunk_size)
        inflight: dict[Any, _InFlight] = {}
        retry: list[_InFlight] = []
        self.failed = 0
        exhausted = False
        idle_since: float | None = None
        while True:
            while self._actors and len(inflight) < self.window:
                if retry:
                    meta = retry.pop()
                    ref, meta = self._submit(meta.chunk, meta.attempt)
                else:
                    chunk = None if exhausted else next(pending, None)
                    if chunk is None:
                        exhausted = True
                        break
                    ref, meta = self._submit(chunk, 1)
                inflight[ref] = meta
            if not inflight and not retry and exhausted:
                return
            if not inflight and not self._actors:
                # Nothing can run until a replacement starts: wait for one, not forever.
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > self.start_timeout_s or not self._starting:
                    self.failed += sum(len(m.chunk) for m in retry)
                    raise RuntimeError(
                        f"no judge actor running for {self.start_timeout_s:g} s (none could "
                        "start or be placed: too few free CPUs?); finished verdicts are "
                        "stored, re-run to judge the rest"
                    )
            else:
                idle_since = None
            waiting = [*inflight, *self._starting]
            ready, _ = ray.wait(waiting, num_returns=1, timeout=5.0)
            for ref in ready:
                if ref in self._starting:
                    self._promote(ref)
                    continue
                meta = inflight.pop(ref)
                if meta.slot in self._load:
                    self._load[meta.slot] -= 1
                try:
                    result: list[Judged] = ray.get(ref)
                except Exception as exc:  # actor or node lost, or a judge harness bug
                    if isinstance(exc, ray.exceptions.RayActorError):
                        self._drop(meta.slot)  # its process or its node is gone
                    if not self._give_up(meta, exc):
                        meta.attempt += 1
                        retry.append(meta)
                    continue
                yield result

    def _give_up(self, meta: _InFlight, exc: Exception) -> bool:
        if meta.attempt < self.max_attempts:
            log.warning(
                "a chunk of %d failed on judge worker %d (%s); trying again",
                len(meta.chunk),
                meta.slot,
                error_line(exc),
            )
            return False
        self.failed += len(meta.chunk)
        log.warning(
            "judging %d snippets failed %d times (last: %s); left for the next run",
            len(meta.chunk),
            meta.attempt,
            error_line(exc),
        )
        return True

    def close(self) -> None:
        """Stop the actors (serving and starting)."""
        for handle in [*self._actors.values(), *(h for _, h in self._starting.values())]:
            self._ray.kill(handle)
        self._actors.clear()
        self._starting.clear()
        self._load.clear()
