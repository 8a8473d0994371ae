"""Figures of the mitigation analyses: recalibration, gating, prompting, pairing, repair."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from seccal.report.figures import _RC, COLORS, Figure, _model_color, _save
from seccal.report.model import ReportModel


def _err(summary: dict[str, Any] | None, key: str) -> tuple[float, float, float]:
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


def recalibration_figure(model: ReportModel) -> Figure | None:
    """ECE before and after each recalibration method (out-of-fold), per model."""
    rows = [(m.model, m.recalibration) for m in model.mitigations if m.recalibration]
    if not rows:
        return None
    methods = ["before", *dict.fromkeys(k for _, r in rows for k in r["after"])]
    palette = ("#5f6b73", "#3b5b92", "#d08c2f", "#4f9a6b", "#8e5ba6")
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.9 * len(rows) + 3.2, 3.2))
        series = []
        for k, method in enumerate(methods):
            vals = [
                _err(r["before"] if method == "before" else r["after"].get(method), "ece")
                for _, r in rows
            ]
            series.append((method, vals, palette[k % len(palette)]))
        _grouped(ax, [name for name, _ in rows], series)
        ax.set_ylabel("ECE (security)")
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        fig.tight_layout()
        return _save(
            fig,
            "recalibration",
            "Recalibration before / after",
            "ECE of the raw security confidence (grey) and after each recalibration "
            "method, measured on out-of-fold predictions (K-fold grouped by task); bars: "
            "95% task-bootstrap CIs.",
        )


def gating_figure(model: ReportModel) -> Figure | None:
    """ECE on accepted code and coverage of each gate, per model."""
    mits = [m for m in model.mitigations if len(m.gates) > 1]
    if not mits:
        return None
    gates = list(dict.fromkeys(g.gate for m in mits for g in m.gates))
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(1, 2, figsize=(10, 0.42 * len(gates) * len(mits) + 1.6))
        height = 0.8 / len(mits)
        y = np.arange(len(gates))
        for k, m in enumerate(mits):
            by = {g.gate: g for g in m.gates}
            ece = [_err(by[g].summary if g in by else None, "ece") for g in gates]
            cov = [by[g].coverage.estimate if g in by else np.nan for g in gates]
            pos = y + (k - (len(mits) - 1) / 2) * height
            axes[0].barh(
                pos,
                [e[0] for e in ece],
                height * 0.95,
                color=_model_color(k),
                xerr=np.array([[e[1] for e in ece], [e[2] for e in ece]]),
                capsize=2,
                label=m.model,
                error_kw={"lw": 0.8},
            )
            axes[1].barh(
                pos,
                [np.nan if c is None else c for c in cov],
                height * 0.95,
                color=_model_color(k),
                label=m.model,
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
    """ECE per prompt variant, per model."""
    mits = [m for m in model.mitigations if m.prompting is not None]
    if not mits:
        return None
    variants = list(dict.fromkeys(v.variant for m in mits for v in m.prompting.variants))  # type: ignore[union-attr]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.6 * len(variants) + 3, 3.1))
        series = []
        for k, m in enumerate(mits):
            by = {v.variant: v for v in m.prompting.variants}  # type: ignore[union-attr]
            vals = [_err(by[v].summary if v in by else None, "ece") for v in variants]
            series.append((m.model, vals, _model_color(k)))
        _grouped(ax, [v.replace("_", " ") for v in variants], series)
        ax.set_ylabel("ECE (security)")
        ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        return _save(
            fig,
            "prompting",
            "Prompting variants",
            "ECE of the security confidence elicited with each prompt variant; bars: 95% "
            "task-bootstrap CIs.",
        )


def paired_figure(model: ReportModel) -> Figure | None:
    """Security vs functional ECE on the same snippets, per model."""
    mits = [m for m in model.mitigations if m.paired and "ece" in m.paired.comparisons]
    if not mits:
        return None
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.8 * len(mits) + 2.6, 3.0))
        series = []
        for target in ("security", "functional"):
            vals = [(m.paired.comparisons["ece"][target], 0.0, 0.0) for m in mits]  # type: ignore[union-attr]
            series.append((target, vals, COLORS[target]))
        _grouped(ax, [m.model for m in mits], series)
        for i, m in enumerate(mits):
            c = m.paired.comparisons["ece"]  # type: ignore[union-attr]
            top = max(c["security"], c["functional"])
            ci = c["ci"]
            label = f"Δ {c['diff']:+.3f}" + (f"\n[{ci[0]:+.2f}, {ci[1]:+.2f}]" if ci else "")
            ax.text(i, top + 0.01, label, ha="center", va="bottom", fontsize=7)
        ax.set_ylabel("ECE")
        ax.set_ylim(0, max(m.paired.comparisons["ece"]["security"] for m in mits) * 1.45 + 0.02)  # type: ignore[union-attr]
        ax.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        return _save(
            fig,
            "security_vs_functional",
            "Security vs functional calibration (paired)",
            "ECE of the security and the functional confidence on the same snippets; Δ is "
            "security − functional with its 95% paired task-bootstrap CI.",
        )


def repair_figure(model: ReportModel) -> Figure | None:
    """Fix and regression rates of each repair variant, per model."""
    rows = [(m.model, r) for m in model.mitigations for r in m.repairs]
    if not rows:
        return None

    def prop(p: Any) -> tuple[float, float, float]:
        if p.estimate is None:
            return np.nan, 0.0, 0.0
        lo = 0.0 if p.lo is None else max(0.0, p.estimate - p.lo)
        hi = 0.0 if p.hi is None else max(0.0, p.hi - p.estimate)
        return p.estimate, lo, hi

    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(1.9 * len(rows) + 2.6, 3.1))
        series = [
            ("vulnerable → secure (fix)", [prop(r.fix_rate) for _, r in rows], "#4f9a6b"),
            (
                "correct → broken (regression)",
                [prop(r.regression_rate) for _, r in rows],
                "#c2374b",
            ),
        ]
        _grouped(ax, [f"{m}\n{r.variant}" for m, r in rows], series)
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
