import subprocess
import sys

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
