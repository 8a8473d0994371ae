"""The paper's tables, from ``metrics.json``: what ``seccal tables`` writes and the report embeds.

* one calibration table per benchmark (suite): model × temperature rows, security and
  functional ECE, Brier, False Trust and gap side by side, with task-cluster CIs;
* a gating table, a repair table, a prompting table (generation variants);
* a self-contained vs repository-level comparison.

Each function reads the document only; one that has nothing to show returns None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seccal.report.tables import Table, diff_ci, pooled, prop_ci, with_ci

Doc = Mapping[str, Any]
_SIDE = ("ECE", "Brier", "False Trust", "gap")
_SIDE_KEYS = ("ece", "brier", "false_trust_rate", "overconfidence_gap")
CI_NOTE = "Brackets: 95% task-cluster bootstrap CI (tasks resampled, not snippets)."


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text).strip("_").lower() or "suite"


def _primary_rows(doc: Doc) -> dict[tuple[str, float, str, str], Mapping[str, Any]]:
    """``(model, temperature, suite, target) -> condition row`` of the primary confidences."""
    base = doc["baseline_gen_variant"]
    out = {}
    for r in doc["conditions"]:
        c = r["condition"]
        if c["gen_variant"] == base and r["confidence"] == doc["primary"].get(r["target"]):
            out[(c["model"], c["temperature"], c["suite"], r["target"])] = r
    return out


def calibration_tables(doc: Doc) -> list[Table]:
    """One table per suite: model × temperature, security and functional side by side."""
    rows = _primary_rows(doc)
    targets = [t for t in ("security", "functional") if t in doc["primary"]]
    tau = doc["settings"]["tau"]
    level = doc["suite_levels"]
    out = []
    for suite in doc["axes"]["suite"]:
        body = []
        for model in doc["axes"]["model"]:
            for t in doc["axes"]["temperature"]:
                cells = [model, f"{t:g}"]
                n = None
                for target in targets:
                    r = rows.get((model, t, suite, target))
                    s = r["summary"] if r else None
                    n = n or (r["n"] if r else None)
                    cells += [with_ci(s, k) for k in _SIDE_KEYS]
                if n is not None:
                    body.append([cells[0], cells[1], str(n), *cells[2:]])
        if not body:
            continue
        columns = ["model", "T", "n"] + [
            f"{'Sec' if target == 'security' else 'Fun'} {name}"
            for target in targets
            for name in _SIDE
        ]
        kind = "repository-level" if level.get(suite) == "repository" else "self-contained"
        out.append(
            Table(
                f"calibration_{_slug(suite)}",
                f"Calibration on {suite} ({kind}), {doc['baseline_gen_variant']} prompts",
                columns,
                body,
                f"Sec: security confidence ({doc['primary']['security']}) against secure; Fun: "
                f"functional confidence against correct. False Trust: P(c ≥ {tau:g} | label 0); "
                f"gap: mean(c) − mean(y), positive = over-confident. n: snippets with a known "
                f"security label and confidence. {CI_NOTE}",
            )
        )
    return out


def gating_table(doc: Doc) -> Table | None:
    """Each gate per model × suite (all temperatures): coverage, ECE, False Trust."""
    body = []
    for row in doc["gating"]:
        c = row["condition"]
        if not pooled(c):
            continue
        for g in row["gates"]:
            body.append(
                [
                    c["model"],
                    c["suite"],
                    g["gate"],
                    f"{g['n_accepted']}/{g['n_total']}",
                    prop_ci(g["coverage"]),
                    with_ci(g["summary"], "ece"),
                    diff_ci(g["ece_change"]),
                    with_ci(g["summary"], "false_trust_rate"),
                    prop_ci(g["vulnerable_share"]),
                ]
            )
    if not body:
        return None
    return Table(
        "gating",
        "Execution gating: what each gate accepts (all temperatures)",
        [
            "model",
            "suite",
            "gate",
            "accepted",
            "coverage",
            "ECE",
            "ΔECE vs no gate",
            "False Trust",
            "vulnerable share",
        ],
        body,
        "ΔECE: paired task-bootstrap difference against no gate (negative = better "
        f"calibrated). A check that could not run does not pass a gate. {CI_NOTE}",
    )


def _after_confidence(r: Mapping[str, Any]) -> str:
    if r["n_repaired"] == 0:
        return "–"
    if r["n_conf_after"] == 0:
        return "original"
    if r["n_conf_after"] == r["n_repaired"]:
        return "re-elicited"
    return f"re-elicited {r['n_conf_after']}/{r['n_repaired']}, rest original"


def repair_table(doc: Doc) -> Table | None:
    """Fixes, regressions and ΔECE of each repair variant per model × suite."""
    body = [
        [
            r["condition"]["model"],
            r["condition"]["suite"],
            r["variant"],
            f"{r['threshold']:g}",
            f"{r['n_repaired']}/{r['n_selected']}",
            prop_ci(r["fix_rate"]),
            prop_ci(r["regression_rate"]),
            prop_ci(r["secure_rate_before"]),
            prop_ci(r["secure_rate_after"]),
            with_ci(r["before"], "ece"),
            _after_confidence(r),
            with_ci(r["after"], "ece"),
            diff_ci(r["ece_change"], p_value=True),
        ]
        for r in doc["repair"]
    ]
    if not body:
        return None
    return Table(
        "repair",
        "Calibration-guided repair",
        [
            "model",
            "suite",
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
        body,
        "fix rate: vulnerable → secure among repaired vulnerable snippets; regression rate: "
        "correct → broken among repaired correct snippets. ECE after: repaired snippets are "
        "scored with the model's security confidence in the repaired code, asked with the "
        "study's own elicitation prompt (re-elicited); where 'confidence after' says "
        "original (a store written before this confidence was asked, or an unparseable "
        f"answer), the snippet's original confidence is used instead. {CI_NOTE}",
    )


def variant_rows(rows: list[Mapping[str, Any]], with_suite: bool) -> list[list[str]]:
    """Rows of prompt-variant comparisons (``metrics.json`` ``prompting``)."""
    body = []
    for row in rows:
        c = row["condition"]
        for v in row["variants"]:
            vs = v["vs_baseline"] or {}
            s = v["summary"]
            body.append(
                [
                    c["model"],
                    *([c["suite"]] if with_suite else []),
                    row["target"],
                    v["variant"],
                    str(s["n"]) if s else "0",
                    with_ci(s, "ece"),
                    diff_ci(vs.get("ece"), p_value=True),
                    with_ci(s, "overconfidence_gap"),
                    with_ci(s, "false_trust_rate"),
                    prop_ci(v["label_rate"]),
                ]
            )
    return body


def prompting_table(doc: Doc) -> Table | None:
    """Generation variants (zero-shot, few-shot, CoT, few-shot + CoT) per model × suite."""
    body = variant_rows(list(doc["prompting"]["generation"]), with_suite=True)
    if not body:
        return None
    return Table(
        "prompting",
        "Prompting variants of generation (all temperatures)",
        [
            "model",
            "suite",
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
        "Each variant generated its own code: the share secure compares the code itself. "
        f"ΔECE: paired task-bootstrap difference against zero-shot. {CI_NOTE}",
    )


def levels_table(doc: Doc) -> Table | None:
    """Self-contained vs repository-level suites, per model and target."""
    body = []
    for row in doc["levels"]:
        lv = row["levels"]
        a, b = lv.get("self_contained"), lv.get("repository")
        if a is None or b is None:
            continue
        d = (row["difference"] or {}).get("ece")
        body.append(
            [
                row["condition"]["model"],
                row["target"],
                str(a["n"]),
                with_ci(a["summary"], "ece"),
                with_ci(a["summary"], "false_trust_rate"),
                str(b["n"]),
                with_ci(b["summary"], "ece"),
                with_ci(b["summary"], "false_trust_rate"),
                diff_ci(d, p_value=True),
            ]
        )
    if not body:
        return None
    return Table(
        "levels",
        "Self-contained vs repository-level tasks (all temperatures)",
        [
            "model",
            "target",
            "n self-contained",
            "ECE self-contained",
            "False Trust self-contained",
            "n repository",
            "ECE repository",
            "False Trust repository",
            "ΔECE (repo − self)",
        ],
        body,
        "Different tasks at each level: the difference is an unpaired task-cluster "
        f"bootstrap. {CI_NOTE}",
    )


def paper_tables(doc: Doc) -> list[Table]:
    """Every paper table the document can fill, in paper order."""
    tables: list[Table | None] = [
        *calibration_tables(doc),
        gating_table(doc),
        repair_table(doc),
        prompting_table(doc),
        levels_table(doc),
    ]
    return [t for t in tables if t is not None]
