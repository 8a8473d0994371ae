import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from seccal import __version__
from seccal.cli import app


def test_version_flag_prints_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "seccal", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "security calibration" in " ".join(proc.stdout.lower().split())


def test_an_error_is_printed_whole_on_one_line(tmp_path: Path) -> None:
    # long enough to wrap at a pipe's 80 columns, with brackets that look like markup
    missing = tmp_path / ("x" * 90 + "[judge]") / "study.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "seccal", "gate", "fit", str(missing), "--out", str(tmp_path / "g")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {missing}: no such file"
