import json
from pathlib import Path

from synthetic_study import synthetic_config, synthetic_export, synthetic_repairs
from typer.testing import CliRunner

from seccal.analysis import Settings, analyze_frame, write_metrics
from seccal.cli import app


def test_tables_from_metrics_json_and_from_an_export(tmp_path: Path) -> None:
    df = synthetic_export(n_tasks=5, temperatures=(0.0, 1.0), samples=1)
    config = synthetic_config(df)
    doc = analyze_frame(df, config, repairs=synthetic_repairs(df), settings=Settings(n_boot=10))
    metrics = write_metrics(tmp_path / "metrics.json", doc)
    res = CliRunner().invoke(app, ["tables", str(metrics), "--print"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "tables"
    names = ["calibration_builtin", "calibration_repo_builtin", "gating", "repair", "levels"]
    assert f"tables (5): {', '.join(names)}" in res.output
    for name in names:
        assert (out / f"{name}.md").read_text("utf-8").startswith("### ")
        assert "\\begin{tabular}" in (out / f"{name}.tex").read_text("utf-8")
    assert (out / "tables.md").read_text("utf-8").count("### ") == 5
    assert "| gpt-4o-mini | 1 |" in res.output  # model × temperature rows
    # an export table is analysed with the same function first
    table = tmp_path / "export.csv"
    df.to_csv(table, index=False)
    cfg = tmp_path / "study.json"
    cfg.write_text(json.dumps({**config, "analysis": {"n_boot": 10}}), "utf-8")
    res = CliRunner().invoke(app, ["tables", str(table), "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    md = (tmp_path / "export.csv.tables" / "calibration_builtin.md").read_text("utf-8")
    assert md == (out / "calibration_builtin.md").read_text("utf-8")
