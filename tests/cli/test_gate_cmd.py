"""``seccal gate``: fit, apply, check, evaluate, compare, shift; exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from seccal.cli import main
from seccal.gate.synthetic import synthetic_study

SQLI = "def f(cur, n):\n    cur.execute(\"SELECT * FROM t WHERE n = '%s'\" % n)\n"
CLEAN = "def add(a, b):\n    return a + b\n"
FEATURES = "conf_security_verbal,findings_total,findings_high,parses"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["gate", *args])
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "study.csv"
    synthetic_study(n_tasks=1500, rows_per_task=1, task_effect=0.0, seed=13).to_csv(
        path, index=False
    )
    return path


@pytest.fixture()
def gate_file(table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "gate.json"
    code, text, _ = _run(
        capsys, "fit", str(table), "--alpha", "0.3", "--features", FEATURES, "--out", str(out)
    )
    assert code == 0 and "accept p_vulnerable <=" in text
    return out


def test_apply_writes_decisions(gate_file: Path, table: Path, tmp_path: Path, capsys) -> None:
    for ext in ("csv", "jsonl"):
        out = tmp_path / f"decisions.{ext}"
        code, text, _ = _run(capsys, "apply", str(gate_file), str(table), "--out", str(out))
        assert code == 0, text
        df = pd.read_csv(out) if ext == "csv" else pd.read_json(out, lines=True)
        assert len(df) == 1500 and {"p_vulnerable", "accept"} <= set(df.columns)
        if ext == "jsonl":
            assert df["accept"].dtype == bool
        else:
            assert set(df["accept"].astype(str).str.lower()) <= {"true", "false"}


@pytest.mark.slow
def test_check_exit_codes_and_sarif(gate_file: Path, tmp_path: Path, capsys) -> None:
    bad, good = tmp_path / "bad.py", tmp_path / "good.py"
    bad.write_text(SQLI)
    good.write_text(CLEAN)
    sarif = tmp_path / "out.sarif"
    code, text, _ = _run(capsys, "check", str(gate_file), str(good), "--confidence", "0.95")
    assert code == 0 and text.startswith("ACCEPT")
    code, text, _ = _run(
        capsys,
        "check",
        str(gate_file),
        str(good),
        str(bad),
        "--confidence",
        "0.95",
        "--sarif",
        str(sarif),
    )
    assert code == 1 and "REJECT" in text
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    code, _, err = _run(capsys, "check", str(gate_file), str(good))  # no confidence anywhere
    assert code == 2 and "needs confidence" in err
    code, _, err = _run(
        capsys, "check", str(tmp_path / "none.json"), str(good), "--confidence", "0.5"
    )
    assert code == 2 and "no such gate file" in err


def test_fit_bad_input_exits_2(table: Path, tmp_path: Path, capsys) -> None:
    code, _, err = _run(
        capsys, "fit", str(table), "--features", "conf_nope", "--out", str(tmp_path / "g.json")
    )
    assert code == 2 and "no column 'conf_nope'" in err
    code, _, err = _run(
        capsys,
        "fit",
        str(table),
        "--alpha",
        "0.001",
        "--delta",
        "0.01",
        "--out",
        str(tmp_path / "g.json"),
    )
    assert code == 2 and "too few" in err


def test_infeasible_fit_says_so(tmp_path: Path, capsys) -> None:
    df = synthetic_study(n_tasks=120, rows_per_task=10, seed=14)
    df["secure"] = (pd.Series(range(len(df))) % 10 == 0).astype(int)  # 90% vulnerable, no signal
    path = tmp_path / "bad.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "g.json"
    code, text, _ = _run(capsys, "fit", str(path), "--alpha", "0.05", "--out", str(out))
    assert code == 0 and "accepts nothing" in text and "at least" in text
    assert json.loads(out.read_text())["threshold"] is None


def test_evaluate_json_on_the_example(capsys) -> None:
    code, text, _ = _run(
        capsys, "evaluate", "--example", "--alpha", "0.2", "--splits", "5", "--json"
    )
    assert code == 0
    out = json.loads(text)
    assert (
        out["splits"] == 5
        and "risk-controlled gate" in out["rules"]
        and "confidence >= 0.8" in out["rules"]
    )


def test_evaluate_table_and_compare_and_shift(table: Path, capsys) -> None:
    code, text, _ = _run(
        capsys, "evaluate", str(table), "--alpha", "0.2", "--splits", "3", "--features", FEATURES
    )
    assert code == 0 and "risk-controlled gate" in text and "no analyzer finding" in text
    code, text, _ = _run(
        capsys, "compare", str(table), "--bootstrap", "20", "--json", "--features", FEATURES
    )
    assert code == 0
    out = json.loads(text)
    assert {"fused", "conf_security_verbal", "findings", "execution"} <= set(out["signals"])
    assert out["multicalibration"]["subgroups"]
    code, text, _ = _run(
        capsys, "shift", str(table), "--alpha", "0.2", "--splits", "3", "--features", FEATURES
    )
    assert code == 0 and "recertified" in text
