import numpy as np
import pandas as pd
import pytest
from synthetic_study import synthetic_export

from seccal.errors import InputError
from seccal.mitigate.gating import (
    COMPILES,
    FUNCTIONAL,
    STATIC_CLEAN,
    AllOf,
    confidence_at_least,
    evaluate_gates,
    standard_gates,
)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_id": ["a", "b", "c", "d"],
            "parses": [True, True, False, True],
            "correct": pd.array([1, None, 0, 1], dtype="Int64"),
            "conf_security_verbal": [0.9, 0.9, 0.5, 0.7],
            "secure": ["1", "0", "0", "1"],
        }
    )


def test_gates_compose_with_and_and_fail_closed_on_unknown() -> None:
    df = _frame()
    assert COMPILES.accepts(df).tolist() == [True, True, False, True]
    # row b's functional label is unknown: a gate does not pass what it cannot check
    assert FUNCTIONAL.accepts(df).tolist() == [True, False, False, True]
    both = COMPILES & FUNCTIONAL & confidence_at_least(0.8)
    assert isinstance(both, AllOf) and len(both.gates) == 3
    assert both.accepts(df).tolist() == [True, False, False, False]
    assert both.name == "compiles & functional tests pass & confidence ≥ 0.8"


def test_missing_gate_column_is_a_precise_error() -> None:
    with pytest.raises(InputError, match="n_findings"):
        STATIC_CLEAN.accepts(_frame())
    with pytest.raises(InputError, match="not in"):
        confidence_at_least(1.5)


def test_standard_gates_follow_the_columns_present() -> None:
    names = [g.name for g in standard_gates(_frame())]
    assert "static analyzers clean" not in names
    assert names[:3] == ["compiles", "functional tests pass", "compiles & functional tests pass"]


def test_evaluate_gates_measures_accepted_rows_against_no_gate() -> None:
    df = synthetic_export(n_tasks=10, temperatures=(0.0,), suites=("s",), samples=3)
    res = evaluate_gates(df, [FUNCTIONAL], n_boot=100, seed=0)
    base, gate = res
    assert base.gate == "no gate" and base.n_accepted == base.n_total
    assert base.coverage.estimate == 1.0 and base.ece_change is None
    accepted = FUNCTIONAL.accepts(df) & df["secure"].notna().to_numpy()
    accepted &= df["conf_security_verbal"].notna().to_numpy()
    assert gate.n_accepted == int(accepted.sum())
    assert gate.coverage.estimate == pytest.approx(gate.n_accepted / base.n_total)
    # the gate's summary is the calibration of exactly the accepted rows
    from seccal.calibration.report import summarize

    y = df.loc[accepted, "secure"].astype(float).to_numpy()
    c = df.loc[accepted, "conf_security_verbal"].to_numpy()
    assert gate.summary is not None
    assert gate.summary["ece"] == pytest.approx(summarize(c, y, n_boot=0)["ece"])
    assert gate.ece_change is not None
    assert gate.ece_change["diff"] == pytest.approx(gate.summary["ece"] - base.summary["ece"])  # type: ignore[index]
    lo, hi = gate.ece_change["ci"]
    assert lo <= gate.ece_change["diff"] <= hi
    # in this table broken code is more often vulnerable: the gate lowers the vulnerable share
    assert gate.vulnerable_share.estimate < base.vulnerable_share.estimate  # type: ignore[operator]


def test_gate_accepting_nothing_has_no_summary() -> None:
    df = _frame()
    res = evaluate_gates(df, [confidence_at_least(1.0)], n_boot=20)
    assert res[1].n_accepted == 0 and res[1].summary is None
    assert np.isclose(res[1].coverage.estimate or 0.0, 0.0)


def test_gates_from_study_settings() -> None:
    from seccal.mitigate.gating import parse_gates

    gates = parse_gates(["compiles", "functional & static_clean & confidence"], tau=0.7)
    assert [g.name for g in gates] == [
        "compiles",
        "functional tests pass & static analyzers clean & confidence ≥ 0.7",
    ]
    with pytest.raises(InputError, match=r"mitigations.gates\[1\]: unknown gate 'tests'"):
        parse_gates(["compiles", "functional & tests"], where="mitigations.gates")
