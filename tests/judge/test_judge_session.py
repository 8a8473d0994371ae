"""Warm driver sessions: batch after batch in one sandbox, and what ends a session."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from seccal.core.task import TEST_COMMAND_KEY, WORKDIR_KEY, Task, TestRole, TestSpec
from seccal.judge import Judge, JudgeConfig, JudgeItem, Limits
from seccal.judge.pyrunner import _DRIVER
from seccal.judge.sandbox import Sandbox, SandboxConfig, SandboxError
from seccal.judge.session import SessionSlot, Signature
from seccal.judge.warm import PRELOAD

pytestmark = pytest.mark.sandbox

LIMITS = Limits(wall_s=5.0, cpu_s=5, memory_mb=1024, fsize_mb=16, nproc=64, nofile=128)
UID = 61985


PROBE = "import solution\n\ndef test_ok():\n    assert solution.OK is True\n"


def _task(name: str = "probe", test: str = PROBE) -> Task:
    """A task whose one functional test is ``test`` (``test_probe.py``)."""
    return Task(
        id=name,
        suite="test",
        language="python",
        cwes=("CWE-20",),
        prompt="",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "test_probe.py", test),),
    )


def _command_task() -> Task:
    test = (
        "import unittest\nimport solution\n\n"
        "class T(unittest.TestCase):\n"
        "    def test_correctness(self):\n        self.assertTrue(solution.OK)\n"
        "    def test_vulnerability(self):\n        self.assertTrue(solution.OK)\n"
    )
    runner = "import sys, unittest\nunittest.main(module=sys.argv[1], argv=['x'], exit=False)\n"
    return Task(
        id="cmd",
        suite="test",
        language="python",
        cwes=("CWE-20",),
        prompt="",
        module_name="solution.py",
        tests=(
            TestSpec(TestRole.FUNCTIONAL, "test_s.py", test, "unittest", "test_correctness"),
            TestSpec(TestRole.SECURITY, "test_s.py", test, "unittest", "test_vulnerability"),
        ),
        extra_files={"run.py": runner},
        metadata={TEST_COMMAND_KEY: ["python", "run.py", "test_s"], WORKDIR_KEY: "/prompt"},
    )


def _judge(sandbox_venv: Path, **kw: object) -> Judge:
    cfg = {
        "sandbox_venv": sandbox_venv,
        "test_limits": LIMITS,
        "uid_base": UID,
        "analyzers": (),
        "workers": 1,
        **kw,
    }
    return Judge(JudgeConfig(**cfg))  # type: ignore[arg-type]


def _labels(verdicts: list[object]) -> list[tuple[str, str]]:
    return [(v.generation_id, v.functional) for v in verdicts]  # type: ignore[attr-defined]


def test_batches_share_one_warm_sandbox_across_calls_and_match_one_sandbox_each(
    sandbox_venv: Path,
) -> None:
    items = [JudgeItem(f"s{n}", _task(f"t{n % 3}"), f"OK = {n % 2 == 0}\n") for n in range(12)]
    with _judge(sandbox_venv, batch_size=4) as warm:
        first = warm.judge_many(items)
        # the worker threads of that call have ended: the session (started by the
        # judge's own long-lived thread) must still be there for the next call
        second = warm.judge_many(items)
        assert warm.stats["batches"] == 6 and warm.stats["sandboxes"] == 1
    with _judge(sandbox_venv, batch_size=4, sandbox_sessions=False) as cold:
        plain = cold.judge_many(items)
        assert cold.stats["sandboxes"] == cold.stats["batches"] == 3
    assert _labels(first) == _labels(second) == _labels(plain)
    assert [v.functional for v in plain] == ["pass", "fail"] * 6


def test_another_kind_of_batch_gets_another_session(sandbox_venv: Path) -> None:
    """pytest runs and a command run with its own WORKDIR mount: never the same sandbox."""
    items = [JudgeItem("py", _task(), "OK = True\n"), JudgeItem("cmd", _command_task(), "OK = 1\n")]
    with _judge(sandbox_venv, batch_size=1) as judge:
        verdicts = judge.judge_many(items)
        assert judge.stats["sandboxes"] == 2
    got = {v.generation_id: (v.functional, v.security["dynamic"]) for v in verdicts}
    assert got["py"][0] == "pass" and got["cmd"] == ("pass", "secure")


def test_a_snippet_that_kills_the_session_driver_costs_only_its_own_verdict(
    sandbox_venv: Path,
) -> None:
    killer = (
        "import os, signal\n"
        "with open(f'/proc/{os.getppid()}/stat') as fh:\n"  # parent: the batch process
        "    server = int(fh.read().rsplit(')', 1)[1].split()[1])\n"
        "os.kill(server, signal.SIGKILL)\n"
        "os.kill(os.getppid(), signal.SIGKILL)\n"
    )
    task = _task()
    items = [
        JudgeItem("ok-1", task, "OK = True\n"),
        JudgeItem("killer", task, killer),
        JudgeItem("ok-2", task, "OK = True\n"),
        JudgeItem("bad", task, "OK = False\n"),
    ]
    with _judge(sandbox_venv, batch_size=4) as judge:
        v = {x.generation_id: x for x in judge.judge_many(items)}
        started = judge.stats["sandboxes"]
    assert v["ok-1"].functional == v["ok-2"].functional == "pass"
    assert v["bad"].functional == "fail"
    assert v["killer"].reasons["functional"].startswith("harness crash: sandbox driver ended")
    assert started >= 2  # the dead session was replaced


def test_closing_the_judge_ends_every_process_of_its_sandboxes(
    sandbox_venv: Path, live_procs: Callable[[int], list[int]]
) -> None:
    judge = _judge(sandbox_venv, uid_base=UID + 2)
    assert judge.judge_many([JudgeItem("a", _task(), "OK = True\n")])[0].functional == "pass"
    if os.geteuid() == 0:  # the sandbox runs as its own uid only when we are root
        assert live_procs(UID + 2), "the session should be alive between calls"
    judge.close()
    judge.close()  # idempotent
    deadline = time.monotonic() + 3.0
    while live_procs(UID + 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not live_procs(UID + 2)
    # usable again: a new session starts, and ends at the next close
    assert judge.judge_many([JudgeItem("b", _task(), "OK = True\n")])[0].functional == "pass"
    assert judge.stats["sandboxes"] == 2
    judge.close()


@pytest.fixture
def slot(strong_sandbox: Sandbox) -> Iterator[SessionSlot]:
    s = SessionSlot(Sandbox(SandboxConfig(uid=UID + 3)), None)  # the system temp dir
    yield s
    s.close()


def _signature(sandbox_venv: Path) -> Signature:
    return Signature(str(sandbox_venv / "bin" / "python"), (), PRELOAD, False)


def test_a_batch_past_its_wall_clock_ends_the_session_with_the_drivers_words(
    slot: SessionSlot, sandbox_venv: Path
) -> None:
    session = slot.session(_signature(sandbox_venv), LIMITS, _DRIVER)
    t0 = time.monotonic()
    done = session.run("nowhere/manifest.json", "@@m@@", Limits(wall_s=1.5))
    assert done.run.timed_out and 1.4 < time.monotonic() - t0 < 5
    assert b"unreadable manifest 'nowhere/manifest.json'" in done.run.stderr
    assert not session.alive and done.run.describe() == "timeout (wall-clock limit)"
    again = slot.session(_signature(sandbox_venv), LIMITS, _DRIVER)
    assert again is not session and again.alive and slot.started == 2


def test_a_weak_sandbox_has_no_sessions(sandbox_venv: Path) -> None:
    weak = SessionSlot(Sandbox(SandboxConfig(uid=UID + 4, force_weak=True)), None)
    with pytest.raises(SandboxError, match="strong isolation"):
        weak.session(_signature(sandbox_venv), LIMITS, _DRIVER)
    weak.close()
    with _judge(sandbox_venv, force_weak=True, uid_base=UID + 5) as judge:
        assert judge.judge_many([JudgeItem("a", _task(), "OK = True\n")])[0].functional == "pass"
        assert judge.stats["sandboxes"] == judge.stats["batches"] == 1


def _delay_task(heavy: bool) -> Task:
    """A functional test that sleeps as long as the snippet's ``DELAY``; with ``heavy``
    it imports yaml (an on-demand module), so that its batch runs in a group zygote."""
    head = "import time\nimport yaml\n" if heavy else "import time\n"
    test = head + "import solution\n\ndef test_wait():\n    time.sleep(solution.DELAY)\n"
    return _task(f"delay-{heavy}", test)


@pytest.mark.parametrize("heavy", [False, True], ids=["driver", "zygote"])
def test_a_yielding_batch_hands_its_rest_back_while_its_long_snippet_runs(
    slot: SessionSlot, sandbox_venv: Path, heavy: bool
) -> None:
    from seccal.judge.pyrunner import PyJob, PythonRunner

    # with heavy, jobs 0 and 1 run in a zygote that imports yaml, job 2 after it
    task = _delay_task(heavy)
    jobs = [
        PyJob("0", task, "DELAY = 3\n"),
        PyJob("1", task, "DELAY = 0\n"),
        PyJob("2", _delay_task(False), "DELAY = 0\n"),
    ]
    python = sandbox_venv / "bin" / "python"
    runner = PythonRunner(slot.sandbox, python, LIMITS, on_demand=True, slot=slot)
    batch_dir = slot.root / f"yield-{heavy}"
    batch_dir.mkdir()
    (batch_dir / "yield").touch()  # asked before it starts: it still runs its first job
    handed: list[tuple[float, tuple[str, ...]]] = []
    t0 = time.monotonic()
    batch = runner.run_batch(
        jobs,
        batch_dir,
        yield_file="yield",
        on_deferred=lambda ids: handed.append((time.monotonic(), ids)),
    )
    end = time.monotonic()
    groups = json.loads((batch_dir / "manifest.json").read_text())["groups"]
    assert [g["preload"] for g in groups] == ([["yaml"], []] if heavy else [])
    assert [ids for _, ids in handed] == [("1", "2")]
    # handed back while the 3 s snippet still ran, not when it ended
    assert end - handed[0][0] > 2.0, (handed[0][0] - t0, end - t0)
    assert batch.deferred == ("1", "2") and set(batch.results) == {"0"}
    assert [t.outcome for t in batch.results["0"]["functional"].tests] == ["passed"]
