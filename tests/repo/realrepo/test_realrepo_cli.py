import json
from pathlib import Path

import pytest
from realrepo_fixtures import write_tiny_task
from typer.testing import CliRunner

from seccal.cli import app
from seccal.errors import InputError
from seccal.repo.realrepo.fetch import CACHE_ENV

runner = CliRunner()


def test_list_json_names_every_shipped_task_without_downloading() -> None:
    result = runner.invoke(app, ["realrepo", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) >= 30
    assert {r["language"] for r in rows} == {"c", "python", "javascript"}
    assert all(r["cve"].startswith("CVE-") and r["status"] == "unknown" for r in rows)


def test_unknown_id_is_a_clear_error() -> None:
    result = runner.invoke(app, ["realrepo", "list", "no-such-task"])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert "unknown realrepo task id(s): no-such-task" in str(result.exception)


def test_validate_offline_without_cache_reports_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty"))
    write_tiny_task(tmp_path / "specs", tmp_path / "elsewhere")
    out = tmp_path / "v.json"
    args = [
        "realrepo",
        "validate",
        "--specs",
        str(tmp_path / "specs"),
        "--offline",
        "--json",
        str(out),
    ]
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["summary"]["tasks"] == 1 and report["rows"][0]["status"] == "unknown"
