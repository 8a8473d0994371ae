"""Fitting, saving, loading and applying a gate; provenance and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seccal.errors import InputError
from seccal.gate.gatefile import (
    GATE_FORMAT,
    file_digest,
    fit_gate,
    fit_on_split,
    load_gate,
    load_study,
    save_gate,
    task_split,
)
from seccal.gate.synthetic import synthetic_study

COLS = ["conf_security_verbal", "conf_ptrue", "findings_total", "parses"]


@pytest.fixture()
def table(tmp_path: Path) -> Path:
    path = tmp_path / "study.csv"
    synthetic_study(n_tasks=800, rows_per_task=1, seed=5).to_csv(path, index=False)
    return path


def test_task_split_keeps_tasks_whole() -> None:
    groups = np.repeat(np.arange(20), 5).astype(str)
    parts = task_split(groups, (0.4, 0.3, 0.3), seed=1)
    assert sum(int(p.sum()) for p in parts) == groups.size
    for p in parts:
        assert p.any()
        for q in parts:
            if q is not p:
                assert not set(groups[p]) & set(groups[q])
    assert [len(set(groups[p])) for p in parts] == [8, 6, 6]
    with pytest.raises(InputError, match="3 parts need at least as many tasks"):
        task_split(np.array(["a", "b"]), (0.4, 0.3, 0.3), 0)


def test_fit_save_load_apply(table: Path, tmp_path: Path) -> None:
    res = load_study(table)
    gate = fit_gate(res, COLS, alpha=0.2, delta=0.1, source=str(table), digest=file_digest(table))
    assert gate.threshold is not None
    path = tmp_path / "gate.json"
    save_gate(gate, path)
    again = load_gate(path)
    assert again.threshold == gate.threshold and again.columns == COLS
    p = again.p_vulnerable(res.frame)
    assert np.allclose(p, gate.p_vulnerable(res.frame))
    acc = again.accepts(p)
    assert 0 < acc.mean() < 1
    prov = json.loads(path.read_text())["provenance"]
    assert prov["digest"].startswith("sha256:") and prov["rows"] == 800
    assert prov["rows_fit"] + prov["rows_calibration"] == prov["rows_used"]
    assert {"seccal", "numpy", "scipy", "pandas"} <= set(prov["versions"])
    assert prov["label_column"] == "secure" and prov["group_column"] == "task_id"
    assert prov["unit"] == "row"  # one snippet per task: rows are the units


def test_clustered_tasks_make_tasks_the_units(tmp_path: Path) -> None:
    path = tmp_path / "clustered.csv"
    synthetic_study(n_tasks=60, rows_per_task=8, seed=5).to_csv(path, index=False)
    gate = fit_gate(load_study(path), COLS, alpha=0.3, delta=0.1)
    assert gate.provenance["unit"] == "task" and gate.risk["n_units"] == gate.risk["n_units"]
    assert gate.risk["unit"] == "task" and gate.risk["n_units"] < gate.risk["n_calibration"]
    row = fit_gate(load_study(path), COLS, alpha=0.3, delta=0.1, unit="row")
    assert row.risk["unit"] == "row"
    with pytest.raises(InputError, match="unit: 'cluster'"):
        fit_gate(load_study(path), COLS, alpha=0.3, delta=0.1, unit="cluster")


def test_gate_from_another_version_is_refused(table: Path, tmp_path: Path) -> None:
    gate = fit_gate(load_study(table), COLS, alpha=0.2, delta=0.1)
    path = tmp_path / "gate.json"
    save_gate(gate, path)
    doc = json.loads(path.read_text())
    doc["seccal_gate"] = GATE_FORMAT + 1
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=f"gate format {GATE_FORMAT + 1}.*re-fit"):
        load_gate(path)
    path.write_text("{}")
    with pytest.raises(InputError, match="not a seccal gate file"):
        load_gate(path)
    with pytest.raises(InputError, match="no such gate file"):
        load_gate(tmp_path / "missing.json")


def test_too_few_rows_for_alpha_and_delta(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    synthetic_study(n_tasks=10, rows_per_task=4, seed=6).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"too few for alpha=0.01, delta=0.05.*at least 299"):
        fit_gate(load_study(path), COLS, alpha=0.01, delta=0.05)


def test_one_class_and_missing_feature(tmp_path: Path) -> None:
    df = synthetic_study(n_tasks=30, rows_per_task=6, seed=7)
    df["secure"] = 1
    path = tmp_path / "one.csv"
    df.to_csv(path, index=False)
    with pytest.raises(
        InputError, match="all 180 rows with a known label are secure; a risk model needs both"
    ):
        fit_gate(load_study(path), COLS, alpha=0.2, delta=0.1)
    with pytest.raises(InputError, match="no feature column 'conf_nothing'"):
        fit_gate(load_study(path), ["conf_nothing"], alpha=0.2, delta=0.1)


def test_guarantee_holds_at_the_population_level(tmp_path: Path) -> None:
    """Fit + certify on 1,500 exchangeable rows, judge each gate on 40,000 new rows' truth."""
    alpha, delta, reps = 0.3, 0.1, 30
    path = tmp_path / "iid.csv"
    synthetic_study(n_tasks=1500, rows_per_task=1, task_effect=0.0, seed=21).to_csv(
        path, index=False
    )
    res = load_study(path)
    pop = synthetic_study(n_tasks=40_000, rows_per_task=1, task_effect=0.0, seed=22)
    truth = pop["p_vulnerable_true"].to_numpy()
    groups = res.frame["task_id"].to_numpy()
    broken = certified = 0
    for s in range(reps):
        fit, cal = task_split(groups, (0.5, 0.5), s)
        model, rc = fit_on_split(
            res.frame, res.labels, fit, cal, COLS, alpha=alpha, delta=delta, groups=groups
        )
        if rc.threshold is not None:
            certified += 1
            broken += float(truth[model.predict(pop) <= rc.threshold].mean()) > alpha
    assert broken / reps <= delta + 3 * (delta * (1 - delta) / reps) ** 0.5
    assert certified > reps / 2
