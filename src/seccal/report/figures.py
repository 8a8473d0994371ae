"""Figures of a report model (matplotlib, Agg backend): each as SVG text and PNG bytes.

Output is deterministic (fixed SVG id salt, no date metadata), so the same report model
always draws the same files — a replication bundle rebuilds byte-identical figures.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from seccal.report.model import ReportModel

Cell = Mapping[str, Any]  # a metrics.json ``conditions`` row

COLORS = {"security": "#c2374b", "functional": "#1f7a8c"}
_MODEL_COLORS = ("#3b5b92", "#d08c2f", "#4f9a6b", "#8e5ba6", "#c2374b", "#5f6b73")
_RC: Any = {
    "svg.hashsalt": "seccal",
    "svg.fonttype": "none",
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}


@dataclass(frozen=True)
class Figure:
    """One drawn figure."""

    name: str
    title: str
    caption: str
    svg: str
    png: bytes


def _save(fig: Any, name: str, title: str, caption: str) -> Figure:
    svg_buf, png_buf = io.StringIO(), io.BytesIO()
    fig.savefig(svg_buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    fig.savefig(png_buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    svg = svg_buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog: the SVG is inlined in HTML
    return Figure(name, title, caption, svg, png_buf.getvalue())


def _model_color(i: int) -> str:
    return _MODEL_COLORS[i % len(_MODEL_COLORS)]


def _reliability_panel(ax: Any, cell: Cell | None, title: str) -> None:
    ax.plot([0, 1], [0, 1], color="#999999", lw=0.8, ls="--")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.1)
    ax.set_title(title)
    if cell is None or not cell["reliability"]:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", color="#777777")
        return
    color = COLORS.get(cell["target"], "#555555")
    rows = [r for r in cell["reliability"] if r["count"]]
    mid = np.array([(r["lower"] + r["upper"]) / 2 for r in rows])
    width = np.array([(r["upper"] - r["lower"]) * 0.9 for r in rows])
    acc = np.array([r["accuracy"] for r in rows])
    # One bar call and one marker call per panel: per-bin artists make drawing slow.
    ax.bar(mid, acc, width=width, color=color, alpha=0.75, edgecolor="white")
    ax.plot(mid, [r["mean_confidence"] for r in rows], ls="none", marker="_", color="black", ms=8)
    for x, a, r in zip(mid, acc, rows, strict=True):
        ax.text(
            x,
            min(a, 1.0) + 0.02,
            f"{int(r['count'])}",
            ha="center",
            va="bottom",
            fontsize=6.5,
            color="#333333",
        )
    ece = cell["summary"]["ece"] if cell["summary"] else None
    if ece is not None:
        ax.set_title(f"{title}\nECE {ece:.3f} · n = {cell['n']}")


def primary_cells(model: ReportModel) -> list[Cell]:
    """Condition rows of the primary confidences and the baseline generation variant."""
    doc = model.doc
    return [
        r
        for r in doc["conditions"]
        if r["condition"]["gen_variant"] == doc["baseline_gen_variant"]
        and r["confidence"] == doc["primary"].get(r["target"])
    ]


def reliability_figure(model: ReportModel, name: str) -> Figure:
    """Reliability diagrams of one model: rows = temperature, columns = suite × target."""
    mine = [c for c in primary_cells(model) if c["condition"]["model"] == name]
    cells = {(c["condition"]["temperature"], c["condition"]["suite"], c["target"]): c for c in mine}
    targets = list(model.doc["primary"])
    cols = [(s, t) for s in model.suites for t in targets]
    temps = model.temperatures
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(
            len(temps),
            len(cols),
            figsize=(2.3 * len(cols) + 0.6, 2.3 * len(temps) + 0.5),
            squeeze=False,
            sharex=True,
            sharey=True,
        )
        for i, temp in enumerate(temps):
            for j, (suite, target) in enumerate(cols):
                ax = axes[i][j]
                _reliability_panel(
                    ax, cells.get((temp, suite, target)), f"{suite} · {target} · T={temp:g}"
                )
                if j == 0:
                    ax.set_ylabel("share secure / correct")
                if i == len(temps) - 1:
                    ax.set_xlabel("stated confidence")
        fig.suptitle(f"{name}: reliability diagrams", fontsize=10, y=1.0)
        fig.tight_layout()
        return _save(
            fig,
            f"reliability_{_slug(name)}",
            f"Reliability diagrams — {name}",
            "Bars: share of snippets that are secure (red) or correct (teal) in each "
            "confidence bin, with the number of snippets above each bar; black ticks: mean "
            "stated confidence in the bin; dashed line: perfect calibration. A bar far below "
            "the diagonal means over-confidence.",
        )


def temperature_figure(model: ReportModel) -> Figure:
    """ECE (with CI) against temperature, per suite; security solid, functional dashed."""
    suites = model.suites
    cells = primary_cells(model)
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(1, len(suites), figsize=(4.2 * len(suites), 3.2), squeeze=False)
        for j, suite in enumerate(suites):
            ax = axes[0][j]
            for i, name in enumerate(model.models):
                for target, ls in (("security", "-"), ("functional", "--")):
                    pts = [
                        c
                        for c in cells
                        if c["condition"]["model"] == name
                        and c["condition"]["suite"] == suite
                        and c["target"] == target
                        and c["summary"]
                    ]
                    if not pts:
                        continue
                    pts.sort(key=lambda c: c["condition"]["temperature"])
                    x = [c["condition"]["temperature"] for c in pts]
                    y = [c["summary"]["ece"] for c in pts]
                    lo, hi = _ci_arrays([c["summary"] for c in pts], "ece", y)
                    ax.errorbar(
                        x,
                        y,
                        yerr=[lo, hi],
                        color=_model_color(i),
                        ls=ls,
                        marker="o",
                        ms=3.5,
                        capsize=2,
                        lw=1.3,
                        label=f"{name} · {target}",
                    )
            ax.set_title(suite)
            ax.set_xlabel("sampling temperature")
            ax.set_ylabel("ECE")
            ax.set_ylim(bottom=0)
        handles, labels = axes[0][0].get_legend_handles_labels()
        if handles:
            axes[0][-1].legend(
                handles,
                labels,
                fontsize=7,
                frameon=False,
                loc="upper left",
                bbox_to_anchor=(1, 1),
            )
        fig.tight_layout()
        return _save(
            fig,
            "ece_over_temperature",
            "Calibration over temperature",
            "ECE of security (solid) and functional (dashed) confidence at each sampling "
            "temperature, per suite; bars are 95% task-bootstrap CIs.",
        )


def _ci_arrays(summaries: list[dict[str, Any]], key: str, y: list[float]) -> tuple[Any, Any]:
    lo, hi = [], []
    for s, v in zip(summaries, y, strict=True):
        ci = (s.get("ci") or {}).get(key)
        if ci and ci[0] is not None:
            lo.append(max(0.0, v - ci[0]))
            hi.append(max(0.0, ci[1] - v))
        else:
            lo.append(0.0)
            hi.append(0.0)
    return np.array(lo), np.array(hi)


def risk_figure(model: ReportModel) -> Figure:
    """Risk–coverage curves and False Trust over τ, one line per model."""
    with plt.rc_context(_RC):
        fig, (a, b) = plt.subplots(1, 2, figsize=(8.4, 3.2))
        for i, row in enumerate(r for r in model.doc["models"] if r["risk"]):
            r, name = row["risk"], row["condition"]["model"]
            risk = [np.nan if v is None else v for v in r["risk"]]
            a.plot(r["coverage"], risk, color=_model_color(i), lw=1.5, label=name)
            ft = [np.nan if v is None else v for v in r["false_trust"]]
            b.plot(r["tau"], ft, color=_model_color(i), lw=1.5, marker="o", ms=2.5, label=name)
        a.set_xlabel("coverage (share accepted, most confident first)")
        a.set_ylabel("risk (share vulnerable)")
        a.set_xlim(0, 1)
        a.set_ylim(0, 1)
        a.set_title("risk–coverage")
        b.axvline(model.options.tau, color="#999999", ls=":", lw=1)
        b.set_xlabel("threshold τ")
        b.set_ylabel("False Trust P(c ≥ τ | vulnerable)")
        b.set_ylim(0, 1.02)
        b.set_title("False Trust over τ")
        b.legend(fontsize=7, frameon=False)
        fig.tight_layout()
        return _save(
            fig,
            "risk_coverage",
            "Risk–coverage and False Trust",
            "Left: accepting only snippets above a confidence threshold — a useful "
            "confidence makes risk fall as coverage shrinks. Right: share of vulnerable "
            "snippets stated at or above each threshold (dotted: the report's τ).",
        )


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text).strip("_").lower() or "model"
