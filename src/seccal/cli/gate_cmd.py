"""``seccal gate``: fit, apply, check and evaluate a risk-controlled gate."""

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
    gate_app,
)
from seccal.cli.gate_research import register_research
from seccal.core.results import read_table, write_table
from seccal.errors import InputError
from seccal.gate.check import check_files
from seccal.gate.evaluate import evaluate_gate
from seccal.gate.gatefile import (
    DEFAULT_FIT_SHARE,
    file_digest,
    fit_gate,
    load_gate,
    save_gate,
)
from seccal.gate.sarif import write_sarif
from seccal.models import ModelSpec


@gate_app.command("fit")
def fit(
    table: Path = typer.Argument(..., help="Results table (CSV, JSONL, Parquet)."),
    out: Path = typer.Option(..., "--out", "-o", help="Gate file to write (JSON)."),
    alpha: float = _ALPHA,
    delta: float = _DELTA,
    confidence_col: str = _CONF,
    label_col: str = _LABEL,
    group_col: str = _GROUP,
    features: str = _FEATURES,
    fit_share: float = typer.Option(
        DEFAULT_FIT_SHARE,
        "--fit-share",
        help="Share of tasks the model is fitted on; the rest certify.",
    ),
    seed: int = _SEED,
    unit: str = typer.Option(
        "task",
        "--unit",
        help="Exchangeable unit of the guarantee: task (snippets of a task are correlated; "
        "task-level risk) or row (only for one snippet per task or exchangeable rows).",
    ),
) -> None:
    """Fit the fused model and certify its threshold; write the gate file."""
    res = _load(table, confidence_col, label_col, group_col)
    cols = _columns(res, features)
    gate = fit_gate(
        res,
        cols,
        alpha=alpha,
        delta=delta,
        fit_share=fit_share,
        seed=seed,
        unit=unit,
        source=str(table),
        digest=file_digest(table),
    )
    save_gate(gate, out)
    rc = gate.risk
    if gate.threshold is None:
        typer.echo(
            f"no threshold meets alpha={alpha} at delta={delta}: the gate accepts nothing "
            f"(base vulnerable rate {rc['base_rate']:.3f}; any gate must reject at least "
            f"{rc['feasibility_bound']:.1%}); wrote {out}"
        )
        return
    typer.echo(
        f"wrote {out}: accept p_vulnerable <= {gate.threshold:.4f} "
        f"({rc['calibration_accepted']}/{rc['n_calibration']} calibration rows accepted, "
        f"risk {rc['calibration_risk']:.3f}, p = {rc['p_value']:.3g})"
    )


@gate_app.command("apply")
def apply(
    gate_file: Path = typer.Argument(..., help="Gate file from `seccal gate fit`."),
    table: Path = typer.Argument(..., help="Table with the gate's feature columns."),
    out: Path = typer.Option(..., "--out", "-o", help="Decisions: .csv, .jsonl or .parquet."),
) -> None:
    """Write each row of TABLE with p_vulnerable and accept (true/false)."""
    gate = load_gate(gate_file)
    frame = read_table(table)
    p = gate.p_vulnerable(frame, str(table))
    accept = gate.accepts(p)
    frame = frame.assign(p_vulnerable=np.round(p, 6))
    if out.suffix.lower() in (".csv", ".tsv"):
        frame["accept"] = np.where(accept, "true", "false")
    else:
        frame["accept"] = accept
    write_table(frame, out)
    typer.echo(f"wrote {len(frame)} decisions to {out}: {int(accept.sum())} accepted")


def _model_spec(model: str | None, base_url: str | None) -> ModelSpec | None:
    if model is None:
        return None
    provider, sep, name = model.partition(":")
    if not sep or not provider or not name:
        raise InputError(f"--model: {model!r} is not PROVIDER:MODEL")
    return ModelSpec(provider, name, base_url=base_url)


@gate_app.command("check")
def check(
    gate_file: Path = typer.Argument(..., help="Gate file from `seccal gate fit`."),
    files: list[Path] = typer.Argument(..., help="Code files to check."),
    confidence: float = typer.Option(
        None,
        "--confidence",
        help="The model's security confidence for every file (else: sidecar FILE.seccal.json).",
    ),
    model: str = typer.Option(None, "--model", help="PROVIDER:MODEL to elicit a confidence from."),
    base_url: str = typer.Option(None, "--base-url", help="API base URL of --model."),
    sarif: Path = typer.Option(None, "--sarif", help="Write a SARIF 2.1.0 log here."),
    as_json: bool = _JSON,
) -> None:
    """Verdict per file; exit 0 when all are accepted, 1 otherwise, 2 on bad input."""
    gate = load_gate(gate_file)
    verdicts = check_files(
        gate, list(files), confidence=confidence, model=_model_spec(model, base_url)
    )
    if sarif is not None:
        write_sarif(verdicts, sarif, alpha=gate.alpha, delta=gate.delta)
    if as_json:
        _print(
            [
                {
                    "file": str(v.path),
                    "p_vulnerable": v.p_vulnerable,
                    "accept": v.accept,
                    "findings": len(v.findings),
                    "notes": v.notes,
                }
                for v in verdicts
            ]
        )
    else:
        for v in verdicts:
            word = "ACCEPT" if v.accept else "REJECT"
            typer.echo(
                f"{word}  {v.path}  p_vulnerable={v.p_vulnerable:.4f}  findings={len(v.findings)}"
            )
        if gate.threshold is None:
            typer.echo("the gate accepts nothing: no threshold met its alpha when it was fitted")
    if not all(v.accept for v in verdicts):
        raise typer.Exit(1)


def _rule_rows(result: dict[str, Any]) -> list[list[str]]:
    def f(x: Any, pct: bool = True) -> str:
        return "–" if x is None else (f"{100 * x:.1f}%" if pct else str(x))

    rows = []
    for name, s in result["rules"].items():
        q = s["risk_quantiles"] or {}
        rows.append(
            [
                name,
                f(s["coverage_mean"]),
                f(s["risk_mean"]),
                f(q.get("q50")),
                f(q.get("q95")),
                f"{s['violations']}/{s['splits']} = {f(s['violation_frequency'])}",
                f(s["accepted_nothing"], pct=False),
            ]
        )
    return rows


@gate_app.command("evaluate")
def evaluate(
    table: Path = typer.Argument(
        None, help="Results table; omit with --example.", show_default=False
    ),
    example: bool = typer.Option(
        False, "--example", help="Use the example table shipped with seccal."
    ),
    alpha: float = _ALPHA,
    delta: float = _DELTA,
    splits: int = typer.Option(100, "--splits", min=1, help="Random task splits."),
    tau: float = typer.Option(0.8, "--tau", help="Threshold of the naive confidence rule."),
    truth_col: str = typer.Option(
        None,
        "--truth-col",
        help="Known P(vulnerable) per row (synthetic data, e.g. p_vulnerable_true): also "
        "report each rule's expected risk on the test rows.",
    ),
    confidence_col: str = _CONF,
    label_col: str = _LABEL,
    group_col: str = _GROUP,
    features: str = _FEATURES,
    seed: int = _SEED,
    as_json: bool = _JSON,
) -> None:
    """Realized risk, violation frequency and coverage over repeated task splits."""
    path = _table(table, example)
    res = _load(path, confidence_col, label_col, group_col)
    cols = _columns(res, features)
    result = evaluate_gate(
        res,
        cols,
        alpha=alpha,
        delta=delta,
        n_splits=splits,
        tau=tau,
        seed=seed,
        truth_column=truth_col,
        source=str(path),
    )
    result["table"] = str(path)
    if as_json:
        _print(result)
        return
    t = Table(title=f"gate evaluation: alpha={alpha:g}, delta={delta:g}, {splits} task splits")
    for c in (
        "rule",
        "coverage",
        "mean risk",
        "median risk",
        "95% risk",
        "violations",
        "none accepted",
    ):
        t.add_column(c, justify="left" if c == "rule" else "right")
    for row in _rule_rows(result):
        t.add_row(*row)
    console = wide_console()
    console.print(t)
    console.print(
        f"{result['rows']} rows, {result['tasks']} tasks, base vulnerable rate "
        f"{result['base_rate']:.3f} (any gate must reject >= {result['feasibility_bound']:.1%}); "
        f"features: {', '.join(cols)}; violation = realized risk > alpha on the test tasks."
    )


def register(app: typer.Typer) -> None:
    """Add ``seccal gate``."""
    register_research(gate_app)
    app.add_typer(gate_app, name="gate")
