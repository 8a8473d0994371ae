"""``seccal tasks validate`` on a few real tasks of each suite, through the real judge.

The full run over every task of every suite is ``make validate-references``; here the
first two tasks of each suite whose data and toolchains are present go through the
sandboxed judge a study uses, so a broken path (a suite's references no longer fed to
its backend the way a model's reply is) fails in CI.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seccal.cli import app
from seccal.judge.config import default_sandbox_venv
from seccal.tasks.paths import benchmarks_root

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]
runner = CliRunner()


def _suites() -> list[str]:
    suites = ["builtin", "repo"]
    root = benchmarks_root()
    if (root / "sallm").is_dir():
        suites.append("sallm")
    core = root / "cweval" / "benchmark" / "core"
    if core.is_dir():
        suites.append("cweval")
        for suite, tool in (("cweval-c", "gcc"), ("cweval-js", "node"), ("cweval-go", "go")):
            if shutil.which(tool):
                suites.append(suite)
    return suites


def test_first_tasks_of_each_suite_behave_as_labelled(tmp_path: Path) -> None:
    if not (default_sandbox_venv() / "bin" / "python").exists():
        pytest.skip(f"sandbox environment missing at {default_sandbox_venv()}")
    suites = _suites()
    out = tmp_path / "refs.json"
    result = runner.invoke(app, ["tasks", "validate", *suites, "--limit", "2", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "reference pairs per suite" in result.output
    data = json.loads(out.read_text())
    rows = {s["suite"]: s for s in data["suites"]}
    assert list(rows) == suites
    for suite, row in rows.items():
        assert row["tasks"] == 2 and row["runnable"] == 2 and row["failed"] == 0, suite
        assert row["insecure_detected"] == row["insecure_refs"] == 2, suite
        assert row["secure_security"] == row["secure_refs"], suite
    assert rows.get("sallm", {"secure_refs": 0})["secure_refs"] == 0  # SALLM ships none
    quality = data["static_quality"]
    judged = sum(r["secure_refs"] + r["insecure_refs"] for r in rows.values())
    assert quality["overall"]["n"] + quality["overall"]["n_unknown"] == judged
