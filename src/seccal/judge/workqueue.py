"""The judge's queue of batches, how an idle worker makes a running batch yield, and
the sandboxes the batches of several groups share (:class:`RankedPool`).

Workers take batches from the front. A worker that finds the queue empty while
batches still run creates each running batch's yield file (:data:`YIELD_FILE`);
that batch's driver then starts no further snippet and its rest comes back here
(:meth:`WorkQueue.hand_back`, while its last snippet still runs), split among the
waiting workers, so that a slow task's snippets are shared by every worker to the
end (:class:`seccal.judge.core.Judge`).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["YIELD_FILE", "Batch", "RankedPool", "WorkQueue"]

_T = TypeVar("_T")
#: Ranks of work queues: an earlier queue's batches get a free sandbox first.
_RANKS = itertools.count()

Batch = tuple[str, list[int]]  # (sandbox environment, item indices)
#: File whose appearance in a batch folder asks its driver to yield (start no more runs).
YIELD_FILE = "yield"


class WorkQueue:
    """Batches waiting for a worker; a yielding batch's rest goes to the front.

    :meth:`take` waits while the queue is empty but a batch is still running (its
    rest may come back); before it waits it asks every running batch to yield (it
    creates the batch's yield file, :meth:`running`). It returns ``None`` once
    nothing is queued or running. A rest is split among the workers waiting for it.
    """

    def __init__(self, batches: Iterable[Batch], drained: threading.Event | None = None) -> None:
        self._queue: deque[Batch] = deque(batches)
        #: Lower ranks (older queues) go first in a :class:`RankedPool`.
        self.rank = next(_RANKS)
        #: Set once a worker finds nothing left to take (a next group may start).
        self.drained = drained or threading.Event()
        self._running = 0
        self._waiting = 0
        self._yield_files: set[Path] = set()
        self._cond = threading.Condition()

    def take(self) -> Batch | None:
        with self._cond:
            if not self._queue:
                self.drained.set()
            while not self._queue and self._running:
                for path in self._yield_files:
                    with contextlib.suppress(OSError):
                        path.touch()
                self._waiting += 1
                self._cond.wait()
                self._waiting -= 1
            if not self._queue:
                return None
            self._running += 1
            return self._queue.popleft()

    @contextlib.contextmanager
    def running(self, yield_file: Path) -> Iterator[None]:
        """While a batch runs: where to create its yield file (its folder must exist)."""
        with self._cond:
            self._yield_files.add(yield_file)
        try:
            yield
        finally:
            with self._cond:
                self._yield_files.discard(yield_file)

    def finish(self, rest: Batch | None) -> None:
        """A taken batch ended; ``rest``: the items it left, judged next by any worker."""
        with self._cond:
            self._running -= 1
            if rest is not None:
                self._requeue(rest)
            self._cond.notify_all()

    def hand_back(self, rest: Batch) -> None:
        """A running batch left ``rest`` (it yields; :meth:`finish` follows when it ends).

        The rest is split among the waiting workers plus one part, which stays
        queued for whichever worker is free next (the yielding one, once its last
        snippet ends, or a waiting one that finished its part).
        """
        with self._cond:
            self._requeue(rest)
            self._cond.notify_all()

    def _requeue(self, rest: Batch) -> None:
        env, idx = rest
        parts = min(len(idx), self._waiting + 1) if not self._queue else 1
        for k in reversed(range(parts)):
            self._queue.appendleft((env, idx[k::parts]))


class RankedPool(Generic[_T]):
    """Resources (the judge's sandboxes) handed to the waiter of the lowest rank first.

    Two groups judged at once (:meth:`seccal.judge.core.Judge.judge_groups`) share
    the sandboxes; the older group's batches (lower :attr:`WorkQueue.rank`) get each
    free one first, so that its verdicts are not held back by the next group's.
    """

    def __init__(self, items: Iterable[_T]) -> None:
        self._free: list[_T] = list(items)
        self._waiting: list[tuple[int, int]] = []  # (rank, arrival): a heap
        self._arrivals = itertools.count()
        self._cond = threading.Condition()

    def peek(self) -> _T:
        """One of the resources (all are alike), without taking it."""
        with self._cond:
            return self._free[0]

    def get(self, rank: int) -> _T:
        """Wait until a resource is free and no waiter of a lower rank waits; take it."""
        with self._cond:
            me = (rank, next(self._arrivals))
            heapq.heappush(self._waiting, me)
            while not (self._free and self._waiting[0] == me):
                self._cond.wait()
            heapq.heappop(self._waiting)
            self._cond.notify_all()  # the next waiter may take another free one
            return self._free.pop()

    def put(self, item: _T) -> None:
        """Give a resource back."""
        with self._cond:
            self._free.append(item)
            self._cond.notify_all()
