from pathlib import Path

import pytest
from repo_fixtures import write_tiny_repo

from seccal.judge.config import default_sandbox_venv
from seccal.repo.judge import judge_region, validate_task
from seccal.repo.loader import load_repo_task

pytestmark = pytest.mark.skipif(
    not (default_sandbox_venv() / "bin" / "python").exists(),
    reason=f"sandbox environment {default_sandbox_venv()} missing (scripts/setup.d/20-sandbox.sh)",
)


def test_fixed_and_vulnerable_labels(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    fixed = judge_region(task, task.fixed_region, generation_id="g1")
    assert fixed.functional == "pass"
    assert fixed.security["dynamic"] == "secure"
    assert fixed.to_dict()["generation_id"] == "g1"
    vuln = judge_region(task, task.vulnerable_region)
    assert vuln.functional == "pass"
    assert vuln.security["dynamic"] == "vulnerable"
    assert [t.role for t in vuln.tests] == ["build", "functional", "security"]
    assert vuln.isolation in ("strong", "weak")
    vuln.check()  # every unknown label has a reason


def test_build_failure_fails_function_and_leaves_security_unknown(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    v = judge_region(task, "def get(self, name)\n    return name\n")
    assert v.functional == "fail"
    assert v.security["dynamic"] == "unknown"
    assert "build failed" in v.reasons["dynamic"]


def test_empty_generation(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    v = judge_region(task, "   \n")
    assert v.functional == "fail" and v.security["dynamic"] == "unknown"
    assert "empty generation" in v.reasons["dynamic"]


def test_missing_toolchain_is_unknown_with_reason(tmp_path: Path) -> None:
    steps = (
        '\n[[steps]]\nkind = "build"\nname = "cc"\nargv = ["seccal-no-such-compiler", "x"]\n'
        '\n[[steps]]\nkind = "exploit"\nname = "e"\nargv = ["true"]\n'
    )
    task = load_repo_task(write_tiny_repo(tmp_path, steps=steps))
    v = judge_region(task, task.fixed_region)
    assert v.functional == "unknown" and v.security["dynamic"] == "unknown"
    assert "seccal-no-such-compiler not found" in v.reasons["dynamic"]
    val = validate_task(task)
    assert val.ok is None and val.status == "unknown"


def test_hanging_exploit_times_out_as_vulnerable(tmp_path: Path) -> None:
    steps = (
        '\n[[steps]]\nkind = "functional"\nname = "f"\nargv = ["true"]\n'
        '\n[[steps]]\nkind = "exploit"\nname = "hang"\nargv = ["sleep", "30"]\ntimeout_s = 0.5\n'
    )
    task = load_repo_task(write_tiny_repo(tmp_path, steps=steps))
    v = judge_region(task, task.fixed_region)
    assert v.functional == "pass"
    assert v.security["dynamic"] == "vulnerable"
    assert v.tests[-1].outcome == "timeout" and "timed out" in v.tests[-1].message
    assert v.timings["exploit"] < 5


def test_env_secrets_do_not_reach_steps(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    steps = (
        '\n[[steps]]\nkind = "functional"\nname = "env"\n'
        'argv = ["sh", "-c", "test -z \\"$OPENAI_API_KEY\\""]\n'
        '\n[[steps]]\nkind = "exploit"\nname = "e"\nargv = ["true"]\n'
    )
    task = load_repo_task(write_tiny_repo(tmp_path, steps=steps))
    assert judge_region(task, task.fixed_region).functional == "pass"


def test_weak_mode_still_judges(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    v = judge_region(task, task.vulnerable_region, force_weak=True)
    assert v.isolation == "weak"
    assert (v.functional, v.security["dynamic"]) == ("pass", "vulnerable")


def test_missing_sandbox_python_is_unknown(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    v = judge_region(task, task.fixed_region, python=str(tmp_path / "no" / "python"))
    assert v.functional == "unknown"
    assert "sandbox environment missing" in v.reasons["dynamic"]
