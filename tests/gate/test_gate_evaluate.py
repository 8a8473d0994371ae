"""Repeated task splits: the certified gate keeps its promise, the naive rules do not."""

from __future__ import annotations

import math

import numpy as np
import pytest

from seccal.cli.metrics_cmd import EXAMPLE_TABLE
from seccal.errors import InputError
from seccal.gate.evaluate import GATE_RULE, evaluate_gate, realized, summarize_runs
from seccal.gate.gatefile import load_study
from seccal.gate.synthetic import synthetic_study

COLS = ["conf_security_verbal", "conf_ptrue", "findings_total", "parses"]


@pytest.fixture(scope="module")
def res(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("ev") / "study.csv"
    synthetic_study(n_tasks=150, rows_per_task=12, seed=8).to_csv(path, index=False)
    return load_study(path)


def test_violation_frequency_stays_within_delta(res) -> None:
    alpha, delta, n = 0.15, 0.1, 60
    out = evaluate_gate(res, COLS, alpha=alpha, delta=delta, n_splits=n)
    gate = out["rules"][GATE_RULE]
    assert gate["violation_frequency"] <= delta + 3 * math.sqrt(delta * (1 - delta) / n)
    assert gate["coverage_mean"] > 0.1  # it accepts real code
    naive = out["rules"]["confidence >= 0.8"]
    assert naive["risk_mean"] > alpha  # the model's own confidence lets too much through
    assert naive["violation_frequency"] > 0.5
    assert "no analyzer finding" in out["rules"]
    assert out["rules"][f"fused p <= {alpha:g}"]["splits"] == n


def test_infeasible_splits_accept_nothing(res) -> None:
    out = evaluate_gate(res, ["conf_security_verbal"], alpha=0.01, delta=0.05, n_splits=3)
    gate = out["rules"][GATE_RULE]
    assert out["infeasible_splits"] == 3 and gate["accepted_nothing"] == 3
    assert gate["coverage_mean"] == 0.0 and gate["violations"] == 0


def test_summaries() -> None:
    assert realized(np.array([True, False, True]), np.array([0.0, 1.0, 1.0])) == (0.5, 2 / 3)
    assert realized(np.zeros(2, dtype=bool), np.ones(2)) == (None, 0.0)
    s = summarize_runs([0.05, 0.2, None, 0.1], [0.5, 0.6, 0.0, 0.4], 0.1, 0.1)
    assert s["violations"] == 1 and s["violation_frequency"] == 0.25 and s["accepted_nothing"] == 1
    lo, hi = s["violation_ci"]
    assert lo < 0.25 < hi


def test_bad_splits(res) -> None:
    with pytest.raises(InputError, match="splits"):
        evaluate_gate(res, COLS, alpha=0.1, delta=0.1, n_splits=0)


def test_example_table_runs() -> None:
    out = evaluate_gate(load_study(EXAMPLE_TABLE), ["confidence"], alpha=0.2, delta=0.1, n_splits=5)
    assert out["rows"] > 400 and out["tasks"] == 40
