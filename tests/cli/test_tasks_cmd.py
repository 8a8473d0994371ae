import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seccal.cli import app, tasks_validate
from seccal.core.task import Task
from seccal.errors import ConfigError
from seccal.tasks.builtin_suite import BUILTIN_DIR

runner = CliRunner()


def test_list_builtin_shows_tasks_and_counts() -> None:
    result = runner.invoke(app, ["tasks", "list", "builtin", "--cwe", "89"])
    assert result.exit_code == 0, result.output
    assert "sqli-user-lookup" in result.output and "cmdi-count-lines" not in result.output
    assert "3 tasks, 1 CWEs" in result.output


def test_list_json_lines() -> None:
    result = runner.invoke(app, ["tasks", "list", "builtin", "--json"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) >= 30 and {"id", "cwes", "tests", "static_only"} <= set(rows[0])


def test_show_prints_prompt_and_references() -> None:
    result = runner.invoke(app, ["tasks", "show", "builtin", "sqli-user-lookup", "--code"])
    assert result.exit_code == 0, result.output
    assert "builtin/sqli-user-lookup" in result.output and "def get_user" in result.output
    assert "insecure reference" in result.output


def test_show_json_round_trips() -> None:
    result = runner.invoke(app, ["tasks", "show", "builtin", "xpath-login", "--json"])
    assert json.loads(result.output)["cwes"] == ["CWE-643"]


def test_unknown_suite_and_task_are_clean_errors() -> None:
    result = runner.invoke(app, ["tasks", "list", "nope"])
    assert isinstance(result.exception, ConfigError) and "known suites" in str(result.exception)
    result = runner.invoke(app, ["tasks", "show", "builtin", "sqli-user-lokup"])
    assert isinstance(result.exception, ConfigError) and "sqli-user-lookup" in str(result.exception)


@dataclass
class _Verdict:
    generation_id: str
    functional: str
    security: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)


def _fake_judge(broken: str):  # type: ignore[no-untyped-def]
    def judge(items: Sequence[tuple[str, Task, str]]) -> list[_Verdict]:
        out = []
        for gid, task, _code in items:
            secure = gid.endswith("#secure")
            label = "secure" if secure or task.id == broken else "vulnerable"
            out.append(_Verdict(gid, "pass", {"dynamic": label}))
        return out

    return judge


def test_validate_reports_failures_and_writes_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks_validate, "seccal_judge", lambda **_: _fake_judge("xpath-login"))
    out = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "tasks",
            "validate",
            "builtin",
            "-t",
            "xpath-login",
            "-t",
            "sqli-user-lookup",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "xpath-login" in result.output and "expected vulnerable" in result.output
    assert "passed 1, failed 1" in result.output
    data = json.loads(out.read_text())
    (suite,) = data["suites"]
    assert suite["tasks"] == 2 and suite["pass_rate"] == 0.5
    assert suite["insecure_refs"] == 2 and suite["insecure_detected"] == 1
    assert "static_quality" in data  # analyzers on by default


def test_validate_many_suites_prints_one_row_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks_validate, "seccal_judge", lambda **_: _fake_judge(""))
    result = runner.invoke(
        app, ["tasks", "validate", "builtin", "securityeval", "--limit", "3", "--no-static"]
    )
    assert result.exit_code == 0, result.output
    assert "reference pairs per suite" in result.output
    assert "securityeval: not loaded" in result.output and "static label" not in result.output
    assert "builtin: 3 tasks" in result.output


def test_validate_needs_suites_or_all_not_both() -> None:
    for args in ([], ["builtin", "--all"]):
        result = runner.invoke(app, ["tasks", "validate", *args])
        assert isinstance(result.exception, ConfigError), result.output


def test_validate_all_passing_exits_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks_validate, "seccal_judge", lambda **_: _fake_judge(""))
    result = runner.invoke(app, ["tasks", "validate", "builtin", "-t", "sqli-user-lookup"])
    assert result.exit_code == 0 and "pass rate 100.0%" in result.output


def test_validate_unknown_task_id_is_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks_validate, "seccal_judge", lambda **_: _fake_judge(""))
    result = runner.invoke(app, ["tasks", "validate", "builtin", "-t", "nope"])
    assert result.exit_code != 0 and "nope" in str(result.exception)


def test_parity_is_only_for_dockerfile_suites() -> None:
    result = runner.invoke(app, ["tasks", "parity", "builtin"])
    assert isinstance(result.exception, ConfigError)
    assert "parity is defined for suites built from Dockerfiles" in str(result.exception)


def test_parity_reports_levels_and_writes_json(tmp_path: Path) -> None:
    root = tmp_path / "PythonDataset"
    folder = root / "Tainted" / "Author"
    folder.mkdir(parents=True)
    row = {"id": "Tainted_Author_A_cwe089_0.py", "technique": "Tainted", "source": "Author",
           "prompt": "", "insecure_code": "x = 1\n"}  # fmt: skip
    (root / "dataset.jsonl").write_text(json.dumps(row) + "\n")
    (folder / "test_A_cwe089_0.py").write_text("import unittest\nfrom A_cwe089_0 import x\n")
    (folder / "A_cwe089_0_requirements.txt").write_text("Flask==2.3.3\n")
    (folder / "A_cwe089_0_Dockerfile").write_text(
        "FROM python:3.10-slim\nWORKDIR /prompt\nARG SCRIPT_PATH\nCOPY $SCRIPT_PATH .\n"
        "COPY test_A_cwe089_0.py .\nCOPY A_cwe089_0_requirements.txt .\n"
        "RUN mkdir -p Database\nCOPY ./Database/database.db ./Database/database.db\n"
        "RUN pip install --no-cache-dir -r A_cwe089_0_requirements.txt\n"
        'RUN echo "import unittest" > test_runner.py\n'
        'CMD ["python", "test_runner.py", "test_A_cwe089_0"]\n'
    )
    out = tmp_path / "parity.json"
    result = runner.invoke(app, ["tasks", "parity", f"sallm:{root}", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 tasks: fully 0, partly 1, not at all 0" in result.output
    report = json.loads(out.read_text())
    [task] = report["tasks"]
    # the database the test expects is not in the build context: Docker's COPY fails too
    assert task["level"] == "partly" and "Database/database.db" in task["why"]


@pytest.mark.slow
def test_static_quality_prints_the_per_cwe_table_and_writes_json(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    for task_id in ("sqli-user-lookup", "deser-pickle-cache"):
        shutil.copytree(BUILTIN_DIR / task_id, suite / task_id)
    out = tmp_path / "q.json"
    result = runner.invoke(app, ["tasks", "static-quality", f"builtin:{suite}", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "CWE-89" in result.output and "CWE-502" in result.output and "precision" in result.output
    quality = json.loads(out.read_text())
    assert quality["overall"]["n"] == 4 and quality["per_cwe"]["CWE-89"]["recall"] == 1.0
    bad = runner.invoke(app, ["tasks", "static-quality", "builtin", "--min-severity", "huge"])
    assert bad.exit_code != 0 and "--min-severity: 'huge'" in str(bad.exception)
