import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from seccal.cli import app, main

KEYS = {
    "n",
    "ece",
    "mce",
    "smece",
    "brier",
    "brier_reliability",
    "brier_resolution",
    "brier_uncertainty",
    "auroc",
    "overconfidence_gap",
    "false_trust_rate",
    "ci",
}


def _run(*args: str):
    return CliRunner().invoke(app, ["metrics", *args])


def test_json_output_per_group_on_the_example() -> None:
    res = _run("--example", "--by", "model,temperature", "--bootstrap", "50", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert len(out["groups"]) == 4
    g = out["groups"][0]
    assert set(g) - {"by", "undefined"} == KEYS
    assert set(g["by"]) == {"model", "temperature"}
    assert g["ci"]["ece"][0] <= g["ci"]["ece"][1]
    assert out["meta"]["excluded_unknown_label"] > 0
    by_model = {grp["by"]["model"]: grp["ece"] for grp in out["groups"]}
    assert by_model["overconfident-7b"] > by_model["calibrated-13b"]


def test_table_output_and_column_overrides(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text("t,c,ok\n" + "".join(f"T{i % 5},{(i % 10) / 10},{i % 2}\n" for i in range(60)))
    res = _run(
        str(p),
        "--confidence-col",
        "c",
        "--label-col",
        "ok",
        "--group-col",
        "t",
        "--strategy",
        "quantile",
        "--bins",
        "4",
        "--bootstrap",
        "20",
    )
    assert res.exit_code == 0, res.output
    assert "ECE" in res.output and "FTR@0.8" in res.output
    assert "tasks from column 't'" in res.output


def test_one_class_group_says_why(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text("confidence,label,m\n0.9,1,a\n0.8,1,a\n0.3,0,b\n0.6,1,b\n")
    res = _run(str(p), "--by", "m", "--bootstrap", "0", "--json")
    out = json.loads(res.output)
    a = out["groups"][0]
    assert a["auroc"] is None and a["false_trust_rate"] is None
    assert "both classes" in a["undefined"]["auroc"]
    res = _run(str(p), "--by", "m", "--bootstrap", "0")
    assert "auroc undefined" in res.output


def test_bad_input_exits_2_with_a_precise_message(tmp_path: Path, capsys) -> None:
    p = tmp_path / "r.csv"
    p.write_text("confidence,label\n0.9,1\n0.8,2\n")
    try:
        main(["metrics", str(p)])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err
    assert "column 'label'" in err and "row 2 (line 3)" in err
    res = _run(str(p), "--strategy", "x")
    assert res.exit_code != 0


def test_help_shows_metric_definitions() -> None:
    res = _run("--help")
    assert res.exit_code == 0
    for word in ("ECE", "MCE", "smECE", "Brier", "AUROC", "False Trust", "resampling tasks"):
        assert word in res.output


def test_group_without_known_labels_is_reported_not_dropped(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text("confidence,label,m\n0.9,1,a\n0.2,0,a\n0.5,,b\n0.6,unknown,b\n")
    out = json.loads(_run(str(p), "--by", "m", "--bootstrap", "0", "--json").output)
    b = out["groups"][1]
    assert b["by"] == {"m": "b"} and b["n"] == 0 and b["ece"] is None
    assert "2 excluded" in b["undefined"]["all metrics"]
    p.write_text("confidence,label\n0.5,\n")
    res = _run(str(p), "--bootstrap", "0")
    assert res.exit_code != 0


def test_reliability_bins_and_numeric_group_keys() -> None:
    res = _run("--example", "--by", "temperature", "--bootstrap", "0", "--json", "--reliability")
    out = json.loads(res.output)
    temps = [g["by"]["temperature"] for g in out["groups"]]
    assert temps == [0.0, 0.8]
    bins = out["groups"][0]["reliability"]
    assert len(bins) == 10 and sum(b["count"] for b in bins) == out["groups"][0]["n"]
    text = _run("--example", "--bootstrap", "0", "--reliability").output
    assert "reliability: all rows" in text and "[0, 0.1]" in text


def test_compare_two_conditions_on_the_same_tasks(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 400
    task = [f"T{i % 40}" for i in range(n)]
    truth = rng.random(n) < 0.5
    p = tmp_path / "r.csv"
    pd.DataFrame(
        {
            "task_id": task,
            "conf_security_verbal": np.full(n, 0.95),  # sure of everything: badly calibrated
            "secure": truth.astype(int),
            "conf_functional_verbal": np.full(n, 0.5),  # matches the base rate
            "correct": truth.astype(int),
        }
    ).to_csv(p, index=False)
    res = _run(
        str(p), "--compare", "conf_functional_verbal:correct", "--bootstrap", "200", "--json"
    )
    assert res.exit_code == 0, res.output
    cmp = json.loads(res.output)["groups"][0]["compare"]
    assert cmp["against"]["label_column"] == "correct"
    assert cmp["ece"]["diff"] == pytest.approx(0.45, abs=0.05)
    assert cmp["ece"]["ci"][0] > 0 and cmp["ece"]["p_value"] < 0.05
    text = _run(str(p), "--compare", "conf_functional_verbal:correct", "--bootstrap", "50").output
    assert "paired comparison" in text
    bad = _run(str(p), "--compare", "conf_functional_verbal")
    assert bad.exit_code != 0
