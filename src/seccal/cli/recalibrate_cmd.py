"""``seccal recalibrate fit|apply|report``: post-hoc recalibration of confidences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from seccal.calibration.recalibrate import (
    METHODS,
    fit_calibrator,
    load_calibrator,
    save_calibrator,
)
from seccal.calibration.report import recalibration_report
from seccal.cli.console import wide_console
from seccal.core.results import (
    CONFIDENCE_COLUMNS,
    Results,
    Where,
    confidence_array,
    load_results,
    pick_column,
    read_table,
    write_table,
)
from seccal.errors import InputError

app = typer.Typer(
    help="""Post-hoc recalibration of confidences, fitted on held-out tasks only.

\b
Methods:
  temperature  c' = sigmoid(logit(c) / T): logistic regression on logit(c), no intercept
  platt        c' = sigmoid(a logit(c) + b): logistic regression with intercept, unregularized
  isotonic     non-decreasing step fit (pool-adjacent-violators), clipped outside the data
  histogram    each confidence bin maps to its observed accuracy
Cross-fitting: K folds grouped by task; 'after' metrics use out-of-fold predictions only.""",
    no_args_is_help=True,
)

_COLS = {
    "confidence_col": typer.Option(None, "--confidence-col", help="Confidence column."),
    "label_col": typer.Option(None, "--label-col", help="Label column."),
    "group_col": typer.Option(None, "--group-col", help="Task (fold and bootstrap) column."),
}


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise InputError(f"--method: {method!r} is not one of {', '.join(METHODS)}")


def _groups(res: Results) -> Any:
    return None if res.group_column is None else res.frame[res.group_column].to_numpy()


def _print_report(report: dict[str, Any], console: Console) -> None:
    table = Table(title=f"recalibration, {report['folds']}-fold cross-fitted by task (out-of-fold)")
    for col in ("method", "ECE", "ΔECE [95% CI]", "p", "Brier", "AUROC", "gap", "FTR"):
        table.add_column(col, justify="left" if col == "method" else "right")

    def fmt(x: Any) -> str:
        return "-" if x is None else f"{x:.3f}"

    rows = [
        ("before", report["before"], None),
        *((m, s, report["ece_change"].get(m)) for m, s in report["after"].items()),
    ]
    for name, s, change in rows:
        delta = p = ""
        if change is not None:
            delta = f"{fmt(change['diff'])} [{fmt(change['ci'][0])}, {fmt(change['ci'][1])}]"
            p = fmt(change["p_value"])
        table.add_row(
            name,
            fmt(s["ece"]),
            delta,
            p,
            fmt(s["brier"]),
            fmt(s["auroc"]),
            fmt(s["overconfidence_gap"]),
            fmt(s["false_trust_rate"]),
        )
    console.print(table)


@app.command("fit")
def fit(
    table: Path = typer.Argument(..., help="Results table with confidences and labels."),
    method: str = typer.Option(..., "--method", help="temperature, platt, isotonic or histogram."),
    out: Path = typer.Option(..., "--out", help="Where to write the fitted calibrator (JSON)."),
    bins: int = typer.Option(10, "--bins", min=1, help="Bins (histogram method and ECE)."),
    strategy: str = typer.Option("uniform", "--strategy", help="uniform or quantile bins."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-fitting folds for the report."),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap resamples."),
    seed: int = typer.Option(0, "--seed", help="Seed of folds and bootstrap."),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the cross-validated report."),
    confidence_col: str = _COLS["confidence_col"],
    label_col: str = _COLS["label_col"],
    group_col: str = _COLS["group_col"],
) -> None:
    """Fit a calibrator on every usable row and write it as JSON; report its cross-validated effect."""
    _check_method(method)
    res = load_results(
        table,
        confidence_col=confidence_col,
        label_col=label_col,
        group_col=group_col,
        skip_missing_confidence=True,
    )
    if res.conf.size == 0:
        raise InputError(f"{table}: no rows with a known label and confidence")
    cal = fit_calibrator(res.conf, res.labels, method=method, n_bins=bins, strategy=strategy)
    save_calibrator(cal, out)
    console = wide_console()
    console.print(
        f"Wrote {method} calibrator fitted on {res.conf.size} rows to {out}: "
        f"{json.dumps(cal.to_dict())[:200]}"
    )
    if not no_report:
        report = recalibration_report(
            res.conf,
            res.labels,
            groups=_groups(res),
            methods=(method,),
            n_folds=folds,
            seed=seed,
            n_bins=bins,
            strategy=strategy,
            n_boot=bootstrap,
        )
        _print_report(report, console)


@app.command("report")
def report(
    table: Path = typer.Argument(..., help="Results table with confidences and labels."),
    methods: str = typer.Option(",".join(METHODS), "--methods", help="Comma-separated methods."),
    bins: int = typer.Option(10, "--bins", min=1, help="Bins (histogram method and ECE)."),
    strategy: str = typer.Option("uniform", "--strategy", help="uniform or quantile bins."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-fitting folds."),
    bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap resamples."),
    seed: int = typer.Option(0, "--seed", help="Seed of folds and bootstrap."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    confidence_col: str = _COLS["confidence_col"],
    label_col: str = _COLS["label_col"],
    group_col: str = _COLS["group_col"],
) -> None:
    """Cross-validated before/after metrics of every recalibration method."""
    chosen = tuple(m.strip() for m in methods.split(",") if m.strip())
    for m in chosen:
        _check_method(m)
    res = load_results(
        table,
        confidence_col=confidence_col,
        label_col=label_col,
        group_col=group_col,
        skip_missing_confidence=True,
    )
    if res.conf.size == 0:
        raise InputError(f"{table}: no rows with a known label and confidence")
    rep = recalibration_report(
        res.conf,
        res.labels,
        groups=_groups(res),
        methods=chosen,
        n_folds=folds,
        seed=seed,
        n_bins=bins,
        strategy=strategy,
        n_boot=bootstrap,
    )
    if as_json:
        typer.echo(json.dumps(rep, allow_nan=False))
    else:
        _print_report(rep, wide_console())


@app.command("apply")
def apply(
    calibrator: Path = typer.Argument(..., help="Calibrator JSON written by 'recalibrate fit'."),
    table: Path = typer.Argument(..., help="Table whose confidences to recalibrate."),
    out: Path = typer.Option(..., "--out", help="Output table (.csv, .tsv, .jsonl or .parquet)."),
    column: str = typer.Option(
        None, "--column", help="New column (default: <confidence>_recalibrated)."
    ),
    confidence_col: str = _COLS["confidence_col"],
) -> None:
    """Add a recalibrated-confidence column to every row (empty where confidence is missing)."""
    cal = load_calibrator(calibrator)
    frame = read_table(table)
    name = pick_column(frame, confidence_col, CONFIDENCE_COLUMNS, "confidence", str(table))
    if name is None:
        raise InputError(f"{table}: no confidence column; name it with --confidence-col")
    where = Where(str(table), frame, table.suffix.lower() in (".csv", ".tsv"))
    conf = confidence_array(frame, name, where=where)
    known = ~np.isnan(conf)
    new = np.full(conf.size, np.nan)
    new[known] = cal.predict(conf[known])
    target = column or f"{name}_recalibrated"
    frame[target] = new
    write_table(frame, out)
    Console().print(
        f"Wrote {out}: column {target!r} = {cal.method} recalibration of {name!r} "
        f"({int(known.sum())} rows, {int((~known).sum())} without confidence)."
    )


def register(root: typer.Typer) -> None:
    """Add the ``recalibrate`` command group."""
    root.add_typer(app, name="recalibrate")
