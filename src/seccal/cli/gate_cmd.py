"""``seccal gate``: fit, apply, check and evaluate a risk-controlled gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.table import Table

from seccal.cli.metrics_cmd import EXAMPLE_TABLE, wide_console
from seccal.core.results import Results, read_table, write_table
from seccal.errors import InputError
from seccal.gate.check import check_files
from seccal.gate.evaluate import evaluate_gate
from seccal.gate.features import default_features
from seccal.gate.fusion import compare_signals, cross_fit_fused
from seccal.gate.gatefile import (
    DEFAULT_FIT_SHARE,
    file_digest,
    fit_gate,
    groups_of,
    load_gate,
    load_study,
    save_gate,
    task_split,
)
from seccal.gate.multicalib import (
    DEFAULT_GROUP_COLUMNS,
    before_after,
    fit_multicalibration,
    subgroup_calibration,
)
from seccal.gate.sarif import write_sarif
from seccal.gate.shift import SETTINGS, shift_report
from seccal.models import ModelSpec

HELP = """A risk-controlled gate for generated code.

The gate accepts a snippet when its fitted P(vulnerable) is at most a threshold certified on
held-out tasks so that the share of accepted snippets that are vulnerable is <= ALPHA with
probability >= 1 - DELTA (Learn-then-Test: fixed-sequence testing from strict to loose
thresholds). Snippets of one task are correlated, so by default whole tasks are the
exchangeable units (task-level risk, p-values by betting); --unit row uses exact binomial /
Hoeffding-Bentkus p-values over rows (valid for one snippet per task). If the vulnerable base
rate mu exceeds ALPHA, any gate must reject at least (mu - ALPHA) / (1 - ALPHA) of the code.

\b
P(vulnerable) fuses, by L2-regularised logistic regression:
  confidences  conf_security_verbal, conf_ptrue, conf_consistency, conf_likelihood (logit)
  findings     findings_total, findings_<severity>, findings_fam_<CWE family> (log 1+n)
  execution    parses, correct (0/1)
with a missing indicator per feature. Labels: 1 = secure, 0 = vulnerable, empty = unknown
(excluded and counted).
"""

gate_app = typer.Typer(help=HELP, no_args_is_help=True)

_ALPHA = typer.Option(0.1, "--alpha", help="Risk level: most vulnerable share of accepted code.")
_DELTA = typer.Option(0.1, "--delta", help="Failure probability of the guarantee.")
_CONF = typer.Option(
    None, "--confidence-col", help="Primary confidence column (default as in `seccal metrics`)."
)
_LABEL = typer.Option(None, "--label-col", help="Label column (default: label, secure or y).")
_GROUP = typer.Option(None, "--group-col", help="Task column (default: task_id, task or group).")
_FEATURES = typer.Option(
    None, "--features", help="Comma-separated feature columns (default: every known one present)."
)
_SEED = typer.Option(0, "--seed", help="Seed of the task splits.")
_JSON = typer.Option(False, "--json", help="Print one JSON object.")


def _table(table: Path | None, example: bool) -> Path:
    if table is None and not example:
        raise InputError("give a results TABLE, or --example for the shipped example table")
    return EXAMPLE_TABLE if table is None else table


def _load(path: Path, conf: str | None, label: str | None, group: str | None) -> Results:
    return load_study(path, confidence_col=conf, label_col=label, group_col=group)


def _columns(res: Results, features: str | None) -> list[str]:
    if features:
        cols = [c.strip() for c in features.split(",") if c.strip()]
    else:
        cols = default_features(res.frame) or [res.confidence_column]
    missing = [c for c in cols if c not in res.frame.columns]
    if missing:
        have = ", ".join(c for c in res.frame.columns if c != "__line__")
        raise InputError(f"--features: no column {missing[0]!r} in the table (columns: {have})")
    return cols


def _print(obj: Any) -> None:
    typer.echo(json.dumps(obj, allow_nan=False, default=float))


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


@gate_app.command("compare")
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


@gate_app.command("shift")
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


def register(app: typer.Typer) -> None:
    """Add ``seccal gate``."""
    app.add_typer(gate_app, name="gate")
