"""Batch preparation and result parsing of the Python runner (no sandbox needed)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from seccal.core.task import Task, TestRole, TestSpec
from seccal.judge.pyrunner import _driver_deferred, _driver_timing, _parse, write_job


def _task(*tests: TestSpec, extra: dict[str, str] | None = None) -> Task:
    return Task(
        id="t",
        suite="s",
        language="python",
        cwes=("CWE-22",),
        prompt="",
        module_name="solution.py",
        tests=tests,
        extra_files=extra or {},
    )


def test_write_job_merges_roles_with_fallback(tmp_path: Path) -> None:
    task = _task(
        TestSpec(TestRole.FUNCTIONAL, "test_f.py", "def test_a(): pass\n"),
        TestSpec(TestRole.SECURITY, "test_s.py", "def test_b(): pass\n"),
        extra={"data/users.txt": "alice\n"},
    )
    runs = write_job(tmp_path / "job", task, "x = 1\n")
    assert (tmp_path / "job" / "solution.py").read_text() == "x = 1\n"
    assert (tmp_path / "job" / "data" / "users.txt").read_text() == "alice\n"
    [merged] = runs
    assert merged["files"] == ["test_f.py", "test_s.py"]
    assert merged["file_roles"] == {"test_f.py": "functional", "test_s.py": "security"}
    assert [r["role"] for r in merged["fallback"]] == ["functional", "security"]


def test_write_job_makes_extra_dirs_and_rejects_escaping_ones(tmp_path: Path) -> None:
    spec = TestSpec(TestRole.FUNCTIONAL, "test_f.py", "")
    task = replace(_task(spec), extra_dirs=("assets/img",))
    write_job(tmp_path / "job", task, "")
    assert (tmp_path / "job" / "assets" / "img").is_dir()
    with pytest.raises(ValueError, match="unsafe file name"):
        write_job(tmp_path / "job2", replace(task, extra_dirs=("../out",)), "")
    assert not (tmp_path / "out").exists()


def test_write_job_keeps_selector_runs_apart(tmp_path: Path) -> None:
    src = "import pytest\n"
    task = _task(
        TestSpec(TestRole.FUNCTIONAL, "test_x.py", src, selector="functional"),
        TestSpec(TestRole.SECURITY, "test_x.py", src, selector="security"),
    )
    runs = write_job(tmp_path / "job", task, "")
    assert [(r["role"], r["selector"]) for r in runs] == [
        ("functional", "(functional)"),
        ("security", "(security)"),
    ]


@pytest.mark.parametrize("name", ["../evil.py", "/etc/passwd", "a/../../b"])
def test_write_job_rejects_escaping_names(tmp_path: Path, name: str) -> None:
    task = _task(TestSpec(TestRole.FUNCTIONAL, name, ""))
    with pytest.raises(ValueError, match="unsafe file name"):
        write_job(tmp_path / "job", task, "")


def test_parse_ignores_forged_and_broken_lines() -> None:
    m = "@@m@@"
    good = {"job": "0", "role": "functional", "status": "ok", "wall_s": 0.1,
            "tests": [{"name": "t.py::a", "outcome": "passed"}, {"name": "t.py::b", "outcome": "bogus"}]}  # fmt: skip
    stdout = "\n".join(
        [
            "noise from the snippet",
            m + json.dumps(good),
            m + "{cut",
            m + json.dumps({"role": "security"}),
            "@@other@@" + json.dumps({**good, "job": "1"}),
            m + json.dumps({"driver_cpu_s": 1.5, "driver_warm_s": 0.25}),
        ]
    )
    parsed = _parse(stdout, m)
    assert list(parsed) == ["0"]
    res = parsed["0"]["functional"]
    assert res.status == "ok" and [t.outcome for t in res.tests] == ["passed", "error"]
    assert _driver_timing(stdout, m) == {"driver_cpu_s": 1.5, "driver_warm_s": 0.25}
    assert _driver_timing("", m) == {}


def test_deferred_line_is_read_and_garbage_is_not() -> None:
    m = "@@m@@"
    out = f'{m}{{"job": "0", "role": "functional"}}\n{m}{{"deferred": ["1", "2"]}}\n'
    assert _driver_deferred(out, m) == ["1", "2"]
    assert _driver_deferred(f'{m}{{"deferred": 3}}\n', m) == []
    assert _driver_deferred(f'{m}{{"deferred": \n', m) == []
    assert _driver_deferred('{"deferred": ["1"]}\n', m) == []  # no marker: not the driver's
