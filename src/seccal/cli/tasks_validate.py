"""``seccal tasks validate``: the reference-pair table of one, several or every suite.

Part of the ``tasks`` group (:mod:`seccal.cli.tasks_cmd` registers it); the checks
live in :mod:`seccal.tasks.validate`, the static label's quality in
:mod:`seccal.judge.static_quality`; this module only renders them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from seccal.cli.console import wide_console
from seccal.errors import ConfigError
from seccal.report.tables_static import static_quality_sentence
from seccal.tasks.registry import known_suites
from seccal.tasks.validate import reference_quality, seccal_judge, validate_suites
from seccal.tasks.validation_records import SuiteValidation

console = wide_console()

#: Columns of the reference-pair table: (header, key of SuiteValidation.counts()).
_SUMMARY = (
    ("tasks", "tasks"),
    ("runnable", "runnable"),
    ("S refs", "secure_refs"),
    ("S func", "secure_functional"),
    ("S sec", "secure_security"),
    ("I refs", "insecure_refs"),
    ("I func", "insecure_functional"),
    ("I vuln", "insecure_detected"),
    ("ok", "passed"),
    ("fail", "failed"),
    ("not run", "not_run"),
)
_LEGEND = (
    "runnable: tasks whose checks ran here; S: secure reference (of the runnable tasks), "
    "func = passes its functional tests, sec = passes its security tests; I: insecure "
    "reference, func = passes its functional tests, vuln = fails its security tests; "
    "ok: every reference as expected; fail: an exception (reasons above); s: seconds"
)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_static_quality(quality: dict[str, Any], title: str, what: str = "references") -> None:
    """The per-CWE precision/recall table of :func:`seccal.judge.static_quality.static_quality`."""
    table = Table(title=title, caption=str(quality["definition"]))
    for col in ("CWE", "rules", "n", "TP", "FP", "FN", "TN", "precision", "recall", "unknown"):
        table.add_column(col, justify="left" if col == "CWE" else "right")
    entries = [*quality["per_cwe"].items(), ("all", quality["overall"])]
    for cwe, e in entries:
        rules = ", ".join(f"{lang} {n}" for lang, n in e.get("rules", {}).items())
        cells = [e["n"], e["tp"], e["fp"], e["fn"], e["tn"]]
        table.add_row(
            cwe,
            rules,
            *map(str, cells),
            _fmt(e["precision"]),
            _fmt(e["recall"]),
            str(e["n_unknown"]),
        )
    console.print(table)
    console.print(static_quality_sentence(quality, what))


def print_exceptions(report: SuiteValidation, verbose: bool) -> None:
    """Every task of ``report`` that did not pass, with its reason (all tasks if verbose)."""
    if report.error:
        console.print(f"[yellow]{escape(report.suite)}: not loaded:[/] {escape(report.error)}")
        return
    table = Table(title=f"validation of {report.suite}")
    for col in ("task", "status", "reason"):
        table.add_column(col)
    style = {"pass": "green", "fail": "bold red", "not-run": "yellow"}
    rows = report.results if verbose else [r for r in report.results if r.status != "pass"]
    reasons = {task_id: why for task_id, _, why in report.exceptions()}
    for r in rows:
        table.add_row(
            r.task_id, f"[{style[r.status]}]{r.status}[/]", escape(reasons.get(r.task_id, ""))
        )
    if table.row_count:
        console.print(table)
    rate = "n/a" if report.passed + report.failed == 0 else f"{report.pass_rate:.1%}"
    console.print(
        f"{report.suite}: {len(report.results)} tasks, {len(report.cwes)} CWEs; "
        f"passed {report.passed}, failed {report.failed}, not run {report.not_run}; "
        f"pass rate {rate}; {report.seconds:.1f} s"
    )


def summary_table(reports: list[SuiteValidation]) -> Table:
    """One row per suite: tasks, runnable, how each reference behaved, seconds."""
    table = Table(title="reference pairs per suite", caption=_LEGEND)
    table.add_column("suite")
    for header, _ in _SUMMARY:
        table.add_column(header, justify="right")
    table.add_column("s", justify="right")
    for r in reports:
        if r.error:
            table.add_row(r.suite, *["-"] * len(_SUMMARY), f"{r.seconds:.0f}")
            continue
        counts = r.counts()
        table.add_row(r.suite, *(str(counts[key]) for _, key in _SUMMARY), f"{r.seconds:.0f}")
    return table


def _specs(suites: list[str], every: bool) -> list[str]:
    if every and suites:
        raise ConfigError("give suites or --all, not both")
    if every:
        return list(known_suites())
    if not suites:
        raise ConfigError("name at least one suite (seccal tasks suites lists them) or use --all")
    return suites


def validate_cmd(
    suites: list[str] = typer.Argument(
        None, help="Suite specs: NAME or NAME:PATH (e.g. sallm:/data/sallm)."
    ),
    every: bool = typer.Option(False, "--all", help="Every registered suite."),
    task_ids: list[str] = typer.Option([], "--task", "-t", help="Only these task ids."),
    limit: int = typer.Option(0, "--limit", min=0, help="First N tasks of each suite (0: all)."),
    static: bool = typer.Option(
        True,
        "--static/--no-static",
        help="Also run the analyzers and print the static label's precision and recall "
        "against the dynamic label per CWE on the references.",
    ),
    workers: int = typer.Option(2, "--workers", min=1, help="Sandboxes judging in parallel."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List passing tasks too."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the report as JSON."),
) -> None:
    """Judge each task's references through the judge a study uses: the secure reference
    must pass its functional and security tests; the insecure one must pass its functional
    tests and fail its security tests. Prints every exception with its reason and one
    table per suite; exits 1 when a task fails.

    Tasks that cannot run here (static-only, no reference, a toolchain or dependency
    missing) are 'not run' with the reason. The static table's positive class is
    vulnerable: precision = P(dynamic vulnerable | static vulnerable), recall =
    P(static vulnerable | dynamic vulnerable), rows with an unknown label left out.
    """
    specs = _specs(suites or [], every)
    start = time.monotonic()
    judge = seccal_judge(static=static, workers=workers)
    reports = validate_suites(
        specs,
        judge,
        limit=limit,
        task_ids=task_ids,
        progress=lambda r: print_exceptions(r, verbose),
    )
    if task_ids:
        found = {t.task_id for r in reports for t in r.results}
        missing = sorted(set(task_ids) - found)
        if missing:
            raise ConfigError(f"no such task(s) in {', '.join(specs)}: {', '.join(missing)}")
    console.print(summary_table(reports))
    payload: dict[str, Any] = {
        "suites": [r.to_dict() for r in reports],
        "seconds": round(time.monotonic() - start, 1),
    }
    if static:
        quality = reference_quality(reports)
        payload["static_quality"] = quality
        print_static_quality(quality, "static label against the dynamic label, on the references")
    if json_out is not None:
        json_out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if any(r.failed for r in reports):
        raise typer.Exit(1)
