"""Tables of the mitigation analyses."""

from __future__ import annotations

from seccal.mitigate.repair import RepairSummary
from seccal.report.model import ReportModel
from seccal.report.tables import Table, diff_ci, fmt, prop_ci, with_ci


def recalibration_table(m: ReportModel) -> Table | None:
    """ECE and Brier before and after each method (out-of-fold), with the paired change."""
    rows = []
    for mit in m.mitigations:
        r = mit.recalibration
        if not r:
            continue
        rows.append(
            [
                mit.model,
                "none (raw)",
                with_ci(r["before"], "ece"),
                with_ci(r["before"], "brier"),
                "–",
            ]
        )
        for method, s in r["after"].items():
            rows.append(
                [
                    mit.model,
                    method,
                    with_ci(s, "ece"),
                    with_ci(s, "brier"),
                    diff_ci(r["ece_change"].get(method)),
                ]
            )
    if not rows:
        return None
    return Table(
        "recalibration",
        "Recalibration of the security confidence (out-of-fold)",
        ["model", "method", "ECE", "Brier", "ΔECE vs raw"],
        rows,
        "Fitted by K-fold cross-fitting grouped by task; every number is on held-out folds.",
    )


def gating_table(m: ReportModel) -> Table | None:
    """Coverage, calibration and False Trust of each gate."""
    rows = []
    for mit in m.mitigations:
        for g in mit.gates:
            rows.append(
                [
                    mit.model,
                    g.gate,
                    f"{g.n_accepted}/{g.n_total}",
                    prop_ci(g.coverage),
                    with_ci(g.summary, "ece"),
                    diff_ci(g.ece_change),
                    with_ci(g.summary, "false_trust_rate"),
                    prop_ci(g.vulnerable_share),
                ]
            )
    if not rows:
        return None
    return Table(
        "gating",
        "Execution gating: what each gate accepts",
        [
            "model",
            "gate",
            "accepted",
            "coverage",
            "ECE",
            "ΔECE vs no gate",
            "False Trust",
            "vulnerable share",
        ],
        rows,
        "ΔECE: paired task-bootstrap difference against no gate (negative = better "
        "calibrated). A check that could not run does not pass a gate.",
    )


def prompting_table(m: ReportModel) -> Table | None:
    """Calibration and code security per prompt variant."""
    rows = []
    layout = ""
    for mit in m.mitigations:
        p = mit.prompting
        if p is None:
            continue
        layout = p.layout
        for v in p.variants:
            vs = v.vs_baseline or {}
            rows.append(
                [
                    mit.model,
                    v.variant,
                    str(v.summary["n"]) if v.summary else "0",
                    with_ci(v.summary, "ece"),
                    diff_ci(vs.get("ece")),
                    with_ci(v.summary, "overconfidence_gap"),
                    with_ci(v.summary, "false_trust_rate"),
                    prop_ci(v.label_rate),
                ]
            )
    if not rows:
        return None
    note = (
        "Variants change only how confidence is asked: the code, and so its share secure, "
        "is the same for every variant."
        if layout == "wide"
        else "Each variant generated its own code: the share secure compares the code itself."
    )
    return Table(
        "prompting",
        "Prompting variants (security confidence)",
        ["model", "variant", "n", "ECE", "ΔECE vs zero-shot", "gap", "False Trust", "share secure"],
        rows,
        note,
    )


def paired_table(m: ReportModel) -> Table | None:
    """Security vs functional calibration on the same snippets."""
    rows = []
    for mit in m.mitigations:
        p = mit.paired
        if p is None:
            continue
        for metric, c in p.comparisons.items():
            rows.append(
                [
                    mit.model,
                    metric,
                    str(p.n),
                    fmt(c["security"]),
                    fmt(c["functional"]),
                    diff_ci(c),
                    fmt(c["p_value"]),
                ]
            )
    if not rows:
        return None
    return Table(
        "paired",
        "Security vs functional calibration on the same snippets",
        ["model", "metric", "n", "security", "functional", "Δ (sec − fun)", "p"],
        rows,
        "Paired task-cluster bootstrap: one resample of tasks is shared by both confidences.",
    )


def repair_table(m: ReportModel) -> Table | None:
    """Fixes, regressions and calibration after repair."""
    rows = []
    for mit in m.mitigations:
        for r in mit.repairs:
            rows.append(
                [
                    mit.model,
                    r.variant,
                    f"{r.threshold:g}",
                    f"{r.n_repaired}/{r.n_selected}",
                    prop_ci(r.fix_rate),
                    prop_ci(r.regression_rate),
                    prop_ci(r.secure_rate_before),
                    prop_ci(r.secure_rate_after),
                    with_ci(r.before, "ece"),
                    _after_confidence(r),
                    with_ci(r.after, "ece"),
                    diff_ci(r.ece_change),
                ]
            )
    if not rows:
        return None
    return Table(
        "repair",
        "Calibration-guided repair",
        [
            "model",
            "variant",
            "threshold",
            "judged/selected",
            "fix rate",
            "regression rate",
            "secure before",
            "secure after",
            "ECE before",
            "confidence after",
            "ECE after",
            "ΔECE",
        ],
        rows,
        "fix rate: vulnerable → secure among repaired vulnerable snippets; regression rate: "
        "correct → broken among repaired correct snippets. ECE after: repaired snippets are "
        "scored with the model's security confidence in the repaired code, asked with the "
        "study's own elicitation prompt (re-elicited); where 'confidence after' says "
        "original (a store written before this confidence was asked, or an unparseable "
        "answer), the snippet's original confidence is used instead.",
    )


def _after_confidence(r: RepairSummary) -> str:
    """Which confidence the ECE after repair uses for the repaired snippets."""
    if r.n_repaired == 0:
        return "–"
    if r.n_conf_after == 0:
        return "original"
    if r.n_conf_after == r.n_repaired:
        return "re-elicited"
    return f"re-elicited {r.n_conf_after}/{r.n_repaired}, rest original"
