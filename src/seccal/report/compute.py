"""Compute a report model from a :class:`~seccal.report.data.ReportInput` (no drawing here).

Every metric and interval comes from :mod:`seccal.calibration`; the mitigation analyses
from :mod:`seccal.mitigate`. The headline sentences say in words what the numbers mean.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from seccal.calibration.proportion import cluster_proportion
from seccal.core.labels import LABEL_SOURCE_TEXT
from seccal.core.results import known_rows
from seccal.errors import InputError
from seccal.gate.summary import gate_section
from seccal.report.data import ReportInput
from seccal.report.glossary import glossary
from seccal.report.mitigations import model_mitigations
from seccal.report.model import (
    Cell,
    Headline,
    MethodRow,
    Options,
    ReportModel,
    RiskCurve,
)

TARGET_LABEL = {"security": "secure", "functional": "correct"}
_REPAIR_TEXT = {
    "confidence": "given only its own confidence",
    "findings": "given the analyzer findings",
}
_SECURITY_METHODS = ("conf_security_", "conf_ptrue", "conf_consistency", "conf_likelihood")


def options_from_config(config: dict[str, Any], **overrides: Any) -> Options:
    """Analysis options of the study config, with non-None ``overrides`` applied."""
    a = dict(config.get("analysis") or {})
    base = Options()
    values = {
        k: a.get(k, getattr(base, k)) for k in ("n_boot", "seed", "n_bins", "strategy", "tau")
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Options(**values)


def primary_columns(df: pd.DataFrame) -> tuple[str, str | None]:
    """The security and functional confidence columns the report is about."""
    sec = [c for c in df.columns if c.startswith("conf_security_verbal")]
    if "conf_security_verbal" in df.columns:
        security = "conf_security_verbal"
    elif sec:
        security = sec[0]
    elif "conf_ptrue" in df.columns:
        security = "conf_ptrue"
    else:
        raise InputError(
            "results table: no security confidence column (conf_security_verbal, "
            "conf_security_verbal_<variant> or conf_ptrue)"
        )
    fun = "conf_functional_verbal" if "conf_functional_verbal" in df.columns else None
    if fun is None:
        fun = next((c for c in df.columns if c.startswith("conf_functional_verbal")), None)
    return security, fun


def _summary(df: pd.DataFrame, conf: str, label: str, opt: Options) -> tuple[Any, Any]:
    from seccal.calibration.report import summarize

    s = known_rows(df, conf, label)
    if s.n == 0:
        return s, None
    summary = summarize(
        s.conf,
        s.labels,
        groups=s.groups,
        n_bins=opt.n_bins,
        strategy=opt.strategy,
        tau=opt.tau,
        n_boot=opt.n_boot,
        seed=opt.seed,
    )
    return s, summary


def _cells(df: pd.DataFrame, targets: dict[str, str], opt: Options) -> list[Cell]:
    from seccal.calibration.metrics import reliability

    cells = []
    for (model, temp, suite), part in df.groupby(["model", "temperature", "suite"], sort=False):
        part = part.reset_index(drop=True)
        for target, conf in targets.items():
            s, summary = _summary(part, conf, TARGET_LABEL[target], opt)
            rel = (
                reliability(s.conf, s.labels, n_bins=opt.n_bins, strategy=opt.strategy).rows()
                if s.n
                else []
            )
            cells.append(
                Cell(
                    str(model),
                    float(str(temp)),
                    str(suite),
                    target,
                    conf,
                    s.n,
                    s.n_unknown_label,
                    s.n_missing_confidence,
                    summary,
                    rel,
                )
            )
    return cells


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _sentence(model: str, target: str, mean_c: float | None, rate: float | None, s: Any) -> str:
    what = "secure" if target == "security" else "correct"
    if s is None or mean_c is None or rate is None:
        return f"{model}: no {target} label and confidence known together; nothing to measure."
    gap = mean_c - rate
    mood = "over-confident" if gap > 0.05 else "under-confident" if gap < -0.05 else "about right"
    text = (
        f"{model} states on average {_pct(mean_c)} confidence that its code is {what}; "
        f"{_pct(rate)} of it is ({mood}, ECE {s['ece']:.3f})."
    )
    if target == "security" and s.get("false_trust_rate") is not None:
        text += (
            f" {_pct(s['false_trust_rate'])} of its vulnerable snippets come with high "
            "confidence (False Trust)."
        )
    if s.get("auroc") is not None:
        auroc = s["auroc"]
        rank = "barely" if auroc < 0.6 else "partly" if auroc < 0.75 else "well"
        text += f" Its confidence {rank} separates {what} from other code (AUROC {auroc:.2f})."
    return text


def _headlines(df: pd.DataFrame, targets: dict[str, str], opt: Options) -> list[Headline]:
    out = []
    for model, part in df.groupby("model", sort=False):
        part = part.reset_index(drop=True)
        for target, conf in targets.items():
            s, summary = _summary(part, conf, TARGET_LABEL[target], opt)
            mean_c = float(s.conf.mean()) if s.n else None
            rate = cluster_proportion(s.labels, s.groups, n_boot=opt.n_boot, seed=opt.seed)
            text = _sentence(str(model), target, mean_c, rate.estimate, summary)
            out.append(Headline(str(model), target, conf, s.n, mean_c, rate, summary, text))
    return out


def _methods(df: pd.DataFrame, opt: Options) -> list[MethodRow]:
    cols = [c for c in df.columns if c.startswith(_SECURITY_METHODS)]
    out = []
    for model, part in df.groupby("model", sort=False):
        part = part.reset_index(drop=True)
        for col in cols:
            s, summary = _summary(part, col, "secure", opt)
            out.append(MethodRow(str(model), col, s.n, summary))
    return out


def _risk(df: pd.DataFrame, conf: str) -> list[RiskCurve]:
    from seccal.calibration.metrics import risk_coverage, threshold_curves

    out = []
    for model, part in df.groupby("model", sort=False):
        s = known_rows(part.reset_index(drop=True), conf, "secure")
        if s.n == 0:
            continue
        rc = risk_coverage(s.conf, s.labels)
        tc = threshold_curves(s.conf, s.labels, taus=np.linspace(0, 1, 21))
        out.append(
            RiskCurve(
                str(model),
                [float(x) for x in rc.coverage],
                [float(x) for x in rc.risk],
                [float(x) for x in tc.tau],
                [None if np.isnan(x) else float(x) for x in tc.false_trust_rate],
            )
        )
    return out


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for k in value:
            _flatten(f"{prefix}.{k}" if prefix else str(k), value[k], out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _flatten(f"{prefix}[{i}]", v, out)
    else:
        out.append((prefix, json.dumps(value, ensure_ascii=False, default=str)))


def _counts(df: pd.DataFrame) -> dict[str, int]:
    from seccal.core.results import label_array

    sec, cor = label_array(df, "secure"), label_array(df, "correct") if "correct" in df else None
    counts = {
        "snippets": len(df),
        "tasks": int(df["task_id"].nunique()),
        "secure": int((sec == 1).sum()),
        "vulnerable": int((sec == 0).sum()),
        "security unknown": int(np.isnan(sec).sum()),
    }
    if cor is not None:
        counts.update(
            {
                "correct": int((cor == 1).sum()),
                "incorrect": int((cor == 0).sum()),
                "function unknown": int(np.isnan(cor).sum()),
            }
        )
    if "has_code" in df.columns:
        counts["without code"] = int((label_array(df, "has_code") == 0).sum())
    return counts


def _points(headlines: list[Headline], mitigations: list[Any]) -> list[str]:
    points = [h.text for h in headlines if h.target == "security"]
    for m in mitigations:
        if m.paired is not None and "ece" in m.paired.comparisons:
            c = m.paired.comparisons["ece"]
            worse = "worse" if c["diff"] > 0 else "better"
            ci = c["ci"]
            ci_text = f" (95% CI {ci[0]:+.3f} to {ci[1]:+.3f})" if ci else ""
            points.append(
                f"{m.model}: security confidence is {worse} calibrated than functional "
                f"confidence on the same snippets: ECE {c['security']:.3f} vs "
                f"{c['functional']:.3f}, difference {c['diff']:+.3f}{ci_text}."
            )
        best = [g for g in m.gates[1:] if g.ece_change and g.ece_change.get("relative") is not None]
        if best:
            g = min(best, key=lambda r: r.ece_change["relative"])
            points.append(
                f"{m.model}: the gate “{g.gate}” changes ECE by "
                f"{100 * g.ece_change['relative']:+.0f}% while accepting "
                f"{_pct(g.coverage.estimate)} of the snippets."
            )
        recal = m.recalibration
        if recal and recal.get("after"):
            method, after = min(recal["after"].items(), key=lambda kv: kv[1]["ece"])
            points.append(
                f"{m.model}: {method} recalibration (out-of-fold) brings security ECE from "
                f"{recal['before']['ece']:.3f} to {after['ece']:.3f}."
            )
        for r in m.repairs:
            points.append(
                f"{m.model}: repair {_REPAIR_TEXT.get(r.variant, r.variant)} "
                f"({r.n_selected} snippets below confidence {r.threshold:g}) fixed {_pct(r.fix_rate.estimate)} of the "
                f"vulnerable ones and broke {_pct(r.regression_rate.estimate)} of the correct "
                "ones."
            )
    return points


def compute_report(
    inp: ReportInput, *, options: Options | None = None, title: str | None = None
) -> ReportModel:
    """Compute everything a report shows.

    Parameters
    ----------
    inp : ReportInput
        Results table, study config and repairs.
    options : Options, optional
        Analysis settings; default from the study config's ``analysis`` table.
    title : str, optional
        Report title (default from the study name).
    """
    df = inp.frame
    if df.empty:
        raise InputError(f"{inp.source}: the results table has no rows")
    opt = options or options_from_config(inp.config)
    security, functional = primary_columns(df)
    targets = {"security": security}
    if functional is not None and "correct" in df.columns:
        targets["functional"] = functional
    label_source = str(inp.config.get("label_source", "dynamic"))
    headlines = _headlines(df, targets, opt)
    mitigations = [
        model_mitigations(str(m), part.reset_index(drop=True), inp, security, functional, opt)
        for m, part in df.groupby("model", sort=False)
    ]
    settings: list[tuple[str, str]] = []
    _flatten("", inp.config, settings)
    name = inp.config.get("name", "")
    return ReportModel(
        title=title or (f"seccal report — {name}" if name else "seccal report"),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        source=inp.source,
        options=opt,
        label_source=label_source,
        label_definition=LABEL_SOURCE_TEXT.get(label_source, label_source),
        settings=settings,
        counts=_counts(df),
        security_confidence=security,
        functional_confidence=targets.get("functional"),
        headlines=headlines,
        summary_points=_points(headlines, mitigations),
        cells=_cells(df, targets, opt),
        methods=_methods(df, opt),
        risk=_risk(df, security),
        mitigations=mitigations,
        glossary=glossary(opt.tau, opt.n_bins, opt.strategy, opt.n_boot),
        notes=[n for m in mitigations for n in m.notes],
        gate=gate_section(df, label="secure", group="task_id", seed=opt.seed),
    )
