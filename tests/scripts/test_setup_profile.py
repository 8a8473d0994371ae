"""The set-up's `run` profile (what `make run` uses) and its guard."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_run_profile_takes_only_the_default_studys_steps() -> None:
    tagged = sorted(
        p.name
        for p in (ROOT / "scripts" / "setup.d").glob("*.sh")
        if "# setup: run" in p.read_text().splitlines()
    )
    # the default model and the default sandbox environment; no toolchains, other suites' sources
    assert tagged == ["10-models.sh", "20-sandbox.sh"]
    assert "SECCAL_SETUP=run bash scripts/setup.sh" in (ROOT / "Makefile").read_text()


def test_early_steps_need_no_seccal_environment() -> None:
    # an early step runs beside the environment build: it must not use the venv's Python
    for step in (ROOT / "scripts" / "setup.d").glob("*.sh"):
        text = step.read_text()
        if "# setup: early" in text.splitlines():
            assert "$VPY" not in text and "$VENV" not in text, step.name


def test_an_unknown_profile_stops_before_any_work(tmp_path: Path) -> None:
    env = {**os.environ, "SECCAL_SETUP": "everything", "SECCAL_VENV": str(tmp_path / "venv")}
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh")], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "SECCAL_SETUP must be 'all' or 'run', not 'everything'" in proc.stderr
    assert not (tmp_path / "venv").exists()
