"""``seccal gate compare`` and ``seccal gate shift``: the research side of the gate.

Fusion against each signal alone, multicalibration by subgroup, and the gate under a
shift between self-contained and repository-level tasks; ``seccal gate`` itself
(:mod:`seccal.cli.gate_cmd`) keeps what a CI pipeline runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.table import Table

from seccal.cli.console import wide_console
from seccal.cli.gate_common import (
    _ALPHA,
    _CONF,
    _DELTA,
    _FEATURES,
    _GROUP,
    _JSON,
    _LABEL,
    _SEED,
    _columns,
    _load,
    _print,
    _table,
)
from seccal.gate.fusion import compare_signals, cross_fit_fused
from seccal.gate.gatefile import (
    groups_of,
    task_split,
)
from seccal.gate.multicalib import (
    DEFAULT_GROUP_COLUMNS,
    before_after,
    fit_multicalibration,
    subgroup_calibration,
)
from seccal.gate.shift import SETTINGS, shift_report


def compare(
    table: Path = typer.Argument(
        None, help="Results table; omit with --example.", show_default=False
    ),
    example: bool = typer.Option(
        False, "--example", help="Use the example table shipped with seccal."
    ),
    subgroups: str = typer.Option(
        ",".join(DEFAULT_GROUP_COLUMNS),
        "--subgroups",
        help="Subgroup columns for per-group calibration.",
    ),
    confidence_col: str = _CONF,
    label_col: str = _LABEL,
    group_col: str = _GROUP,
    features: str = _FEATURES,
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-fitting folds (grouped by task)."),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=1, help="Task-bootstrap resamples."),
    seed: int = _SEED,
    as_json: bool = _JSON,
) -> None:
    """Fused model vs each signal alone; per-subgroup calibration before/after multicalibration."""
    path = _table(table, example)
    res = _load(path, confidence_col, label_col, group_col)
    cols = _columns(res, features)
    groups = groups_of(res)
    signals: dict[str, list[str]] = {"fused": cols}
    signals.update({c: [c] for c in cols if c.startswith("conf") or c == "confidence"})
    finding_cols = [c for c in cols if c.startswith("findings_")]
    if finding_cols:
        signals["findings"] = finding_cols
    exec_cols = [c for c in cols if c in ("parses", "correct")]
    if exec_cols:
        signals["execution"] = exec_cols
    result: dict[str, Any] = {
        "table": str(path),
        "signals": compare_signals(
            res.frame,
            res.labels,
            groups,
            signals,
            n_folds=folds,
            n_boot=bootstrap,
            seed=seed,
            source=str(path),
        ),
    }
    sub_cols = [c.strip() for c in subgroups.split(",") if c.strip() in res.frame.columns]
    if sub_cols:
        p = cross_fit_fused(res.frame, res.labels, groups, cols, n_folds=folds, seed=seed)
        fit_part, test_part = task_split(groups, (0.7, 0.3), seed)
        _, inner_hold = task_split(groups[fit_part], (0.7, 0.3), seed + 1)
        hold = np.zeros(len(groups), dtype=bool)
        hold[np.flatnonzero(fit_part)[inner_hold]] = True
        mc = fit_multicalibration(
            p[fit_part],
            res.labels[fit_part],
            res.frame.loc[fit_part].reset_index(drop=True),
            hold[fit_part],
            columns=sub_cols,
        )
        test_frame = res.frame.loc[test_part].reset_index(drop=True)
        after = mc.predict(p[test_part], test_frame)
        result["multicalibration"] = {
            "patches": len(mc.patches),
            "test_rows": int(test_part.sum()),
            "subgroups": before_after(
                subgroup_calibration(p[test_part], res.labels[test_part], test_frame, sub_cols),
                subgroup_calibration(after, res.labels[test_part], test_frame, sub_cols),
            ),
        }
    if as_json:
        _print(result)
        return
    console = wide_console()
    t = Table(title="P(vulnerable) per signal, out-of-fold (task-grouped), 95% task-bootstrap CI")
    for c in ("signal", "AUROC", "Brier", "ECE"):
        t.add_column(c, justify="left" if c == "signal" else "right")
    for name, s in result["signals"].items():
        cells = [
            f"{s[m]['estimate']:.3f} [{s[m]['ci'][0]:.3f}, {s[m]['ci'][1]:.3f}]"
            if s[m]["estimate"] is not None
            else "–"
            for m in ("auroc", "brier", "ece")
        ]
        t.add_row(name, *cells)
    console.print(t)
    if "multicalibration" in result:
        mct = result["multicalibration"]
        t = Table(
            title=f"subgroup calibration on held-out tasks: before / after {mct['patches']} patches"
        )
        for c in (
            "column",
            "value",
            "n",
            "observed vuln",
            "pred before",
            "pred after",
            "ECE before",
            "ECE after",
        ):
            t.add_column(c, justify="right")
        for r in mct["subgroups"]:
            t.add_row(
                r["column"],
                r["value"],
                str(r["n"]),
                f"{r['observed_vulnerable']:.3f}",
                f"{r['predicted_before']:.3f}",
                f"{r['predicted_after']:.3f}",
                f"{r['ece_before']:.3f}",
                f"{r['ece_after']:.3f}",
            )
        console.print(t)


def shift(
    table: Path = typer.Argument(..., help="Results table with a domain column."),
    domain_col: str = typer.Option("suite", "--domain-col", help="Column naming the domain."),
    source: str = typer.Option(
        None, "--source", help="Comma-separated source values (default: self-contained suites)."
    ),
    target: str = typer.Option(
        None, "--target", help="Comma-separated target values (default: repo, aicgseceval)."
    ),
    alpha: float = _ALPHA,
    delta: float = _DELTA,
    splits: int = typer.Option(50, "--splits", min=1, help="Random task splits per direction."),
    adapt_share: float = typer.Option(
        0.2, "--adapt-share", help="Share of target tasks labelled for re-certification."
    ),
    confidence_col: str = _CONF,
    label_col: str = _LABEL,
    group_col: str = _GROUP,
    features: str = _FEATURES,
    seed: int = _SEED,
    as_json: bool = _JSON,
) -> None:
    """Gate fitted on one domain, used on the other (both ways), and re-certified there."""
    res = _load(table, confidence_col, label_col, group_col)
    cols = _columns(res, features)
    result = shift_report(
        res,
        cols,
        domain_column=domain_col,
        source_values=[s.strip() for s in source.split(",")] if source else None,
        target_values=[s.strip() for s in target.split(",")] if target else None,
        alpha=alpha,
        delta=delta,
        n_splits=splits,
        adapt_share=adapt_share,
        seed=seed,
        source=str(table),
    )
    if as_json:
        _print(result)
        return
    t = Table(
        title=f"domain shift on {domain_col!r}: alpha={alpha:g}, delta={delta:g}, {splits} splits"
    )
    for c in ("direction", "setting", "coverage", "mean risk", "violations"):
        t.add_column(c)
    a, b = "+".join(result["a"]), "+".join(result["b"])
    for key, label in (("a_to_b", f"{a} -> {b}"), ("b_to_a", f"{b} -> {a}")):
        for setting in SETTINGS:
            s = result[key][setting]
            t.add_row(
                label,
                setting,
                "–" if s["coverage_mean"] is None else f"{100 * s['coverage_mean']:.1f}%",
                "–" if s["risk_mean"] is None else f"{100 * s['risk_mean']:.1f}%",
                f"{s['violations']}/{s['splits']}",
            )
    wide_console().print(t)


def register_research(app: typer.Typer) -> None:
    """Add ``compare`` and ``shift`` to the ``seccal gate`` group."""
    app.command("compare")(compare)
    app.command("shift")(shift)
