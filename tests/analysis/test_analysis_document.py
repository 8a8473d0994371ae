"""metrics.json: every number, checked against independent computations where cheap."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from analysis_frames import N_BOOT, SETTINGS
from sklearn.metrics import brier_score_loss, roc_auc_score

from seccal.analysis import SCHEMA_VERSION, analyze_frame, read_metrics, validate, write_metrics
from seccal.analysis.extensions import ANALYSES, register_analysis
from seccal.errors import InputError


def _rows(df: pd.DataFrame, **where: Any) -> pd.DataFrame:
    mask = np.ones(len(df), dtype=bool)
    for k, v in where.items():
        mask &= (df[k] == v).to_numpy()
    return df.loc[mask]


def _ece(c: np.ndarray, y: np.ndarray, n_bins: int) -> float:
    # (lo, hi] bins, the first closed at 0
    idx = np.clip(np.ceil(c * n_bins).astype(int) - 1, 0, n_bins - 1)
    return float(
        sum(
            (idx == b).mean() * abs(y[idx == b].mean() - c[idx == b].mean())
            for b in range(n_bins)
            if (idx == b).any()
        )
    )


def test_document_validates_and_is_strict_json(doc: dict[str, Any], tmp_path) -> None:
    assert doc["schema_version"] == SCHEMA_VERSION
    validate(doc)
    path = write_metrics(tmp_path / "metrics.json", doc)
    assert read_metrics(tmp_path) == json.loads(path.read_text("utf-8"))


def test_every_condition_and_target_is_measured(frame: pd.DataFrame, doc: dict[str, Any]) -> None:
    keys = frame.groupby(["model", "temperature", "suite", "gen_variant"]).ngroups
    primary = [r for r in doc["conditions"] if r["confidence"] == doc["primary"][r["target"]]]
    assert len(primary) == 2 * keys
    assert doc["axes"]["gen_variant"] == ["few_shot", "zero_shot"]
    methods = {r["confidence"] for r in doc["conditions"] if r["target"] == "security"}
    # the plain column and its per-variant copy are analysed once
    assert "conf_security_verbal" in methods and "conf_security_verbal_zero_shot" not in methods
    assert {"conf_ptrue", "conf_security_verbal_few_shot"} <= methods


def test_metrics_match_independent_computation(frame: pd.DataFrame, doc: dict[str, Any]) -> None:
    cond = {
        "model": "gpt-4o-mini",
        "temperature": 0.5,
        "suite": "builtin",
        "gen_variant": "zero_shot",
    }
    row = next(
        r
        for r in doc["conditions"]
        if r["condition"] == cond and r["confidence"] == "conf_security_verbal"
    )
    part = _rows(frame, **cond)
    part = part[part["secure"].notna() & part["conf_security_verbal"].notna()]
    c = part["conf_security_verbal"].to_numpy(float)
    y = part["secure"].to_numpy(float)
    s = row["summary"]
    assert row["n"] == len(part) and row["n_total"] == len(_rows(frame, **cond))
    assert s["brier"] == pytest.approx(brier_score_loss(y, c))
    assert s["auroc"] == pytest.approx(roc_auc_score(y, c))
    assert s["ece"] == pytest.approx(_ece(c, y, SETTINGS.n_bins))
    assert s["overconfidence_gap"] == pytest.approx(c.mean() - y.mean())
    assert s["false_trust_rate"] == pytest.approx((c[y == 0] >= 0.8).mean())
    # bins come from the study's [analysis], not a constant
    assert len(row["reliability"]) == SETTINGS.n_bins
    assert sum(b["count"] for b in row["reliability"]) == row["n"]
    for m in ("ece", "mce", "brier", "auroc", "false_trust_rate", "overconfidence_gap"):
        lo, hi = s["ci"][m]
        assert lo <= s[m] + 1e-9 and s[m] <= hi + 1e-9, m
    assert "smece" not in s["ci"] and s["smece"] is not None


def test_unknown_labels_are_counted_with_reasons(frame: pd.DataFrame, doc: dict[str, Any]) -> None:
    total_unknown = sum(r["unknown"]["security"]["n"] for r in doc["outcomes"])
    assert total_unknown == int(frame["secure"].isna().sum()) > 0
    reasons: dict[str, int] = {}
    for r in doc["outcomes"]:
        for k, v in r["unknown"]["security"]["reasons"].items():
            reasons[k] = reasons.get(k, 0) + v
    assert set(reasons) <= {"security test harness crashed", "no code in the reply"}
    assert sum(r["does_not_parse"] for r in doc["outcomes"]) == int((~frame["parses"]).sum())
    for r in doc["outcomes"]:
        labels = r["does_not_parse_labels"]["security"]
        assert sum(labels.values()) == r["does_not_parse"]


def test_mitigations_per_condition_and_pooled(doc: dict[str, Any]) -> None:
    scopes = {json.dumps(r["condition"], sort_keys=True) for r in doc["gating"]}
    n_conditions = len({json.dumps(r["condition"], sort_keys=True) for r in doc["outcomes"]})
    assert len(scopes) == n_conditions + 4  # + each model × suite over all temperatures
    pooled = [r for r in doc["gating"] if r["condition"]["temperature"] is None]
    assert all(r["gates"][0]["gate"] == "no gate" and len(r["gates"]) > 3 for r in pooled)
    fitted = [r for r in doc["recalibration"] if r["before"] is not None]
    assert fitted and all(
        set(r["after"]) | set(r["not_fitted"]) >= {"platt", "isotonic"} for r in fitted
    )
    assert {r["target"] for r in fitted} == {"security", "functional"}
    p = doc["paired"][0]["comparisons"]["ece"]
    assert p["diff"] == pytest.approx(p["security"] - p["functional"])
    assert 0 < p["p_value"] <= 1 and p["ci"][0] <= p["ci"][1]
    assert {r["variant"] for r in doc["repair"]} == {"confidence", "findings"}


def test_temperature_trend_is_the_least_squares_slope(doc: dict[str, Any]) -> None:
    row = next(r for r in doc["temperature_trend"] if r["target"] == "security")
    cond = row["condition"]
    eces = {
        r["condition"]["temperature"]: r["summary"]["ece"]
        for r in doc["conditions"]
        if r["confidence"] == row["confidence"]
        and all(r["condition"][k] == cond[k] for k in ("model", "suite", "gen_variant"))
    }
    t = row["trends"]["ece"]
    x = sorted(eces)
    assert t["x"] == x and t["values"] == pytest.approx([eces[v] for v in x])
    assert t["slope"] == pytest.approx(np.polyfit(x, [eces[v] for v in x], 1)[0])
    assert t["lo"] <= t["hi"] and t["n_valid"] > 0


def test_breakdowns_prompting_levels_cost_sandbox(doc: dict[str, Any]) -> None:
    b = doc["breakdowns"]
    assert {r["cwe"] for r in b["cwe"]} >= {"CWE-89", "CWE-78"}
    assert {r["language"] for r in b["language"]} == {"python", "javascript"}
    assert {r["code_length"] for r in b["code_length"]} <= {
        "1-10",
        "11-25",
        "26-50",
        "51-100",
        ">100",
    }
    gen = doc["prompting"]["generation"]
    assert gen and {v["variant"] for v in gen[0]["variants"]} == {"zero_shot", "few_shot"}
    assert gen[0]["layout"] == "long"
    assert doc["prompting"]["elicitation"][0]["layout"] == "wide"
    assert doc["suite_levels"] == {"builtin": "self_contained", "repo-builtin": "repository"}
    levels = doc["levels"][0]
    assert set(levels["levels"]) == {"self_contained", "repository"}
    assert levels["difference"]["ece"]["diff"] == pytest.approx(
        levels["levels"]["repository"]["summary"]["ece"]
        - levels["levels"]["self_contained"]["summary"]["ece"]
    )
    cost = doc["cost"]
    m = cost["per_model"][0]
    assert m["by_stage"]["generate"] == pytest.approx(0.6 * m["cost_usd"])
    assert m["tokens_in"] == 100 * m["generations"]
    assert doc["sandbox"]["weak"] is False and doc["sandbox"]["levels"]["strong"] > 0


def test_findings_state_the_result_with_intervals(doc: dict[str, Any]) -> None:
    first = doc["findings"][0]
    assert "security confidence is over-confident by" in first
    assert "False Trust at 0.8 is" in first and "ΔECE security − functional" in first
    assert first.count("[") >= 3 and "p = " in first


def test_a_weak_sandbox_is_flagged(frame: pd.DataFrame, config: dict[str, Any]) -> None:
    part = frame[(frame["model"] == "gpt-4o-mini") & (frame["gen_variant"] == "zero_shot")].copy()
    part["isolation"] = "weak"
    doc = analyze_frame(part, config, settings=SETTINGS.__class__(n_boot=0))
    assert doc["sandbox"]["weak"] is True and "WEAK" in doc["sandbox"]["warning"]


def test_extensions_run_and_land_in_the_document(
    frame: pd.DataFrame, config: dict[str, Any]
) -> None:
    @register_analysis("rows")
    def rows(df: pd.DataFrame, settings: Any) -> dict[str, int]:
        return {"rows": len(df), "n_boot": settings.n_boot}

    try:
        part = frame[frame["temperature"] == 0.0]
        doc = analyze_frame(part, config, settings=SETTINGS.__class__(n_boot=0))
    finally:
        del ANALYSES["rows"]
    assert doc["extensions"]["rows"] == {"rows": len(part), "n_boot": 0}


def test_validate_names_the_key_at_fault(doc: dict[str, Any]) -> None:
    with pytest.raises(InputError, match="schema_version"):
        validate({**doc, "schema_version": 0})
    broken = {k: v for k, v in doc.items() if k != "gating"}
    with pytest.raises(InputError, match="gating: missing"):
        validate(broken)
    bad_row = {**doc, "conditions": [{"condition": {}}]}
    with pytest.raises(InputError, match=r"conditions\[0\]"):
        validate(bad_row)


def test_bootstrap_count_comes_from_the_settings(doc: dict[str, Any]) -> None:
    assert doc["settings"]["n_boot"] == N_BOOT and doc["settings"]["n_bins"] == 5
