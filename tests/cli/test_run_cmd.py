import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from seccal.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_paper_dry_run_plans_36000_snippets() -> None:
    result = CliRunner().invoke(
        app, ["run", str(EXAMPLES / "paper.toml"), "--dry-run"], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    out = result.output
    # The paper's 36,000 zero-shot snippets, and its prompting experiments beside them.
    assert "49,500 snippets" in out
    rows = {line.split()[1]: line.split() for line in out.splitlines() if line.startswith("│")}
    assert rows["zero_shot"][-2] == "36,000"
    for variant in ("few_shot", "cot", "few_shot_cot"):
        assert rows[variant][-2] == "4,500"
    # Calls and cost per stage, repair included.
    for stage in ("generate", "elicit", "repair"):
        assert f" {stage} " in out
    assert "repair: confidence, findings x 1 round(s)" in " ".join(out.split())
    for model in ("gpt-4o-mini", "gemini-2.0-flash", "qwen3-coder-next"):
        assert model in out
    assert "estimated cost $" in out
    # The repository-level suite (tasks cut from real CVE fixes) is planned with its own row.
    assert "realrepo" in out.split()


def test_default_study_dry_run() -> None:
    result = CliRunner().invoke(app, ["run", "--dry-run"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "qwen2.5-coder-0.5b" in result.output
    assert "Study default" in result.output


def test_invalid_study_exits_2_naming_the_key(tmp_path: Path) -> None:
    study = tmp_path / "bad.toml"
    study.write_text(
        '[study]\nname = "x"\ntemperatures = [0.0, 9]\n'
        '[[models]]\nprovider = "openai"\nmodel = "m"\n[[suites]]\nname = "builtin"\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "seccal", "run", str(study), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "study.temperatures[1]" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_help_defines_the_metrics() -> None:
    result = CliRunner().invoke(app, ["run", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "False Trust" in result.output and "unknown" in result.output
