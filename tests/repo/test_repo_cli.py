import json
from pathlib import Path

import pytest
from repo_fixtures import write_tiny_repo
from typer.testing import CliRunner

from seccal.cli import app, main

runner = CliRunner()


def test_list_json_builtin() -> None:
    result = runner.invoke(app, ["repo", "list", "--json", "--language", "go"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) >= 4 and {r["language"] for r in rows} == {"go"}


def test_show_prompt() -> None:
    result = runner.invoke(app, ["repo", "show", "c-header-name-length", "--prompt"])
    assert result.exit_code == 0
    assert "USER_NAME_MAX" in result.output and "<MASKED REGION" in result.output


def test_validate_and_judge_on_a_suite_dir(tmp_path: Path) -> None:
    write_tiny_repo(tmp_path / "suite")
    out = tmp_path / "v.jsonl"
    result = runner.invoke(
        app, ["repo", "validate", "--suite-dir", str(tmp_path / "suite"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["status"] == "ok"
    reply = tmp_path / "reply.md"
    reply.write_text("Sure:\n```python\ndef get(self, name):\n    return name\n```\n")
    result = runner.invoke(
        app,
        [
            "repo",
            "judge",
            "tiny-repo",
            "--suite-dir",
            str(tmp_path / "suite"),
            "--code",
            str(reply),
            "--no-static",
        ],
    )
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["functional"] == "pass" and verdict["security"]["dynamic"] == "vulnerable"


def test_validate_reports_failure_with_exit_1(tmp_path: Path) -> None:
    d = write_tiny_repo(tmp_path / "suite")
    (d / "vulnerable.py").write_text("def get(self, name):\n    return clean(name)\n")
    result = runner.invoke(app, ["repo", "validate", "--suite-dir", str(tmp_path / "suite")])
    assert result.exit_code == 1
    assert "vulnerable reference exploit: secure" in result.output


def test_unknown_id_is_a_clean_error(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["repo", "show", "no-such-repo"])
    assert info.value.code == 2
    assert "unknown repository id(s): no-such-repo" in capsys.readouterr().err
