import pandas as pd
import pytest

from seccal.calibration.report import summarize
from seccal.errors import InputError
from seccal.report.compute import compute_report, options_from_config, primary_columns
from seccal.report.data import ReportInput
from seccal.report.model import Options, ReportModel


def test_cells_cover_every_condition_and_both_targets(
    small_input: ReportInput, small_model: ReportModel
) -> None:
    df = small_input.frame
    conditions = df.groupby(["model", "temperature", "suite"]).ngroups
    assert len(small_model.cells) == 2 * conditions
    cell = next(
        c
        for c in small_model.cells
        if c.model == "gpt-4o-mini"
        and c.temperature == 0.8
        and c.suite == "builtin"
        and c.target == "security"
    )
    part = df[(df.model == "gpt-4o-mini") & (df.temperature == 0.8) & (df.suite == "builtin")]
    part = part[part["secure"].notna() & part["conf_security_verbal"].notna()]
    expected = summarize(part["conf_security_verbal"], part["secure"].astype(float), n_boot=0)
    assert cell.n == len(part)
    assert cell.summary is not None and cell.summary["ece"] == pytest.approx(expected["ece"])
    assert sum(r["count"] for r in cell.reliability) == cell.n
    assert set(cell.summary["ci"]) >= {"ece", "brier"}


def test_headlines_say_what_the_numbers_mean(small_model: ReportModel) -> None:
    sec = [h for h in small_model.headlines if h.target == "security"]
    assert {h.model for h in sec} == {"gpt-4o-mini", "gemini-2.0-flash"}
    for h in sec:
        assert h.model in h.text and "ECE" in h.text
        assert ("over-confident" in h.text) == (h.mean_confidence > h.label_rate.estimate + 0.05)  # type: ignore[operator]
    assert any("functional" in p for p in small_model.summary_points)


def test_label_source_counts_and_every_setting_are_kept(small_model: ReportModel) -> None:
    assert small_model.label_source == "dynamic"
    assert "security tests" in small_model.label_definition
    keys = dict(small_model.settings)
    assert keys["label_source"] == '"dynamic"' and keys["analysis.tau"] == "0.8"
    assert keys["models[1].name"] == '"gemini-2.0-flash"'
    c = small_model.counts
    assert c["secure"] + c["vulnerable"] + c["security unknown"] == c["snippets"]


def test_mitigations_are_computed_per_model(small_model: ReportModel) -> None:
    for m in small_model.mitigations:
        assert m.gates[0].gate == "no gate" and len(m.gates) > 3
        assert m.prompting is not None and m.prompting.layout == "wide"
        assert m.paired is not None and "ece" in m.paired.comparisons
        assert {r.variant for r in m.repairs} == {"confidence", "findings"}
        assert m.recalibration is not None or m.notes


def test_options_come_from_the_study_config_with_overrides() -> None:
    opt = options_from_config({"analysis": {"n_boot": 123, "tau": 0.7}}, n_boot=5)
    assert opt == Options(n_boot=5, tau=0.7)


def test_missing_confidence_column_is_a_clear_error() -> None:
    df = pd.DataFrame(
        {"model": ["m"], "temperature": [0.0], "suite": ["s"], "task_id": ["t"], "secure": [1]}
    )
    with pytest.raises(InputError, match="no security confidence column"):
        primary_columns(df)
    with pytest.raises(InputError, match="no rows"):
        compute_report(ReportInput(df.iloc[:0], {}, "empty"))


def test_study_can_choose_its_gates(tiny_input: ReportInput) -> None:
    config = {**tiny_input.config, "mitigations": {"gates": ["functional & static_clean"]}}
    inp = ReportInput(tiny_input.frame, config, "x")
    m = compute_report(inp, options=Options(n_boot=10))
    assert [g.gate for g in m.mitigations[0].gates] == [
        "no gate",
        "functional tests pass & static analyzers clean",
    ]
