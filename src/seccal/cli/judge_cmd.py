"""``seccal judge``: judge bring-your-own generations against a task suite."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console

from seccal.core.config import DEFAULT_JUDGE_BATCH
from seccal.core.findings import Finding
from seccal.core.task import Task
from seccal.errors import InputError

err = Console(stderr=True)

HELP = """Judge generated code: functional tests and exploits in a sandbox, plus static analysis.

Labels: functional pass|fail|unknown (all functional tests pass); security per source:
dynamic (the task's exploit tests pass = secure) and static (no finding of medium+
severity of the task's CWE or a close relative, from Bandit, Semgrep with seccal's
rules, cppcheck and flawfinder, each on the files of its languages, and --sarif).
A study's label source "both" is secure only when both are secure, vulnerable when
both ran and either is vulnerable, and unknown when either is unknown (symmetric).
Every unknown carries a reason.
Re-running with the same --out judges only the generations not yet in it."""


def judge_command(
    generations: Path = typer.Option(..., "--generations", "-g", help="JSONL: task_id, code [, id, model, temperature, sample]."),
    out: Path = typer.Option(..., "--out", "-o", help="Verdicts JSONL (appended; resumable)."),
    suite: str | None = typer.Option(None, "--suite", "-s", help="Suite spec, e.g. builtin or sallm:/path."),
    tasks_file: Path | None = typer.Option(None, "--tasks-file", help="JSONL of Task.to_dict() records (instead of --suite)."),
    batch_size: int = typer.Option(
        DEFAULT_JUDGE_BATCH, "--batch-size", min=1, help="Snippets per sandbox."
    ),
    workers: int = typer.Option(2, "--workers", min=1, help="Sandboxes run at once."),
    no_static: bool = typer.Option(False, "--no-static", help="Skip the static analyzers."),
    sandbox_venv: Path | None = typer.Option(None, "--sandbox-venv", help="Sandbox environment (default $SECCAL_SANDBOX_VENV or /opt/seccal/sandbox-venv)."),
    sarif: list[Path] = typer.Option([], "--sarif", help="SARIF file(s) (e.g. CodeQL) whose findings join the static labels; files are matched to generations by an <id>/ directory or <id>.py name."),
) -> None:  # fmt: skip
    """Judge generations and append one verdict line per generation to --out."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.judge import Judge, JudgeConfig, JudgeItem
    from seccal.judge.genfile import append_rows, done_ids, output_row, read_generations
    from seccal.judge.sarif import group_by_generation, load_sarif, merge_findings

    tasks = _load_tasks(suite, tasks_file)
    records, warnings = read_generations(generations, tasks)
    done, out_warnings = done_ids(out)
    for w in [*warnings, *out_warnings]:
        err.print(f"[yellow]warning:[/] {w}", highlight=False)
    todo = [(r, t) for r, t in records if r.generation_id not in done]
    err.print(
        f"{len(records)} generations, {len(records) - len(todo)} already judged, {len(todo)} to judge"
    )
    imported: dict[str, list[Finding]] = {}
    if sarif:
        located = [item for path in sarif for item in load_sarif(path)]
        imported = group_by_generation(located, [r.generation_id for r, _ in todo])
    kwargs: dict[str, object] = {"batch_size": batch_size, "workers": workers}
    if no_static:
        kwargs["analyzers"] = ()
    if sandbox_venv is not None:
        kwargs["sandbox_venv"] = sandbox_venv
    judge = Judge(JudgeConfig(**kwargs))  # type: ignore[arg-type]
    if judge.isolation != "strong":
        err.print("[bold red]WARNING: weak sandbox (no bubblewrap): see the log above.[/]")
    items = [JudgeItem(r.generation_id, t, r.code) for r, t in todo]
    by_id = {r.generation_id: (r, t) for r, t in todo}
    counts: Counter[str] = Counter()
    start, n = time.monotonic(), 0
    for verdicts in judge.iter_judge(items):
        rows = []
        for v in verdicts:
            record, task = by_id[v.generation_id]
            if v.generation_id in imported:
                merge_findings(v, imported[v.generation_id], task.cwes)
            rows.append(output_row(record, v))
            counts[f"functional={v.functional}"] += 1
            for src, label in v.security.items():
                counts[f"{src}={label}"] += 1
        append_rows(out, rows)
        n += len(verdicts)
        err.print(f"judged {n}/{len(items)} ({n / max(1e-9, time.monotonic() - start):.1f}/s)")
    for key in sorted(counts):
        typer.echo(f"{key}: {counts[key]}")


def _load_tasks(suite: str | None, tasks_file: Path | None) -> dict[str, Task]:
    if (suite is None) == (tasks_file is None):
        raise InputError("give exactly one of --suite or --tasks-file")
    if tasks_file is not None:
        # lazy: every command module is imported for `seccal --help`; keep start-up fast
        from seccal.judge.genfile import iter_task_file

        tasks = list(iter_task_file(tasks_file))
    else:
        # lazy, as above: start-up speed
        from seccal.tasks.registry import load_suite

        tasks = list(load_suite(str(suite)))
    index: dict[str, Task] = {}
    for task in tasks:
        index[task.id] = task
        index[task.key] = task
    return index


def register(app: typer.Typer) -> None:
    """Add ``seccal judge`` to the CLI."""
    app.command("judge", help=HELP)(judge_command)
