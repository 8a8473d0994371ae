"""The report's detail tables, from ``metrics.json``: every condition, method and breakdown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seccal.report.paper_tables import CI_NOTE, variant_rows
from seccal.report.tables import Table, diff_ci, fmt, pooled, prop_ci, temp, with_ci

Doc = Mapping[str, Any]


def headline_table(doc: Doc) -> Table:
    """Per model and target, pooled over temperatures and suites."""
    tau = doc["settings"]["tau"]
    rows = []
    for r in doc["models"]:
        for target, m in r["targets"].items():
            s = m["summary"]
            rows.append(
                [
                    r["condition"]["model"],
                    target,
                    str(m["n"]),
                    fmt(m["mean_confidence"]),
                    prop_ci(m["label_rate"]),
                    with_ci(s, "ece"),
                    with_ci(s, "brier"),
                    with_ci(s, "auroc"),
                    with_ci(s, "overconfidence_gap"),
                    with_ci(s, "false_trust_rate"),
                ]
            )
    return Table(
        "headline",
        "Calibration per model (all temperatures and suites pooled)",
        [
            "model",
            "target",
            "n",
            "mean conf",
            "share secure/correct",
            "ECE",
            "Brier",
            "AUROC",
            "gap",
            f"False Trust (τ={tau:g})",
        ],
        rows,
        f"gap = mean(c) − mean(y). {CI_NOTE}",
    )


def conditions_table(doc: Doc) -> Table:
    """Every model × temperature × suite × generation variant × target (primary confidence)."""
    rows = []
    for r in doc["conditions"]:
        if r["confidence"] != doc["primary"].get(r["target"]):
            continue
        c, s = r["condition"], r["summary"]
        rows.append(
            [
                c["model"],
                temp(c["temperature"]),
                c["suite"],
                c["gen_variant"],
                r["target"],
                str(r["n"]),
                with_ci(s, "ece"),
                with_ci(s, "mce"),
                fmt(s and s.get("smece")),
                with_ci(s, "brier"),
                fmt(s and s.get("brier_reliability")),
                fmt(s and s.get("brier_resolution")),
                fmt(s and s.get("brier_uncertainty")),
                with_ci(s, "auroc"),
                with_ci(s, "overconfidence_gap"),
                with_ci(s, "false_trust_rate"),
                str(r["n_unknown_label"]),
            ]
        )
    return Table(
        "metrics",
        "Calibration per model, temperature, suite and generation variant",
        [
            "model",
            "T",
            "suite",
            "variant",
            "target",
            "n",
            "ECE",
            "MCE",
            "smECE",
            "Brier",
            "REL",
            "RES",
            "UNC",
            "AUROC",
            "gap",
            "False Trust",
            "unknown",
        ],
        rows,
        "Brier = REL − RES + UNC (Murphy). 'unknown': snippets whose label could not be "
        f"determined (excluded, never read as 0 or 1). smECE: point estimate only. {CI_NOTE}",
    )


def methods_table(doc: Doc) -> Table | None:
    """Security calibration of each confidence method, per model."""
    rows = [
        [
            r["condition"]["model"],
            r["confidence"],
            str(r["n"]),
            with_ci(r["summary"], "ece"),
            with_ci(r["summary"], "brier"),
            with_ci(r["summary"], "auroc"),
            with_ci(r["summary"], "false_trust_rate"),
        ]
        for r in doc["methods"]
    ]
    if len({r[1] for r in rows}) < 2:
        return None
    return Table(
        "methods",
        "Security calibration by confidence method (all temperatures and suites)",
        ["model", "confidence", "n", "ECE", "Brier", "AUROC", "False Trust"],
        rows,
        CI_NOTE,
    )


def trend_table(doc: Doc) -> Table | None:
    """Slope of each metric over temperature, per model × suite × variant × target."""
    rows = []
    for r in doc["temperature_trend"]:
        c = r["condition"]
        cells = [c["model"], c["suite"], c["gen_variant"], r["target"]]
        for metric in ("ece", "overconfidence_gap", "false_trust_rate"):
            t = r["trends"].get(metric) or {}
            change = {
                "diff": t.get("slope"),
                "ci": [t.get("lo"), t.get("hi")],
                "p_value": t.get("p_value"),
            }
            cells.append(diff_ci(change, p_value=True))
        rows.append(cells)
    if not rows:
        return None
    return Table(
        "temperature_trend",
        "The effect of temperature: slope per unit of temperature",
        ["model", "suite", "variant", "target", "ECE slope", "gap slope", "False Trust slope"],
        rows,
        "Least-squares slope of the metric against temperature; the CI and p-value come from "
        "a task-cluster bootstrap that draws the same tasks at every temperature.",
    )


def recalibration_table(doc: Doc) -> Table | None:
    """ECE before and after each method (out-of-fold), per model × suite."""
    rows = []
    for r in doc["recalibration"]:
        c = r["condition"]
        if not pooled(c) or r["before"] is None:
            continue
        head = [c["model"], c["suite"], r["target"]]
        rows.append(
            [*head, "none (raw)", with_ci(r["before"], "ece"), with_ci(r["before"], "brier"), "–"]
        )
        for method, s in r["after"].items():
            rows.append(
                [
                    *head,
                    method,
                    with_ci(s, "ece"),
                    with_ci(s, "brier"),
                    diff_ci(r["ece_change"].get(method), p_value=True),
                ]
            )
    if not rows:
        return None
    return Table(
        "recalibration",
        "Recalibration (out-of-fold), all temperatures",
        ["model", "suite", "target", "method", "ECE", "Brier", "ΔECE vs raw"],
        rows,
        "Fitted by K-fold cross-fitting grouped by task; every number is on held-out folds. "
        "metrics.json holds the same per temperature.",
    )


def paired_table(doc: Doc) -> Table | None:
    """Security − functional on the same snippets, per condition and pooled."""
    rows = []
    for p in doc["paired"]:
        c = p["condition"]
        e = p["comparisons"].get("ece")
        if e is None:
            continue
        rows.append(
            [
                c["model"],
                temp(c["temperature"]),
                c["suite"],
                c["gen_variant"],
                str(p["n"]),
                fmt(e["security"]),
                fmt(e["functional"]),
                diff_ci(e, p_value=True),
            ]
        )
    if not rows:
        return None
    return Table(
        "paired",
        "Security vs functional ECE on the same snippets",
        ["model", "T", "suite", "variant", "n", "security", "functional", "Δ (sec − fun)"],
        rows,
        "Paired task-cluster bootstrap: one resample of tasks is shared by both confidences.",
    )


def breakdown_table(doc: Doc, name: str) -> Table | None:
    """Calibration per CWE, language or code length (``name``), per model and target."""
    rows = [
        [
            r["condition"]["model"],
            r["target"],
            str(r[name]),
            str(r["n"]),
            fmt(r["mean_confidence"]),
            prop_ci(r["label_rate"]),
            with_ci(r["summary"], "ece"),
            with_ci(r["summary"], "false_trust_rate"),
            with_ci(r["summary"], "overconfidence_gap"),
        ]
        for r in doc["breakdowns"][name]
    ]
    if not rows:
        return None
    title = {"cwe": "CWE", "language": "language", "code_length": "code length (lines)"}[name]
    return Table(
        f"by_{name}",
        f"Calibration per {title} (all temperatures and suites)",
        [
            "model",
            "target",
            title,
            "n",
            "mean conf",
            "share secure/correct",
            "ECE",
            "False Trust",
            "gap",
        ],
        rows,
        ("A snippet of a task with several CWEs counts under each. " if name == "cwe" else "")
        + CI_NOTE,
    )


def outcomes_table(doc: Doc) -> Table:
    """Per condition: unknown labels and why, and code that does not parse."""
    rows = []
    for r in doc["outcomes"]:
        c = r["condition"]
        cells = [
            c["model"],
            temp(c["temperature"]),
            c["suite"],
            c["gen_variant"],
            str(r["n"]),
            str(r["no_code"]),
            str(r["does_not_parse"]),
        ]
        for target in ("security", "functional"):
            u = r["unknown"].get(target)
            if u is None:
                cells += ["–", "–"]
                continue
            share = "–" if u["share"] is None else f"{100 * u['share']:.0f}%"
            reasons = "; ".join(f"{k} ({v})" for k, v in list(u["reasons"].items())[:3])
            cells += [f"{u['n']} ({share})", reasons or "–"]
        rows.append(cells)
    return Table(
        "unknown",
        "What the numbers leave out: unknown labels and code that does not parse",
        [
            "model",
            "T",
            "suite",
            "variant",
            "snippets",
            "no code",
            "does not parse",
            "security unknown",
            "why (top 3)",
            "functional unknown",
            "why (top 3)",
        ],
        rows,
        "Unknown labels are excluded from every metric and counted here with the judge's "
        "reasons; code that does not parse is its own category (metrics.json "
        "outcomes[].does_not_parse_labels gives its labels).",
    )


def cost_table(doc: Doc) -> Table:
    """Cost and tokens per model, and per stage where the data records stages."""
    cost = doc["cost"]
    stages = sorted({s for m in cost["per_model"] for s in m["by_stage"]})
    rows = []
    for m in cost["per_model"]:
        rows.append(
            [
                m["model"],
                str(m["generations"]),
                fmt(m["cost_usd"], 4),
                *(fmt(m["by_stage"].get(s), 4) for s in stages),
                "–" if m["tokens_in"] is None else str(m["tokens_in"]),
                "–" if m["tokens_out"] is None else str(m["tokens_out"]),
            ]
        )
    return Table(
        "cost",
        "Cost and tokens per model",
        [
            "model",
            "generations",
            "cost USD",
            *(f"{s} USD" for s in stages),
            "tokens in",
            "tokens out",
        ],
        rows,
        f"Total ${fmt(cost['total_usd'], 4)}. {cost['tokens_note']}.",
    )


def elicitation_table(doc: Doc) -> Table | None:
    """Confidence prompt variants on the same code, per model (all temperatures and suites)."""
    body = variant_rows(list(doc["prompting"]["elicitation"]), with_suite=False)
    if not body:
        return None
    return Table(
        "elicitation",
        "Elicitation prompt variants (same code, confidence asked differently)",
        [
            "model",
            "target",
            "variant",
            "n",
            "ECE",
            "ΔECE vs zero-shot",
            "gap",
            "False Trust",
            "share secure/correct",
        ],
        body,
        "Variants change only how confidence is asked: the code, and so its share secure, "
        f"is the same for every variant. {CI_NOTE}",
    )
