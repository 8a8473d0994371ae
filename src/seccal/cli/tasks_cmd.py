"""``seccal tasks``: list, show, validate task suites and report their Docker parity.

``validate`` lives in :mod:`seccal.cli.tasks_validate`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table

from seccal.cli.console import wide_console
from seccal.cli.tasks_validate import print_static_quality, validate_cmd
from seccal.core.findings import DEFAULT_MIN_SEVERITY, SEVERITY_RANK
from seccal.core.task import SANDBOX_ENV_KEY, Task
from seccal.errors import ConfigError
from seccal.judge import Judge, JudgeConfig
from seccal.judge.config import DEFAULT_ENV
from seccal.judge.parity import SHARED, host_env, sallm_parity
from seccal.judge.static_quality import reference_frame, static_quality
from seccal.tasks.registry import get_task, known_suites, load_suite

tasks_app = typer.Typer(
    help="Task suites: builtin, sallm[:PATH], cweval[:PATH], securityeval:PATH.",
    no_args_is_help=True,
)
console = wide_console()

SUITE_ARG = typer.Argument(..., help="Suite spec: NAME or NAME:PATH (e.g. sallm:/data/sallm).")


def _filter(tasks: list[Task], cwe: str | None) -> list[Task]:
    if cwe is None:
        return tasks
    want = cwe.upper() if cwe.upper().startswith("CWE-") else f"CWE-{cwe}"
    number = want.split("-", 1)[1].lstrip("0")
    return [t for t in tasks if any(c.split("-", 1)[1].lstrip("0") == number for c in t.cwes)]


@tasks_app.command("list")
def list_tasks(
    suite: str = SUITE_ARG,
    cwe: str | None = typer.Option(None, "--cwe", help="Only tasks about this CWE (89 or CWE-89)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
) -> None:
    """List the tasks of a suite with their CWEs and test counts."""
    tasks = _filter(load_suite(suite), cwe)
    if as_json:
        for t in tasks:
            row = {
                "id": t.id,
                "suite": t.suite,
                "cwes": list(t.cwes),
                "tests": len(t.tests),
                "static_only": t.static_only,
                "entry_point": t.entry_point,
            }
            typer.echo(json.dumps(row))
        return
    table = Table(title=f"{suite}: {len(tasks)} tasks")
    for col in ("id", "CWEs", "kind", "tests", "refs", "note"):
        table.add_column(col)
    for t in tasks:
        refs = "".join(
            mark for mark, ref in (("S", t.secure_reference), ("I", t.insecure_reference)) if ref
        )
        note = "static-only" if t.static_only else str(t.metadata.get("summary", ""))
        table.add_row(
            t.id,
            ", ".join(t.cwes),
            str(t.metadata.get("kind", "")),
            str(len(t.tests)),
            refs or "-",
            note,
        )
    console.print(table)
    cwes = Counter(c for t in tasks for c in t.cwes)
    console.print(f"{len(tasks)} tasks, {len(cwes)} CWEs")


@tasks_app.command("suites")
def list_suites() -> None:
    """List the registered suites."""
    for name, text in known_suites().items():
        console.print(f"[bold]{name}[/]  {text}")


@tasks_app.command("show")
def show_task(
    suite: str = SUITE_ARG,
    task_id: str = typer.Argument(..., help="Task id as shown by 'seccal tasks list'."),
    code: bool = typer.Option(False, "--code", help="Also print the reference solutions."),
    tests: bool = typer.Option(False, "--tests", help="Also print the test files."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole task as JSON."),
) -> None:
    """Show one task: metadata and prompt (and optionally references and tests)."""
    task = get_task(suite, task_id)
    if as_json:
        typer.echo(json.dumps(task.to_dict(), indent=2))
        return
    console.print(f"[bold]{task.key}[/]  {', '.join(task.cwes)}  ({task.language})")
    console.print(f"module: {task.module_name}   entry point: {task.entry_point or '-'}")
    console.print(f"dependencies: {', '.join(task.dependencies) or '-'}")
    for spec in task.tests:
        sel = f" selector {spec.selector!r}" if spec.selector else ""
        console.print(escape(f"test: {spec.role} {spec.filename} ({spec.framework}){sel}"))
    if task.extra_files or task.binary_files:
        console.print(f"fixtures: {', '.join(sorted({*task.extra_files, *task.binary_files}))}")
    if task.static_only:
        console.print(f"static-only: {task.metadata.get('static_only_reason', '')}")
    console.rule("prompt")
    console.print(Syntax(task.prompt, "python", line_numbers=False))
    if code:
        for label, ref in (
            ("secure", task.secure_reference),
            ("insecure", task.insecure_reference),
        ):
            if ref:
                console.rule(f"{label} reference")
                console.print(Syntax(ref, "python"))
    if tests:
        for spec in {s.filename: s for s in task.tests}.values():
            console.rule(spec.filename)
            console.print(Syntax(spec.source, "python"))


tasks_app.command("validate")(validate_cmd)


@tasks_app.command("parity")
def parity_suite(
    suite: str = SUITE_ARG,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Every step of every task."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the report as JSON."),
) -> None:
    """How faithfully the sandbox reproduces each task's Docker image (SALLM).

    Per task: every Dockerfile instruction (WORKDIR, COPY/ADD, RUN mkdir/echo/pip/apt-get,
    ENV, CMD) and whether the judge reproduces it; the interpreter and each pinned package
    against the sandbox environment; what the sandbox cannot give (verdicts then unknown).
    Levels: fully (apart from the deviations all tasks share, listed once), partly, not."""
    name = suite.split(":", 1)[0]
    if name != "sallm":
        raise ConfigError(
            f"parity is defined for suites built from Dockerfiles (sallm), not {name}"
        )
    tasks = load_suite(suite)
    env = str(tasks[0].metadata.get(SANDBOX_ENV_KEY, DEFAULT_ENV)) if tasks else DEFAULT_ENV
    python = JudgeConfig().python_for(env)
    report = sallm_parity(tasks, host_env(python.parent.parent))
    table = Table(title=f"parity of {suite} with its Docker images ({python.parent.parent})")
    for col in ("task", "level", "reproduced", "not reproduced / deviates"):
        table.add_column(col)
    style = {"fully": "green", "partly": "yellow", "not": "bold red"}
    for t in report.tasks:
        ok = sum(s.status in ("reproduced", "no-effect") for s in t.steps)
        bad = [s for s in t.steps if s.status in ("deviates", "not-reproduced")]
        own = [s for s in bad if verbose or not s.note.startswith(SHARED)]
        detail = "; ".join(f"{s.instruction} ({s.status}: {s.note})" for s in own) or t.why
        table.add_row(t.task_id, f"[{style[t.level]}]{t.level}[/]", str(ok), escape(detail))
    console.print(table)
    if verbose:
        for t in report.tasks:
            console.rule(t.task_id)
            for s in t.steps:
                console.print(escape(f"  {s.line:>3} {s.status:<15} {s.instruction}  {s.note}"))
    console.print("[bold]deviations every task shares:[/]")
    for text in report.shared:
        console.print(escape(f"  - {text}"))
    counts = report.counts()
    console.print(
        f"{suite}: {len(report.tasks)} tasks: fully {counts['fully']}, "
        f"partly {counts['partly']}, not at all {counts['not']}"
    )
    for level in ("partly", "not"):
        for why, n in report.reasons(level).items():  # type: ignore[arg-type]
            console.print(escape(f"  {level} ({n}): {why}"))
    defects = report.image_defects()
    if defects:
        console.print(f"{len(defects)} task(s) whose own image cannot run its test (reproduced):")
        for task_id, why in defects.items():
            console.print(escape(f"  {task_id}: {why}"))
    timed = report.load_dependent()
    if timed:
        console.print(f"{len(timed)} task(s) whose verdicts vary with the machine's load:")
        for task_id, why in timed.items():
            console.print(escape(f"  {task_id}: {why}"))
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")


@tasks_app.command("static-quality")
def static_quality_cmd(
    suite: str = SUITE_ARG,
    min_severity: str = typer.Option(
        DEFAULT_MIN_SEVERITY,
        "--min-severity",
        help="Least severity that counts: low, medium, high.",
    ),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the numbers as JSON."),
) -> None:
    """Precision and recall of the static label on the suite's references, per CWE.

    Every analyzer (Bandit, Semgrep with seccal's rules, cppcheck, flawfinder; each on
    the files of its languages) reads each secure and insecure reference; the static
    label (vulnerable when a finding at or above --min-severity has the task's CWE or
    one of its family) is compared with what the reference is meant to be.
    """
    if min_severity not in SEVERITY_RANK:
        raise ConfigError(f"--min-severity: {min_severity!r} is not one of low, medium, high")
    config = JudgeConfig(workers=1, static_min_severity=min_severity)
    frame = reference_frame(load_suite(suite), Judge(config))
    quality = static_quality(frame)
    print_static_quality(quality, f"static label on the references of {suite}")
    if json_out is not None:
        json_out.write_text(json.dumps(quality, indent=2) + "\n", encoding="utf-8")


def register(app: typer.Typer) -> None:
    """Add the ``tasks`` sub-command group."""
    app.add_typer(tasks_app, name="tasks")
