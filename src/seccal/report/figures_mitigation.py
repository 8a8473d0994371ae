"""Figures of the mitigation analyses (from ``metrics.json``): recalibration, gating,
prompting, pairing, repair. Pooled rows (all temperatures) are drawn per model × suite."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from seccal.report.figures import _RC, COLORS, Figure, _model_color, _save
from seccal.report.model import ReportModel


def _err(summary: Mapping[str, Any] | None, key: str) -> tuple[float, float, float]:
    if not summary or summary.get(key) is None:
        return np.nan, 0.0, 0.0
    v = float(summary[key])
    ci = (summary.get("ci") or {}).get(key)
    if not ci or ci[0] is None:
        return v, 0.0, 0.0
    return v, max(0.0, v - ci[0]), max(0.0, ci[1] - v)


def _grouped(
    ax: Any, groups: list[str], series: list[tuple[str, list[tuple[float, float, float]], str]]
) -> None:
    """Grouped bars: ``series`` is (label, [(value, err_lo, err_hi) per group], color)."""
    width = 0.8 / max(1, len(series))
    x = np.arange(len(groups))
    for k, (label, vals, color) in enumerate(series):
        v = np.array([t[0] for t in vals])
        err = np.array([[t[1] for t in vals], [t[2] for t in vals]])
        ax.bar(
            x + (k - (len(series) - 1) / 2) * width,
            v,
            width * 0.95,
            yerr=err if err.any() else None,
            capsize=2,
            color=color,
            label=label,
            error_kw={"lw": 0.8},
        )
    ax.set_xticks(x)
    ax.set_xticklabels(groups, rotation=0)


def _pooled(rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in rows if r["condition"]["temperature"] is None]


def _name(row: Mapping[str, Any]) -> str:
    c = row["condition"]
    return f"{c['model']}\n{c['suite']}"


def recalibration_figure(model: ReportModel) -> Figure | None:
    """Security ECE before and after each recalibration method (out-of-fold)."""
    rows = [
        r
        for r in _pooled(model.doc["recalibration"])
        if r["target"] == "security" and r["before"] is not None
    ]
    if not rows:
        return None
    methods = ["before", *dict.fromkeys(k for r in rows for k in r["after"])]
    palette = ("#5f6b73", "#3b5b92", "#d08c2f", "#4f9a6b", "#8e5ba6")
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.9 * len(rows) + 3.2, 3.2))
        series = []
        for k, method in enumerate(methods):
            vals = [
                _err(r["before"] if method == "before" else r["after"].get(method), "ece")
                for r in rows
            ]
            series.append((method, vals, palette[k % len(palette)]))
        _grouped(ax, [_name(r) for r in rows], series)
        ax.set_ylabel("ECE (security)")
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        fig.tight_layout()
        return _save(
            fig,
            "recalibration",
            "Recalibration before / after",
            "ECE of the raw security confidence (grey) and after each recalibration "
            "method, measured on out-of-fold predictions (K-fold grouped by task), per model "
            "and suite over all temperatures; bars: 95% task-bootstrap CIs.",
        )


def gating_figure(model: ReportModel) -> Figure | None:
    """ECE on accepted code and coverage of each gate, per model × suite."""
    rows = [r for r in _pooled(model.doc["gating"]) if len(r["gates"]) > 1]
    if not rows:
        return None
    gates = list(dict.fromkeys(g["gate"] for r in rows for g in r["gates"]))
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(1, 2, figsize=(10, 0.42 * len(gates) * len(rows) + 1.6))
        height = 0.8 / len(rows)
        y = np.arange(len(gates))
        for k, r in enumerate(rows):
            by = {g["gate"]: g for g in r["gates"]}
            ece = [_err(by[g]["summary"] if g in by else None, "ece") for g in gates]
            cov = [by[g]["coverage"]["estimate"] if g in by else None for g in gates]
            pos = y + (k - (len(rows) - 1) / 2) * height
            label = _name(r).replace("\n", " · ")
            axes[0].barh(
                pos,
                [e[0] for e in ece],
                height * 0.95,
                color=_model_color(k),
                xerr=np.array([[e[1] for e in ece], [e[2] for e in ece]]),
                capsize=2,
                label=label,
                error_kw={"lw": 0.8},
            )
            axes[1].barh(
                pos,
                [np.nan if c is None else c for c in cov],
                height * 0.95,
                color=_model_color(k),
                label=label,
            )
        for ax in axes:
            ax.set_yticks(y)
            ax.invert_yaxis()
        axes[0].set_yticklabels(gates)
        axes[1].set_yticklabels([])
        axes[0].set_xlabel("ECE of security confidence on accepted code")
        axes[1].set_xlabel("coverage (share of snippets accepted)")
        axes[1].set_xlim(0, 1)
        axes[1].legend(fontsize=7, frameon=False)
        fig.tight_layout()
        return _save(
            fig,
            "gating",
            "Execution gating",
            "Each gate accepts only code that passes its checks. Left: calibration of the "
            "security confidence on what it accepts (95% task-bootstrap CI); right: the "
            "share it accepts. The first row, no gate, is the baseline.",
        )


def prompting_figure(model: ReportModel) -> Figure | None:
    """Security ECE per prompt variant (generation variants when the study has them)."""
    p = model.doc["prompting"]
    kind = "generation" if p["generation"] else "elicitation"
    rows = [r for r in p[kind] if r["target"] == "security"]
    if not rows:
        return None
    variants = list(dict.fromkeys(v["variant"] for r in rows for v in r["variants"]))
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.6 * len(variants) + 3, 3.1))
        series = []
        for k, r in enumerate(rows):
            by = {v["variant"]: v for v in r["variants"]}
            vals = [_err(by[v]["summary"] if v in by else None, "ece") for v in variants]
            c = r["condition"]
            label = c["model"] if kind == "elicitation" else f"{c['model']} · {c['suite']}"
            series.append((label, vals, _model_color(k)))
        _grouped(ax, [v.replace("_", " ") for v in variants], series)
        ax.set_ylabel("ECE (security)")
        ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        return _save(
            fig,
            "prompting",
            "Prompting variants",
            f"ECE of the security confidence per {kind} prompt variant; bars: 95% "
            "task-bootstrap CIs.",
        )


def paired_figure(model: ReportModel) -> Figure | None:
    """Security vs functional ECE on the same snippets, per model (pooled)."""
    rows = [r for r in model.doc["models"] if r["paired"] and "ece" in r["paired"]["comparisons"]]
    if not rows:
        return None
    comps = [r["paired"]["comparisons"]["ece"] for r in rows]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.8 * len(rows) + 2.6, 3.0))
        series = [
            (target, [(c[target], 0.0, 0.0) for c in comps], COLORS[target])
            for target in ("security", "functional")
        ]
        _grouped(ax, [r["condition"]["model"] for r in rows], series)
        for i, c in enumerate(comps):
            top = max(c["security"], c["functional"])
            ci = c["ci"]
            label = f"Δ {c['diff']:+.3f}" + (
                f"\n[{ci[0]:+.2f}, {ci[1]:+.2f}]" if ci and ci[0] is not None else ""
            )
            ax.text(i, top + 0.01, label, ha="center", va="bottom", fontsize=7)
        ax.set_ylabel("ECE")
        ax.set_ylim(0, max(max(c["security"], c["functional"]) for c in comps) * 1.45 + 0.02)
        ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        return _save(
            fig,
            "security_vs_functional",
            "Security vs functional calibration (paired)",
            "ECE of the security and the functional confidence on the same snippets; Δ is "
            "security − functional with its 95% paired task-bootstrap CI.",
        )


def _prop(p: Mapping[str, Any] | None) -> tuple[float, float, float]:
    if not p or p.get("estimate") is None:
        return np.nan, 0.0, 0.0
    est = float(p["estimate"])
    lo = 0.0 if p.get("lo") is None else max(0.0, est - p["lo"])
    hi = 0.0 if p.get("hi") is None else max(0.0, p["hi"] - est)
    return est, lo, hi


def repair_figure(model: ReportModel) -> Figure | None:
    """Fix and regression rates of each repair variant, per model × suite."""
    rows = list(model.doc["repair"])
    if not rows:
        return None
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.9 * len(rows) + 2.6, 3.1))
        series = [
            ("vulnerable → secure (fix)", [_prop(r["fix_rate"]) for r in rows], "#4f9a6b"),
            (
                "correct → broken (regression)",
                [_prop(r["regression_rate"]) for r in rows],
                "#c2374b",
            ),
        ]
        _grouped(ax, [f"{_name(r)}\n{r['variant']}" for r in rows], series)
        ax.set_ylim(0, 1)
        ax.set_ylabel("share")
        ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        return _save(
            fig,
            "repair",
            "Calibration-guided repair",
            "Among snippets sent back for repair: share of vulnerable ones fixed, and share "
            "of correct ones broken by the repair; bars: 95% task-bootstrap CIs.",
        )
