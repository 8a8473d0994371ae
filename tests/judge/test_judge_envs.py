"""Named sandbox environments: a task's tests run with the interpreter its task names."""

from __future__ import annotations

from pathlib import Path

import pytest

from seccal.core.task import SANDBOX_ENV_KEY, Task, TestRole, TestSpec
from seccal.judge import Judge, JudgeConfig, JudgeItem, Limits
from seccal.judge.config import named_sandbox_venv

LIMITS = Limits(wall_s=10.0, cpu_s=10, memory_mb=1024, fsize_mb=16, nproc=64, nofile=128)
# flask.escape exists in Flask 2.x (SALLM's pin) and is gone in Flask 3.1 (the default env).
OLD_FLASK_CODE = "from flask import escape\n\ndef shout(s):\n    return str(escape(s)).upper()\n"
VERSION_CODE = "import sys\n\ndef where():\n    return sys.prefix\n"


def _task(env: str | None, code_test: str) -> Task:
    return Task(
        id=f"env-{env}",
        suite="test",
        language="python",
        cwes=("CWE-79",),
        prompt="",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "test_functional.py", code_test),),
        metadata={SANDBOX_ENV_KEY: env} if env else {},
    )


def _prefix_task(env: str | None, prefix: Path) -> Task:
    """Passes only when the snippet runs under the venv at ``prefix``."""
    test = (
        f"from solution import where\n\ndef test_prefix():\n    assert where() == {str(prefix)!r}\n"
    )
    return _task(env, test)


def _judge(**kw: object) -> Judge:
    cfg = {"test_limits": LIMITS, "uid_base": 61970, "analyzers": (), **kw}
    return Judge(JudgeConfig(**cfg))  # type: ignore[arg-type]


def test_missing_named_environment_is_unknown_never_the_default(
    tmp_path: Path, sandbox_venv: Path
) -> None:
    j = _judge(sandbox_venv=sandbox_venv, sandbox_envs={"sallm": tmp_path / "absent"})
    items = [
        JudgeItem("named", _prefix_task("sallm", sandbox_venv), VERSION_CODE),
        JudgeItem("plain", _prefix_task(None, sandbox_venv), VERSION_CODE),
    ]
    named, plain = j.judge_many(items)
    assert named.functional == "unknown" and named.sandbox_env == ""
    assert named.reasons["functional"].startswith(
        "sandbox environment 'sallm' missing: run make setup"
    )
    assert str(tmp_path / "absent") in named.reasons["functional"]
    named.check()
    # the default environment's task of the same call still ran, in its own batch
    assert (plain.functional, plain.sandbox_env) == ("pass", "default")


def test_tasks_run_with_their_environment_interpreter(workdir: Path, sandbox_venv: Path) -> None:
    # An "alt" environment that is a link to the default one: its sys.prefix differs,
    # so each test passes only under the interpreter of its own task's environment.
    alt = workdir / "alt-venv"  # the sandbox uid must reach it
    alt.symlink_to(sandbox_venv)
    j = _judge(sandbox_venv=sandbox_venv, sandbox_envs={"alt": alt}, batch_size=8)
    items = [
        JudgeItem(f"g{i}", _prefix_task(env, alt if env else sandbox_venv), VERSION_CODE)
        for i, env in enumerate(["alt", None, "alt", None])
    ]
    verdicts = j.judge_many(items)
    assert [v.sandbox_env for v in verdicts] == ["alt", "default", "alt", "default"]
    assert all(v.functional == "pass" for v in verdicts), [v.reasons for v in verdicts]


def test_bad_environment_name_is_a_bad_task(sandbox_venv: Path) -> None:
    j = _judge(sandbox_venv=sandbox_venv)
    [v] = j.judge_many([JudgeItem("g", _prefix_task("../etc", sandbox_venv), VERSION_CODE)])
    assert v.functional == "unknown"
    assert "bad task" in v.reasons["functional"] and "'../etc'" in v.reasons["functional"]
    v.check()


def test_named_venv_location(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECCAL_SANDBOX_VENV_SALLM", raising=False)
    assert named_sandbox_venv("sallm") == Path("/opt/seccal/sandbox-venv-sallm")
    monkeypatch.setenv("SECCAL_SANDBOX_VENV_SALLM", "/srv/sallm-env")
    assert named_sandbox_venv("sallm") == Path("/srv/sallm-env")
    assert JudgeConfig().python_for("sallm") == Path("/srv/sallm-env/bin/python")
    with pytest.raises(ValueError, match="bad sandbox environment name"):
        named_sandbox_venv("Sallm/x")


def test_sallm_environment_has_sallm_flask(sandbox_venv: Path) -> None:
    sallm = named_sandbox_venv("sallm")
    if not (sallm / "bin" / "python").exists():
        pytest.skip(f"sandbox environment 'sallm' missing at {sallm} (run make setup)")
    test = (
        "from solution import shout\n\ndef test_shout():\n    assert shout('<a>') == '&LT;A&GT;'\n"
    )
    j = _judge(sandbox_venv=sandbox_venv)
    old, new = j.judge_many(
        [
            JudgeItem("sallm", _task("sallm", test), OLD_FLASK_CODE),
            JudgeItem("default", _task(None, test), OLD_FLASK_CODE),
        ]
    )
    assert (old.functional, old.sandbox_env) == ("pass", "sallm"), old.reasons
    # Flask 3.1 in the default environment has no flask.escape: the same code fails there
    assert new.functional != "pass" and new.sandbox_env == "default"
