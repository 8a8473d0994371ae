"""``seccal repo``: repository-level tasks (list, show, validate, judge) and their adapters."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from seccal.cli import tasks_validate
from seccal.cli.console import wide_console
from seccal.errors import InputError

repo_app = typer.Typer(
    help="Repository-level tasks: a snapshot with a masked region whose safety depends on "
    "other files (built-in suite in Python, JavaScript, Java, C and Go; CWEval C/C++/JS/Go; "
    "AICGSecEval).",
    no_args_is_help=True,
)
console = wide_console()

SUITE_DIR = typer.Option(None, "--suite-dir", help="Folder of repositories (default: built-in).")
LANGUAGE = typer.Option(None, "--language", "-l", help="Only this language.")


def _tasks(suite_dir: Path | None, language: str | None, ids: list[str] | None = None) -> list[Any]:
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.repo.loader import builtin_suite_dir, load_repo_suite

    tasks = load_repo_suite(suite_dir or builtin_suite_dir())
    if language:
        tasks = [t for t in tasks if t.language == language]
    if ids:
        known = {t.id for t in tasks}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InputError(f"unknown repository id(s): {', '.join(unknown)}")
        tasks = [t for t in tasks if t.id in ids]
    return tasks


@repo_app.command("list")
def list_cmd(
    suite_dir: Path | None = SUITE_DIR,
    language: str | None = LANGUAGE,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """List the repositories of a suite."""
    tasks = _tasks(suite_dir, language)
    if as_json:
        for t in tasks:
            typer.echo(json.dumps(t.to_dict()))
        return
    table = Table("id", "language", "CWEs", "context", "safety depends on")
    for t in tasks:
        table.add_row(t.id, t.language, ",".join(t.cwes), t.context.mode, t.safety_depends_on)
    console.print(table)
    counts = Counter(t.language for t in tasks)
    console.print(
        f"{len(tasks)} repositories: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )


@repo_app.command("show")
def show_cmd(
    repo_id: str = typer.Argument(..., help="Repository id."),
    suite_dir: Path | None = SUITE_DIR,
    prompt: bool = typer.Option(False, "--prompt", help="Print the prompt the model gets."),
) -> None:
    """Show one repository: metadata and steps, or the model's prompt."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.repo.context import build_prompt

    (task,) = _tasks(suite_dir, None, [repo_id])
    if prompt:
        p = build_prompt(task)
        typer.echo(p.text)
        typer.echo(json.dumps(p.record()), err=True)
        return
    typer.echo(json.dumps(task.to_dict(), indent=2))


@repo_app.command("validate")
def validate_cmd(
    ids: list[str] = typer.Argument(None, help="Repository ids (default: all)."),
    suite_dir: Path | None = SUITE_DIR,
    language: str | None = LANGUAGE,
    out: Path | None = typer.Option(
        None, "--out", help="Write per-repository results as JSON lines."
    ),
) -> None:
    """Check every repository: fixed reference passes all steps, vulnerable one only fails the exploit.

    Exit status 1 if any repository FAILED; repositories whose toolchain is
    missing are reported as unknown.
    """
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.repo.judge import validate_task

    tasks = _tasks(suite_dir, language, ids or None)
    start = time.monotonic()
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    failed = False
    rows = []
    for task in tasks:
        v = validate_task(task)
        by_lang[task.language][v.status] += 1
        failed |= v.ok is False
        color = {"ok": "green", "FAILED": "red", "unknown": "yellow"}[v.status]
        console.print(
            f"[{color}]{v.status:8s}[/] {task.id} ({v.seconds:.1f}s) {'; '.join(v.problems)}"
        )
        rows.append(
            {
                "id": task.id,
                "language": task.language,
                "status": v.status,
                "problems": list(v.problems),
                "seconds": round(v.seconds, 2),
            }
        )
    if out:
        out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    total = time.monotonic() - start
    for lang, c in sorted(by_lang.items()):
        console.print(f"{lang:11s} ok {c['ok']}  failed {c['FAILED']}  unknown {c['unknown']}")
    console.print(f"{len(tasks)} repositories validated in {total:.1f}s")
    if failed:
        raise typer.Exit(1)


@repo_app.command("judge")
def judge_cmd(
    repo_id: str = typer.Argument(..., help="Repository id."),
    code: Path = typer.Option(..., "--code", help="File with the model's reply or region code."),
    suite_dir: Path | None = SUITE_DIR,
    static: bool = typer.Option(True, "--static/--no-static", help="Also run static analyzers."),
) -> None:
    """Judge one region (a model reply; fenced code is extracted) and print the verdict as JSON."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.repo.apply import extract_code
    from seccal.repo.judge import judge_many

    (task,) = _tasks(suite_dir, None, [repo_id])
    try:
        text = code.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{code}: cannot read: {exc.strerror}") from None
    (verdict,) = judge_many([(task, extract_code(text, task.language), code.stem)], static=static)
    typer.echo(json.dumps(verdict.to_dict(), indent=2))


@repo_app.command("cweval")
def cweval_cmd(
    lang: str = typer.Option("c,cpp,js,go", "--lang", help="Comma-separated: c, cpp, js, go."),
    path: Path | None = typer.Option(None, "--path", help="CWEval benchmark/core folder."),
    limit: int = typer.Option(0, "--limit", help="At most this many tasks per language (0: all)."),
) -> None:
    """Run CWEval's references through the study's judge; report what builds and behaves.

    A shortcut for ``seccal tasks validate cweval-c cweval-cpp cweval-js cweval-go
    --no-static``: the same checks, the same table.
    """
    chosen = [x.strip() for x in lang.split(",") if x.strip()]
    known = ("c", "cpp", "js", "go")
    bad = [x for x in chosen if x not in known]
    if bad:
        raise InputError(f"--lang: unknown language(s) {', '.join(bad)}; use c, cpp, js, go")
    where = f":{path}" if path else ""
    specs = [f"cweval-{x}{where}" for x in known if x in chosen]
    tasks_validate.validate_cmd(
        suites=specs,
        every=False,
        task_ids=[],
        limit=limit,
        static=False,
        workers=2,
        verbose=False,
        json_out=None,
    )


@repo_app.command("aicg-prompt")
def aicg_prompt_cmd(
    instance_id: str = typer.Argument(..., help="AICGSecEval instance_id."),
    repo_dir: Path = typer.Option(..., "--repo-dir", help="Checkout of the instance's repository."),
    data_file: Path | None = typer.Option(None, "--data-file", help="data_v2.json"),
    context_file: Path | None = typer.Option(None, "--context-file", help="BM25 context file."),
    budget: int = typer.Option(6000, "--budget", help="Token budget for context files."),
) -> None:
    """Print the prompt for one AICGSecEval instance from a local checkout."""
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.repo.aicgseceval import build_prompt, load_aicgseceval

    insts = {i.instance_id: i for i in load_aicgseceval(data_file, context_file)}
    if instance_id not in insts:
        raise InputError(f"unknown AICGSecEval instance_id {instance_id!r}")
    text, record = build_prompt(insts[instance_id], repo_dir, token_budget=budget)
    typer.echo(text)
    typer.echo(json.dumps(record), err=True)


def register(app: typer.Typer) -> None:
    """Add the ``repo`` sub-command group."""
    app.add_typer(repo_app, name="repo")
