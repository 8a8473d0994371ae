import json
from dataclasses import replace
from pathlib import Path

import pytest

from seccal.core.task import (
    CPU_LIMIT_KEY,
    IMAGE_PINS_KEY,
    TEST_COMMAND_KEY,
    Task,
    TestRole,
    TestSpec,
)
from seccal.judge.parity import HostEnv, clock_calls, sallm_parity, task_parity
from seccal.tasks.dockerfile import parse_dockerfile
from seccal.tasks.image import plan_image
from seccal.tasks.paths import benchmarks_root
from seccal.tasks.registry import load_suite

TEST = "import unittest\nfrom sol import f\n"


def _host(tmp_path: Path, python: str = "3.11.7", debs: frozenset[str] = frozenset()) -> HostEnv:
    packages = {"flask": "2.3.3", "lxml": "4.9.3"}
    return HostEnv(tmp_path, python, packages, lambda p: p in debs)


def _task(pins: dict[str, str], **kw: object) -> Task:
    spec = TestSpec(TestRole.FUNCTIONAL, "test_sol.py", TEST, "unittest", "test_correctness")
    return Task(
        id="T_S_sol", suite="sallm", language="python", cwes=(), prompt="",
        module_name="sol.py", tests=(spec,), metadata={IMAGE_PINS_KEY: pins}, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def _plan(tmp_path: Path, extra: str = "") -> object:
    (tmp_path / "test_sol.py").write_text(TEST)
    text = (
        "FROM python:3.10-slim\nWORKDIR /prompt\nARG S\nCOPY $S .\nCOPY test_sol.py .\n"
        f'{extra}CMD ["python", "r.py"]\n'
    )
    return plan_image(parse_dockerfile(text), tmp_path, "sol.py")


def test_fully_apart_from_shared_deviations(tmp_path: Path) -> None:
    task = _task({"Flask": "2.3.3"})
    task = replace(task, metadata={**task.metadata, TEST_COMMAND_KEY: ["python", "r.py"]})
    res = task_parity(task, _plan(tmp_path), _host(tmp_path))  # type: ignore[arg-type]
    assert res.level == "fully", res.steps
    shared = [s for s in res.steps if s.note.startswith("shared")]
    assert {s.instruction for s in shared} == {
        "FROM python:3.10-slim",
        "USER (root)",
        "CMD (no time limit)",
    }
    [limit] = [s for s in shared if s.instruction == "CMD (no time limit)"]
    assert limit.note == "shared: a test run is cut after 10 s of CPU or 10 s idle"


def test_a_task_allowed_more_cpu_says_so(tmp_path: Path) -> None:
    command = {TEST_COMMAND_KEY: ["python", "r.py"]}
    task = replace(_task({}), metadata={IMAGE_PINS_KEY: {}, CPU_LIMIT_KEY: 60, **command})
    res = task_parity(task, _plan(tmp_path), _host(tmp_path))  # type: ignore[arg-type]
    [limit] = [s for s in res.steps if s.instruction == "CMD (no time limit)"]
    assert limit.note == "shared: a test run is cut after 60 s of CPU or 10 s idle"
    # a task whose tests never run (no test file) has no time limit to state
    quiet = task_parity(_task({}), _plan(tmp_path), _host(tmp_path))  # type: ignore[arg-type]
    assert not [s for s in quiet.steps if s.instruction == "CMD (no time limit)"]


def test_pin_mismatch_and_missing_apt_package_are_partly(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "RUN apt-get install -y wget\n")
    res = task_parity(_task({"lxml": "4.6.3"}), plan, _host(tmp_path))  # type: ignore[arg-type]
    assert res.level == "partly" and res.why == "pip lxml==4.6.3: 4.9.3 installed instead"
    status = {s.instruction: s.status for s in res.steps}
    assert status["apt-get install wget"] == "deviates"
    ok = task_parity(_task({}), plan, _host(tmp_path, debs=frozenset({"wget"})))  # type: ignore[arg-type]
    assert ok.level == "fully"


def test_static_only_task_is_not_reproduced(tmp_path: Path) -> None:
    reason = {"static_only_reason": "needs network access to x"}
    task = replace(_task({}), static_only=True, metadata=reason)
    res = task_parity(task, _plan(tmp_path), _host(tmp_path))  # type: ignore[arg-type]
    assert res.level == "not" and res.why == "needs network access to x"
    assert task_parity(task, None, _host(tmp_path)).level == "not"


def test_clock_calls_finds_every_way_of_reading_a_clock() -> None:
    assert clock_calls("import time\nstart = time.time()\n") == ["time.time"]
    assert clock_calls("import time as t\nt.perf_counter_ns()\n") == ["time.perf_counter_ns"]
    assert clock_calls("from time import monotonic as m\nm()\n") == ["time.monotonic"]
    assert clock_calls("import timeit\ntimeit.timeit('1')\n") == ["timeit.timeit"]
    # not a clock reading: time.sleep, a local object called time, an unparsable file
    assert clock_calls("import time\ntime.sleep(1)\n") == []
    assert clock_calls("class time:\n  def time(self): ...\ntime().time()\n") == []
    assert clock_calls("def f(:\n") == []


def test_a_timed_test_is_load_dependent(tmp_path: Path) -> None:
    timed = TEST + "import time\n\ndef test_vulnerability():\n    t = time.time()\n"
    task = _task({})
    task = replace(task, tests=(replace(task.tests[0], source=timed),))
    res = task_parity(task, _plan(tmp_path), _host(tmp_path))  # type: ignore[arg-type]
    [step] = [s for s in res.steps if s.instruction == "test timing"]
    assert step.status == "reproduced" and "(time.time)" in step.note
    assert res.level == "fully"  # faithful: SALLM's container times it the same way
    plain = task_parity(_task({}), _plan(tmp_path), _host(tmp_path))  # type: ignore[arg-type]
    assert not [s for s in plain.steps if s.instruction == "test timing"]


REAL = benchmarks_root() / "sallm" / "PythonDataset"


@pytest.mark.skipif(not REAL.is_dir(), reason=f"SALLM data not found at {REAL}")
def test_real_sallm_parity(tmp_path: Path) -> None:
    host = HostEnv(tmp_path, "3.11.7", {"flask": "2.3.3", "flask-sqlalchemy": "3.0.5",
                   "pycryptodome": "3.19.0"}, lambda p: True)  # fmt: skip
    report = sallm_parity(load_suite("sallm"), host)
    counts = report.counts()
    assert sum(counts.values()) == 100 and counts["not"] == 9
    by_id = {t.task_id: t for t in report.tasks}
    # the tasks the parity work is about: their files, folders and database are all there
    for tid in ("Assertion_CodeQL_codeql_cwe022_0", "Tainted_Author_A_cwe089_0",
                "Tainted_CodeQL_codeql_cwe176_0", "Assertion_CodeQL_codeql_cwe022_1"):  # fmt: skip
        assert by_id[tid].level == "fully", by_id[tid]
    assert by_id["Assertion_Author_A_cwe918_0"].level == "not"
    assert "COPY assets/*" in by_id["Assertion_Author_A_cwe434_0"].why
    defects = report.image_defects()
    assert set(defects) >= {"Tainted_Author_A_cwe776_0", "Tainted_CodeQL_codeql_cwe776_0"}
    # the two timing-attack tasks compare time.time() readings with 0.1 ms
    assert set(report.load_dependent()) == {
        "Tainted_CodeQL_codeql_cwe208_0",
        "Tainted_CodeQL_codeql_cwe208_1",
    }
    json.dumps(report.to_dict())
