from typing import Any

from seccal.report.paper_tables import (
    calibration_tables,
    gating_table,
    levels_table,
    paper_tables,
    repair_table,
)
from seccal.report.tables import Table, latex_escape, with_ci
from seccal.report.tables_detail import conditions_table, headline_table


def test_markdown_and_latex_exports() -> None:
    t = Table("x", "Rates & gaps", ["model", "ECE"], [["a|b", "0.300 [0.20, 0.40]"]], "n_b")
    md = t.to_markdown()
    assert "| model | ECE |" in md and "a\\|b" in md and md.count("\n|") == 3
    tex = t.to_latex()
    assert "\\caption{Rates \\& gaps}" in tex and "\\toprule" in tex and "n\\_b" in tex
    assert "\\label{tab:x}" in tex


def test_latex_escape_maps_symbols() -> None:
    assert latex_escape("c ≥ τ, 50% & $") == "c $\\geq$ $\\tau$, 50\\% \\& \\$"


def test_values_carry_their_intervals() -> None:
    assert with_ci({"ece": 0.31234, "ci": {"ece": [0.2, 0.4]}}, "ece") == "0.312 [0.20, 0.40]"
    assert with_ci({"auroc": None, "ci": {}}, "auroc") == "–"


def test_calibration_table_per_benchmark_reads_the_document(small_doc: dict[str, Any]) -> None:
    tables = calibration_tables(small_doc)
    assert [t.name for t in tables] == ["calibration_builtin", "calibration_repo_builtin"]
    t = tables[0]
    assert t.columns[:3] == ["model", "T", "n"]
    assert "Sec ECE" in t.columns and "Fun gap" in t.columns
    assert len(t.rows) == 2 * 2  # models x temperatures
    row = next(
        r
        for r in small_doc["conditions"]
        if r["condition"]
        == {
            "model": "gpt-4o-mini",
            "temperature": 0.8,
            "suite": "builtin",
            "gen_variant": "zero_shot",
        }
        and r["confidence"] == "conf_security_verbal"
    )
    cells = t.rows[1]
    assert cells[:3] == ["gpt-4o-mini", "0.8", str(row["n"])]
    assert cells[t.columns.index("Sec ECE")] == with_ci(row["summary"], "ece")


def test_tables_have_one_row_per_item(small_doc: dict[str, Any]) -> None:
    assert len(headline_table(small_doc).rows) == 2 * len(small_doc["models"])
    primary = [
        r for r in small_doc["conditions"] if r["confidence"] == small_doc["primary"][r["target"]]
    ]
    assert len(conditions_table(small_doc).rows) == len(primary)
    gating = gating_table(small_doc)
    pooled = [r for r in small_doc["gating"] if r["condition"]["temperature"] is None]
    assert gating is not None and len(gating.rows) == sum(len(r["gates"]) for r in pooled)
    repair = repair_table(small_doc)
    assert repair is not None and len(repair.rows) == len(small_doc["repair"]) == 8
    column = repair.columns.index("confidence after")
    assert {row[column] for row in repair.rows} == {"re-elicited"}
    assert "original confidence is used" in repair.note
    levels = levels_table(small_doc)
    assert levels is not None and len(levels.rows) == 4
    names = [t.name for t in paper_tables(small_doc)]
    assert names == [
        "calibration_builtin",
        "calibration_repo_builtin",
        "gating",
        "repair",
        "levels",
    ]
