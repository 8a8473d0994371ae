"""The judge's queue of batches: yield requests and how a yielded rest is shared."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from seccal.judge.workqueue import WorkQueue


def test_take_ends_when_nothing_is_queued_or_running() -> None:
    work = WorkQueue([("default", [0, 1]), ("default", [2])])
    assert work.take() == ("default", [0, 1])
    assert work.take() == ("default", [2])
    work.finish(None)
    work.finish(None)
    assert work.take() is None


def test_an_idle_worker_asks_running_batches_to_yield_and_shares_the_rest(tmp_path: Path) -> None:
    work = WorkQueue([("default", [0, 1, 2, 3, 4])])
    batch = work.take()
    assert batch is not None
    yield_file = tmp_path / "yield"
    taken: list[object] = []

    def idle_worker() -> None:
        taken.append(work.take())  # nothing queued, one batch running: waits

    with work.running(yield_file):
        waiter = threading.Thread(target=idle_worker)
        waiter.start()
        for _ in range(200):  # the waiting worker creates the yield file
            if yield_file.exists():
                break
            time.sleep(0.01)
        assert yield_file.exists()
        assert not taken
    # the running batch ran item 0 and hands 1-4 back: split between the two workers
    work.finish(("default", [1, 2, 3, 4]))
    mine = work.take()
    waiter.join(5)
    assert sorted([mine, *taken]) == [("default", [1, 3]), ("default", [2, 4])]
    work.finish(None)
    work.finish(None)
    assert work.take() is None


def test_a_rest_handed_back_while_its_batch_runs_starts_at_once(tmp_path: Path) -> None:
    work = WorkQueue([("default", [0, 1, 2, 3, 4])])
    assert work.take() is not None
    yield_file = tmp_path / "yield"
    taken: list[object] = []
    with work.running(yield_file):
        waiter = threading.Thread(target=lambda: taken.append(work.take()))
        waiter.start()
        for _ in range(200):
            if yield_file.exists():
                break
            time.sleep(0.01)
        # the batch still runs item 0 and names the rest: the waiting worker starts now
        work.hand_back(("default", [1, 2, 3, 4]))
        waiter.join(5)
        assert taken == [("default", [1, 3])]
    work.finish(None)
    # the other part waited for whichever worker was free next: here the yielding one
    assert work.take() == ("default", [2, 4])
    work.finish(None)
    work.finish(None)
    assert work.take() is None


def test_a_rest_goes_ahead_of_batches_not_yet_started() -> None:
    work = WorkQueue([("default", [0, 1, 2]), ("default", [3])])
    work.take()
    work.finish(("default", [1, 2]))  # nobody waits: the rest stays whole, first in line
    assert work.take() == ("default", [1, 2])
    assert work.take() == ("default", [3])


def test_stream_groups_start_small_then_hold_four_batches_per_worker() -> None:
    from itertools import islice

    from seccal.judge import Judge, JudgeConfig

    judge = Judge(JudgeConfig(batch_size=3, workers=2, analyzers=()))
    assert list(islice(judge.group_sizes(), 4)) == [6, 24, 24, 24]


def test_drained_is_set_once_a_worker_finds_nothing_to_take() -> None:
    work = WorkQueue([("default", [0])])
    work.take()
    assert not work.drained.is_set()  # the one batch was taken, nobody asked again
    work.finish(None)
    assert work.take() is None
    assert work.drained.is_set()


def test_a_ranked_pool_serves_the_lowest_rank_first() -> None:
    from seccal.judge.workqueue import RankedPool

    pool = RankedPool(["sandbox"])
    held = pool.get(rank=7)
    order: list[int] = []

    def wait(rank: int) -> None:
        item = pool.get(rank)
        order.append(rank)
        pool.put(item)

    late = threading.Thread(target=wait, args=(9,))  # a younger group's worker, first in line
    late.start()
    time.sleep(0.1)
    early = threading.Thread(target=wait, args=(3,))  # an older group's worker, arriving later
    early.start()
    time.sleep(0.1)
    assert order == []  # both wait: nothing is free
    pool.put(held)
    late.join(5)
    early.join(5)
    assert order == [3, 9]
    assert pool.peek() == "sandbox"
    # work queues made later rank later
    assert WorkQueue([]).rank < WorkQueue([]).rank
