"""The report's gate section: plain data per model, suite and alpha, and its table."""

from __future__ import annotations

from seccal.gate.summary import ALPHAS, gate_markdown, gate_section, gate_table
from seccal.gate.synthetic import synthetic_study


def test_section_per_model_suite_and_alpha() -> None:
    df = synthetic_study(n_tasks=160, rows_per_task=8, seed=11)
    sec = gate_section(df, n_splits=4)
    keys = {(r["model"], r["suite"], r["alpha"]) for r in sec["rows"]}
    assert keys == {
        (m, s, a) for m in df["model"].unique() for s in ("builtin", "repo") for a in ALPHAS
    }
    for r in sec["rows"]:
        assert r["test_rows"] > 0
        assert r["accepted_share"] is None or 0 <= r["accepted_share"] <= 1
    looser = [r["accepted_share"] or 0 for r in sec["rows"] if r["alpha"] == 0.2]
    stricter = [r["accepted_share"] or 0 for r in sec["rows"] if r["alpha"] == 0.05]
    assert sum(looser) >= sum(stricter)
    _, rows, note = gate_table(sec)
    assert len(rows) == len(sec["rows"]) and "delta = 0.1" in note
    assert gate_markdown(sec).startswith("| model | suite | alpha")


def test_section_says_why_when_a_model_cannot_carry_a_gate() -> None:
    df = synthetic_study(n_tasks=8, rows_per_task=4, seed=12)
    sec = gate_section(df, n_splits=2)
    assert sec["rows"] and all(r["note"] for r in sec["rows"])
    assert gate_section(df.drop(columns=["secure"]))["note"]
