"""``seccal metrics TABLE``: calibration metrics of any results table, per group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from seccal.analysis.conditions import grouped, summarize_by
from seccal.analysis.settings import Settings
from seccal.calibration.binning import STRATEGIES
from seccal.calibration.report import COMPARED_METRICS, SUMMARY_METRICS
from seccal.calibration.report import compare as compare_conditions
from seccal.cli.console import wide_console
from seccal.core.results import Results, known_rows, load_results
from seccal.errors import InputError

EXAMPLE_TABLE = (
    Path(__file__).resolve().parent.parent / "calibration" / "data" / "example_results.csv"
)

HELP = """Calibration metrics of a results table (CSV, TSV, JSONL or Parquet).

The table needs a confidence column c in [0, 1] (the model's probability that the snippet
is secure) and a label column y (1/true/secure = secure, 0/false/vulnerable = vulnerable;
empty or 'unknown' = the check could not run: such rows are excluded and counted).
With a task column, confidence intervals resample tasks, not rows.

\b
Definitions (N rows, bins b = (lo, hi], the first closed at 0):
  ECE    = sum_b (n_b/N) |acc_b - conf_b|       (expected calibration error)
  MCE    = max_b |acc_b - conf_b| over non-empty bins
  smECE  = smooth ECE: Gaussian-kernel-smoothed residual, bandwidth = its own value
  Brier  = mean (c - y)^2 = REL - RES + UNC over distinct confidence values
           (REL reliability, RES resolution, UNC = base rate x (1 - base rate))
  AUROC  = P(c of a secure snippet > c of a vulnerable one), ties count 1/2
  gap    = mean(c) - mean(y), the over-confidence gap (> 0: over-confident)
  FTR    = False Trust rate = P(c >= tau | vulnerable)
  CI     = percentile bootstrap resampling tasks (clusters), --bootstrap resamples
"""


def _label(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


_NO_GROUP = "\0no group"  # a column name no table has: every row is its own cluster


def _row(g: dict[str, Any]) -> dict[str, Any]:
    """A ``--json`` group: ``by``, ``n``, every summary metric, ``ci``, ``undefined``."""
    summary = g["summary"] or {"n": 0, **dict.fromkeys(SUMMARY_METRICS), "ci": {}}
    row: dict[str, Any] = {"by": g["by"], **summary}
    if g["undefined"]:
        row["undefined"] = g["undefined"]
    if "reliability" in g:
        row["reliability"] = g["reliability"]
    return row


_MAIN = {
    "ece": "ECE",
    "mce": "MCE",
    "smece": "smECE",
    "brier": "Brier",
    "auroc": "AUROC",
    "overconfidence_gap": "gap",
    "false_trust_rate": "FTR",
}
_BRIER = {
    "brier": "Brier",
    "brier_reliability": "REL",
    "brier_resolution": "RES",
    "brier_uncertainty": "UNC",
}


def _cell(row: dict[str, Any], metric: str) -> str:
    text = _label(row[metric])
    ci = row["ci"].get(metric)
    if ci is not None and ci[0] is not None:
        text += f"\n{ci[0]:.2f}–{ci[1]:.2f}"
    return text


def _render(rows: list[dict[str, Any]], by: list[str], tau: float, console: Console) -> None:
    for title, columns in (("security calibration", _MAIN), ("Brier decomposition", _BRIER)):
        table = Table(title=title)
        for col in by:
            table.add_column(col)
        table.add_column("n", justify="right")
        for name in columns.values():
            table.add_column(f"FTR@{tau:g}" if name == "FTR" else name, justify="right")
        for row in rows:
            cells = [str(row["by"][c]) for c in by] + [str(row["n"])]
            table.add_row(*cells, *(_cell(row, m) for m in columns))
        console.print(table)


def _render_bins(rows: list[dict[str, Any]], console: Console) -> None:
    for row in rows:
        if "reliability" not in row:
            continue
        name = ", ".join(f"{k}={v}" for k, v in row["by"].items()) or "all rows"
        table = Table(title=f"reliability: {name}")
        for col in ("bin", "count", "confidence", "accuracy", "gap"):
            table.add_column(col, justify="right")
        for b in row["reliability"]:
            lo = "[0" if b["lower"] == 0 else f"({b['lower']:.3g}"
            table.add_row(
                f"{lo}, {b['upper']:.3g}]",
                str(int(b["count"])),
                _label(b["mean_confidence"]),
                _label(b["accuracy"]),
                _label(b["gap"]),
            )
        console.print(table)


def _add_comparison(
    rows: list[dict[str, Any]],
    res: Results,
    path: Path,
    spec: str,
    by: list[str],
    skip_missing_confidence: bool,
    opts: dict[str, Any],
) -> None:
    """Attach ``row["compare"]``: this condition minus the ``spec`` one, paired by task."""
    conf_col, sep, label_col = spec.partition(":")
    if not sep or not conf_col or not label_col:
        raise InputError(f"--compare: {spec!r} is not CONF_COL:LABEL_COL")
    if res.group_column is None:
        raise InputError("--compare pairs conditions by task: the table needs a task column")
    if opts["n_boot"] < 1:
        raise InputError("--compare needs --bootstrap of at least 1")
    other = load_results(
        path,
        confidence_col=conf_col,
        label_col=label_col,
        group_col=res.group_column,
        skip_missing_confidence=skip_missing_confidence,
    )
    mine = {tuple(k.values()): part for k, part in grouped(res.source, by)}
    theirs = {tuple(k.values()): part for k, part in grouped(other.source, by)}
    for row in rows:
        key = tuple(row["by"].values())
        a = known_rows(mine[key], res.confidence_column, res.label_column, group=res.group_column)
        part = theirs.get(key)
        b = None if part is None else known_rows(part, conf_col, label_col, group=res.group_column)
        if a.n == 0 or b is None or b.n == 0:
            row["compare"] = {"undefined": "no rows with known labels in one of the conditions"}
            continue
        row["compare"] = {
            "against": {"confidence_column": conf_col, "label_column": label_col},
            **compare_conditions(
                (a.conf, a.labels, a.groups),
                (b.conf, b.labels, b.groups),
                n_bins=opts["n_bins"],
                strategy=opts["strategy"],
                tau=opts["tau"],
                n_boot=opts["n_boot"],
                seed=opts["seed"],
            ),
        }


def _render_comparison(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="paired comparison (this condition - the --compare one), by task")
    table.add_column("group")
    for m in COMPARED_METRICS:
        table.add_column(f"Δ{_MAIN.get(m, m)} [95% CI] p", justify="right")
    for row in rows:
        name = ", ".join(f"{k}={v}" for k, v in row["by"].items()) or "all rows"
        cmp = row.get("compare", {})
        cells = []
        for m in COMPARED_METRICS:
            c = cmp.get(m)
            if c is None or c["diff"] is None or c["ci"][0] is None:
                cells.append("-")
            else:
                cells.append(
                    f"{c['diff']:+.3f}\n[{c['ci'][0]:+.2f}, {c['ci'][1]:+.2f}]"
                    f"\np={c['p_value']:.3f}"
                )
        table.add_row(name, *cells)
    console.print(table)


def metrics(
    table: Path = typer.Argument(
        None, help="Results table; omit with --example.", show_default=False
    ),
    example: bool = typer.Option(
        False, "--example", help="Use the synthetic example table shipped with seccal."
    ),
    by: str = typer.Option(
        "", "--by", help="Comma-separated grouping columns, e.g. model,temperature."
    ),
    confidence_col: str = typer.Option(
        None,
        "--confidence-col",
        help="Confidence column (default: confidence, conf_security_verbal or conf).",
    ),
    label_col: str = typer.Option(
        None, "--label-col", help="Label column (default: label, secure or y)."
    ),
    group_col: str = typer.Option(
        None,
        "--group-col",
        help="Task (cluster) column (default: task_id, task or group; none: rows are independent).",
    ),
    bins: int = typer.Option(10, "--bins", min=1, help="Number of ECE/MCE bins."),
    strategy: str = typer.Option(
        "uniform",
        "--strategy",
        help="uniform (equal width) or quantile (equal mass, ties never split).",
    ),
    tau: float = typer.Option(
        0.8, "--tau", min=0.0, max=1.0, help="Confidence threshold of the False Trust rate."
    ),
    bootstrap: int = typer.Option(
        1000, "--bootstrap", min=0, help="Bootstrap resamples for CIs (0: none)."
    ),
    seed: int = typer.Option(0, "--seed", help="Bootstrap RNG seed."),
    skip_missing_confidence: bool = typer.Option(
        False,
        "--skip-missing-confidence",
        help="Exclude rows with an empty confidence instead of failing.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
    compare: str = typer.Option(
        None,
        "--compare",
        help="CONF_COL:LABEL_COL of a second condition on the same tasks (e.g. "
        "conf_functional_verbal:correct): paired task-bootstrap difference, CI and p-value.",
    ),
    show_bins: bool = typer.Option(
        False,
        "--reliability",
        help="Also give the per-bin reliability table (count, mean confidence, accuracy, gap) of each group.",
    ),
) -> None:
    if strategy not in STRATEGIES:
        raise InputError(f"--strategy: {strategy!r} is not one of {', '.join(STRATEGIES)}")
    if table is None and not example:
        raise InputError("give a results TABLE, or --example for the shipped example table")
    path = EXAMPLE_TABLE if table is None else table
    res = load_results(
        path,
        confidence_col=confidence_col,
        label_col=label_col,
        group_col=group_col,
        skip_missing_confidence=skip_missing_confidence,
    )
    by_cols = [c.strip() for c in by.split(",") if c.strip()]
    for col in by_cols:
        if col not in res.source.columns:
            raise InputError(f"{path}: --by column {col!r} is not in the table")
    settings = Settings(
        n_boot=bootstrap,
        seed=seed,
        n_bins=bins,
        strategy=strategy,
        tau=tau,
        ci_metrics=SUMMARY_METRICS,
    )
    rows = [
        _row(g)
        for g in summarize_by(
            res.source,
            by_cols,
            res.confidence_column,
            res.label_column,
            settings,
            group=res.group_column or _NO_GROUP,
            with_reliability=show_bins,
        )
    ]
    if not any(row["n"] for row in rows):
        raise InputError(f"{path}: no rows with a known label and confidence")
    if compare:
        _add_comparison(
            rows,
            res,
            path,
            compare,
            by_cols,
            skip_missing_confidence,
            {"n_bins": bins, "strategy": strategy, "tau": tau, "n_boot": bootstrap, "seed": seed},
        )
    meta = {
        "table": str(path),
        "confidence_column": res.confidence_column,
        "label_column": res.label_column,
        "group_column": res.group_column,
        "excluded_unknown_label": res.excluded_unknown_label,
        "excluded_missing_confidence": res.excluded_missing_confidence,
        "bins": bins,
        "strategy": strategy,
        "tau": tau,
        "bootstrap": bootstrap,
        "seed": seed,
    }
    if as_json:
        typer.echo(json.dumps({"groups": rows, "meta": meta}, allow_nan=False))
        return
    console = wide_console()
    _render(rows, by_cols, tau, console)
    clusters = (
        f"tasks from column {res.group_column!r}" if res.group_column else "rows (no task column)"
    )
    console.print(
        f"CIs: {bootstrap} bootstrap resamples of {clusters}, seed {seed}; "
        f"{bins} {strategy} bins; tau = {tau}."
    )
    excluded = res.excluded_unknown_label + res.excluded_missing_confidence
    if excluded:
        console.print(
            f"Excluded {res.excluded_unknown_label} rows with unknown label and "
            f"{res.excluded_missing_confidence} with missing confidence."
        )
    if show_bins:
        _render_bins(rows, console)
    if compare:
        _render_comparison(rows, console)
    for row in rows:
        for m, why in row.get("undefined", {}).items():
            console.print(f"[yellow]{row['by'] or 'all'}: {m} undefined: {why}[/]")


def register(app: typer.Typer) -> None:
    """Add the ``metrics`` command."""
    app.command("metrics", help=HELP)(metrics)
