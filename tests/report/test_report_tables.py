from seccal.report.model import ReportModel
from seccal.report.tables import Table, headline_table, latex_escape, metrics_table, with_ci
from seccal.report.tables_mitigation import gating_table, repair_table


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


def test_report_tables_have_one_row_per_item(small_model: ReportModel) -> None:
    assert len(headline_table(small_model).rows) == len(small_model.headlines)
    assert len(metrics_table(small_model).rows) == len(small_model.cells)
    gating = gating_table(small_model)
    assert gating is not None
    assert len(gating.rows) == sum(len(m.gates) for m in small_model.mitigations)
    repair = repair_table(small_model)
    assert repair is not None and len(repair.rows) == 4
    # synthetic repairs carry their re-elicited confidence; the caption says what is used
    column = repair.columns.index("confidence after")
    assert {row[column] for row in repair.rows} == {"re-elicited"}
    assert "original confidence is used" in repair.note
