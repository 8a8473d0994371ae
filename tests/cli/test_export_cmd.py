import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from seccal.cli import app
from seccal.core.results import load_results

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "study"))  # the study tests' tasks
from study_helpers import mini_tasks, write_study
from study_model import register_study_mock


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run of the mini study whose model answers in process (no server, no key)."""
    folder = tmp_path_factory.mktemp("export")
    register_study_mock("study-mock", mini_tasks())
    study = write_study(folder, None, provider="study-mock", samples=1, analyzers="[]")
    result = CliRunner().invoke(app, ["run", str(study), "--no-progress"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "summary:" in result.output
    return folder / "runs" / "mini"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_formats_are_read_by_the_metrics_reader(run_dir: Path, fmt: str) -> None:
    out = run_dir / f"out.{fmt}"
    result = CliRunner().invoke(app, ["export", str(run_dir), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 6 rows" in result.output
    res = load_results(out, skip_missing_confidence=True)
    assert res.confidence_column == "conf_security_verbal"
    assert res.label_column == "secure" and res.group_column == "task_id"
    assert len(res.conf) + res.excluded_unknown_label + res.excluded_missing_confidence == 6


def test_export_columns_and_unknown_labels(run_dir: Path) -> None:
    out = run_dir / "t.jsonl"
    CliRunner().invoke(app, ["export", str(run_dir), "-f", "jsonl", "-o", str(out)])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    for col in (
        "model",
        "provider",
        "temperature",
        "sample",
        "suite",
        "task_id",
        "cwe",
        "conf_security_verbal",
        "conf_functional_verbal",
        "conf_ptrue",
        "conf_consistency",
        "seq_logprob",
        "secure_dynamic",
        "secure_static",
        "n_findings",
        "secure",
        "correct",
    ):
        assert col in rows[0], col
    # Static analysis was off: its labels are unknown (null), never 0 or 1.
    assert all(r["secure_static"] is None for r in rows)
    assert {r["secure_dynamic"] for r in rows} <= {0, 1}
    assert rows[0]["task_id"].startswith("mini/")
    csv = run_dir / "t.csv"
    CliRunner().invoke(app, ["export", str(run_dir), "-f", "csv", "-o", str(csv)])
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert set(frame["secure_static"]) == {""}


def test_export_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", str(tmp_path), "--format", "csv"])
    assert result.exit_code != 0
    assert "no run store" in str(result.exception)
    bad = CliRunner().invoke(app, ["export", str(tmp_path), "--format", "xlsx"])
    assert "--format" in str(bad.exception)


def test_export_bundle_rebuilds_the_report(run_dir: Path, tmp_path: Path) -> None:
    from seccal.report import read_bundle

    bundle = tmp_path / "bundle"
    result = CliRunner().invoke(app, ["export", str(run_dir), "--bundle", "-o", str(bundle)])
    assert result.exit_code == 0, result.output
    restored = read_bundle(bundle)  # checks every file's checksum
    assert len(restored.frame) > 0
    report = CliRunner().invoke(app, ["report", str(bundle), "-o", str(tmp_path / "rep")])
    assert report.exit_code == 0, report.output
    assert (tmp_path / "rep" / "report.html").stat().st_size > 10_000
