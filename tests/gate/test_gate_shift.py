"""Domain shift between self-contained and repository-level tasks."""

from __future__ import annotations

import pytest

from seccal.errors import InputError
from seccal.gate.gatefile import load_study
from seccal.gate.shift import default_domains, shift_report
from seccal.gate.synthetic import synthetic_study

COLS = ["conf_security_verbal", "findings_total", "parses"]


@pytest.fixture(scope="module")
def res(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("shift") / "study.csv"
    synthetic_study(n_tasks=3000, rows_per_task=1, seed=9).to_csv(path, index=False)
    return load_study(path)


def test_shift_degrades_and_recertifying_recovers(res) -> None:
    out = shift_report(res, COLS, alpha=0.2, delta=0.1, n_splits=20, adapt_share=0.3)
    assert out["a"] == ["builtin"] and out["b"] == ["repo"]
    fwd = out["a_to_b"]
    slack = 3 * (0.09 / 20) ** 0.5
    # the source-certified gate on repository-level tasks (more over-confident models,
    # weaker analyzers) lets far more vulnerable code through than alpha
    assert fwd["shifted"]["risk_mean"] > 0.2
    assert fwd["shifted"]["violation_frequency"] > 0.1 + slack
    # re-certifying on a labelled sample of the target restores the bound
    assert fwd["recertified"]["violation_frequency"] <= 0.1 + slack
    assert fwd["refitted"]["violation_frequency"] <= 0.1 + slack
    assert set(out["b_to_a"]) >= {"in_domain", "shifted", "recertified", "refitted"}


def test_domains_and_errors(res) -> None:
    assert default_domains(res.frame, "suite") == (["builtin"], ["repo"])
    with pytest.raises(InputError, match="no domain column 'lang'"):
        shift_report(res, COLS, domain_column="lang", alpha=0.2, delta=0.1)
    with pytest.raises(InputError, match="need rows in both domains"):
        shift_report(res, COLS, target_values=["nope"], alpha=0.2, delta=0.1)
