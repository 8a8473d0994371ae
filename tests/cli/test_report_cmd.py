import json
import subprocess
import sys
from pathlib import Path

from synthetic_study import synthetic_config, synthetic_export
from typer.testing import CliRunner

from seccal.cli import app


def test_report_command_on_an_export_file_with_its_config(tmp_path: Path) -> None:
    df = synthetic_export(
        n_tasks=5,
        temperatures=(0.0,),
        suites=("builtin",),
        samples=2,
        models={"m": (0.4, 0.1, 0.5)},
        variants=("zero_shot",),
    )
    table = tmp_path / "export.csv"
    df.to_csv(table, index=False)
    config = tmp_path / "study.json"
    config.write_text(json.dumps(synthetic_config(df)), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", str(table), "--config", str(config), "--n-boot", "20", "--title", "T1"]
    )
    assert result.exit_code == 0, result.output
    html = tmp_path / "export.csv.report" / "report.html"
    assert f"report: {html}" in result.output
    text = html.read_text("utf-8")
    assert "<title>T1</title>" in text and "20 bootstrap resamples" in text
    assert (tmp_path / "export.csv.report" / "tables" / "metrics.tex").is_file()


def test_report_command_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("model,temperature\nm,hot\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "seccal", "report", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert f"{bad}: not a seccal results table: no column 'suite'" in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr


def test_report_help_defines_the_metrics() -> None:
    result = CliRunner().invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "False Trust" in text and "replication bundle" in text
