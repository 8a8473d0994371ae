import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from seccal.cli import app


def test_repair_command_checks_its_arguments(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "seccal", "repair", str(tmp_path), "--variant", "magic"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "'magic' is not one of confidence, findings" in " ".join(proc.stderr.split())
    proc = subprocess.run(
        [sys.executable, "-m", "seccal", "repair", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "no store.sqlite; is this a seccal run folder?" in " ".join(proc.stderr.split())


def test_repair_help_says_it_is_a_study_stage() -> None:
    result = CliRunner().invoke(app, ["repair", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "mitigations.repair table" in text and "--rounds" in text
