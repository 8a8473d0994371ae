import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from seccal.calibration.recalibrate import load_calibrator
from seccal.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "src/seccal/calibration/data/example_results.csv"


def _run(*args: str):
    return CliRunner().invoke(app, ["recalibrate", *args])


def test_fit_then_apply_round_trip(tmp_path: Path) -> None:
    cal = tmp_path / "cal.json"
    res = _run("fit", str(EXAMPLE), "--method", "isotonic", "--out", str(cal), "--bootstrap", "50")
    assert res.exit_code == 0, res.output
    assert "out-of-fold" in res.output and "isotonic" in res.output
    assert load_calibrator(cal).method == "isotonic"
    out = tmp_path / "ex2.parquet"
    res = _run("apply", str(cal), str(EXAMPLE), "--out", str(out))
    assert res.exit_code == 0, res.output
    frame = pd.read_parquet(out)
    raw = pd.read_csv(EXAMPLE)
    assert len(frame) == len(raw)  # rows with unknown labels are kept
    expected = load_calibrator(cal).predict(raw["confidence"].to_numpy())
    assert np.allclose(frame["confidence_recalibrated"], expected)


def test_apply_keeps_rows_without_confidence_empty(tmp_path: Path) -> None:
    cal = tmp_path / "cal.json"
    cal.write_text(json.dumps({"seccal_calibrator": 1, "method": "temperature", "temperature": 2}))
    table = tmp_path / "t.csv"
    table.write_text("conf,secure\n0.9,1\n,0\n")
    out = tmp_path / "o.jsonl"
    res = _run("apply", str(cal), str(table), "--out", str(out), "--column", "cal")
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0]["cal"] < 0.9 and rows[1]["cal"] is None


def test_report_json_lists_every_method() -> None:
    res = _run("report", str(EXAMPLE), "--bootstrap", "30", "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert set(rep["after"]) == {"temperature", "platt", "isotonic", "histogram"}
    assert rep["after"]["platt"]["ece"] < rep["before"]["ece"]


def test_bad_method_is_an_input_error(tmp_path: Path) -> None:
    res = _run("fit", str(EXAMPLE), "--method", "magic", "--out", str(tmp_path / "c.json"))
    assert res.exit_code != 0
    assert "magic" in str(res.exception) or "magic" in res.output
