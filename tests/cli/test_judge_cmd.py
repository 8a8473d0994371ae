"""``seccal judge``: end to end on a tasks file, malformed lines, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seccal.cli import app
from seccal.core.task import Task, TestRole, TestSpec
from seccal.judge.config import default_sandbox_venv

SECURE = "def add(a, b):\n    return a + b\n"
BROKEN = "def add(a, b):\n    return a - b\n"


def _task() -> Task:
    return Task(
        id="add",
        suite="cli",
        language="python",
        cwes=("CWE-20",),
        prompt="",
        module_name="solution.py",
        tests=(
            TestSpec(
                TestRole.FUNCTIONAL,
                "test_add.py",
                "from solution import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
            ),
        ),
    )


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps(_task().to_dict()) + "\n")
    gen = tmp_path / "gen.jsonl"
    rows = [
        json.dumps(
            {"id": "ok", "task_id": "add", "code": SECURE, "model": "m", "temperature": 0.0}
        ),
        "this is not json",
        json.dumps({"id": "bad", "task_id": "cli/add", "code": BROKEN, "sample": 3}),
        json.dumps({"id": "x", "task_id": "nope", "code": SECURE}),
    ]
    gen.write_text("\n".join(rows) + "\n")
    return tasks, gen, tmp_path / "verdicts.jsonl"


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["judge", *args])
    return result.exit_code, result.output


def test_judge_writes_verdicts_and_resumes(files: tuple[Path, Path, Path]) -> None:
    if not (default_sandbox_venv() / "bin" / "python").exists():
        pytest.skip("sandbox environment missing (scripts/setup.d/20-sandbox.sh)")
    tasks, gen, out = files
    code, output = _invoke(
        "--tasks-file", str(tasks), "-g", str(gen), "-o", str(out), "--no-static"
    )
    assert code == 0, output
    assert f"{gen}:2: not JSON" in output.replace("\n", "")
    assert "unknown task 'nope'" in output
    rows = {r["generation_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {"ok", "bad"}
    assert rows["ok"]["verdict"]["functional"] == "pass"
    assert rows["ok"]["model"] == "m" and rows["ok"]["task_id"] == "add"
    assert rows["bad"]["verdict"]["functional"] == "fail" and rows["bad"]["sample"] == 3
    assert rows["ok"]["verdict"]["reasons"]["static"] == "static analysis disabled"

    # a second run judges nothing new and keeps what is there
    code, output = _invoke(
        "--tasks-file", str(tasks), "-g", str(gen), "-o", str(out), "--no-static"
    )
    assert code == 0 and "2 already judged, 0 to judge" in output
    assert len(out.read_text().splitlines()) == 2


def test_needs_exactly_one_task_source(files: tuple[Path, Path, Path]) -> None:
    _, gen, out = files
    code, _ = _invoke("-g", str(gen), "-o", str(out))
    assert code != 0
    assert not out.exists()


def test_missing_generations_file_is_an_input_error(files: tuple[Path, Path, Path]) -> None:
    tasks, _, out = files
    from seccal.cli import main

    with pytest.raises(SystemExit) as exc:
        main(
            [
                "judge",
                "--tasks-file",
                str(tasks),
                "-g",
                str(out.parent / "nope.jsonl"),
                "-o",
                str(out),
            ]
        )
    assert exc.value.code == 2
