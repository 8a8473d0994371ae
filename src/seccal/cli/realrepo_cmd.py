"""``seccal realrepo``: tasks cut from real projects' security fixes (list, fetch, validate)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from seccal.cli.console import wide_console
from seccal.errors import InputError
from seccal.repo.realrepo.fetch import cache_root
from seccal.repo.realrepo.prepare import prepare
from seccal.repo.realrepo.spec import TaskSpec, builtin_specs_dir, load_specs
from seccal.repo.realrepo.table import Row, describe, summary, validate_one

realrepo_app = typer.Typer(
    help="Repository tasks cut from real CVE fixes: C from Debian security sources, Python "
    "from PyPI sdists, JavaScript from npm tarballs; downloaded on first use, verified by "
    "SHA-256, cached (offline afterwards).",
    no_args_is_help=True,
)
console = wide_console()

SPECS = typer.Option(None, "--specs", help="Folder of task TOML files (default: shipped).")
IDS = typer.Argument(None, help="Task ids (default: all).")
LANGUAGE = typer.Option(None, "--language", "-l", help="Only this language.")
CI = typer.Option(False, "--ci", help="Only the tasks marked for CI (ci = true).")
OFFLINE = typer.Option(False, "--offline", help="Never download: use the cache only.")


def _select(
    specs_dir: Path | None, ids: list[str] | None, language: str | None, ci: bool
) -> list[TaskSpec]:
    specs = load_specs(specs_dir or builtin_specs_dir())
    if ids:
        known = {s.id for s in specs}
        unknown = sorted(set(ids) - known)
        if unknown:
            raise InputError(f"unknown realrepo task id(s): {', '.join(unknown)}")
        specs = [s for s in specs if s.id in ids]
    if language:
        specs = [s for s in specs if s.language == language]
    if ci:
        specs = [s for s in specs if s.ci]
    return specs


def _table(rows: list[Row], title: str) -> Table:
    table = Table(title=title)
    for col in (
        "id",
        "project",
        "versions",
        "CVE",
        "CWE",
        "lang",
        "region",
        "ctx tok",
        "status",
        "s",
    ):
        table.add_column(col)
    style = {"valid": "green", "invalid": "red", "unknown": "yellow"}
    for r in rows:
        table.add_row(
            r.id,
            r.project,
            r.versions,
            r.cve,
            r.cwe,
            r.language,
            "" if r.region_lines is None else str(r.region_lines),
            "" if r.context_tokens is None else str(r.context_tokens),
            f"[{style[r.status]}]{r.status}[/]"
            + (f": {escape(r.reason[:160])}" if r.reason else ""),
            f"{r.validate_s:.1f}",
        )
    return table


@realrepo_app.command("list")
def list_cmd(
    ids: list[str] = IDS,
    specs_dir: Path | None = SPECS,
    language: str | None = LANGUAGE,
    ci: bool = CI,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """List the task definitions (nothing is downloaded)."""
    rows = [describe(s) for s in _select(specs_dir, ids, language, ci)]
    if as_json:
        for r in rows:
            typer.echo(json.dumps(r.to_dict()))
        return
    console.print(
        _table(rows, f"realrepo: {len(rows)} task definitions"), width=max(console.width, 220)
    )


@realrepo_app.command("fetch")
def fetch_cmd(
    ids: list[str] = IDS,
    specs_dir: Path | None = SPECS,
    language: str | None = LANGUAGE,
    ci: bool = CI,
) -> None:
    """Download, verify, unpack and prebuild the selected tasks into the cache. Exits 1 on failure."""
    failed = 0
    for spec in _select(specs_dir, ids, language, ci):
        start = time.monotonic()
        try:
            prepare(spec)
        except Exception as exc:  # every failure is reported, the rest still fetched
            failed += 1
            console.print(f"[red]failed[/] {spec.id}: {escape(str(exc))}")
            continue
        console.print(f"[green]cached[/] {spec.id} ({time.monotonic() - start:.1f}s)")
    console.print(f"cache: {cache_root()}")
    if failed:
        raise typer.Exit(1)


@realrepo_app.command("validate")
def validate_cmd(
    ids: list[str] = IDS,
    specs_dir: Path | None = SPECS,
    language: str | None = LANGUAGE,
    ci: bool = CI,
    offline: bool = OFFLINE,
    json_out: Path | None = typer.Option(
        None, "--json", help="Also write rows and summary as JSON."
    ),
) -> None:
    """Judge each task's references in the sandbox and print the task table.

    Valid: the fixed region passes the functional checks and resists the
    exploit; the vulnerable region passes the functional checks and falls to it.
    Exits 1 when a task is invalid.
    """
    specs = _select(specs_dir, ids, language, ci)
    start = time.monotonic()
    rows = []
    for spec in specs:
        row = validate_one(spec, offline=offline)
        console.print(f"{row.status:8s} {row.id} ({row.prepare_s:.1f}s + {row.validate_s:.1f}s)")
        rows.append(row)
    console.print(_table(rows, f"realrepo: {len(rows)} tasks"), width=max(console.width, 220))
    info = {**summary(rows), "wall_s": round(time.monotonic() - start, 1)}
    console.print(
        f"valid {info['valid']}/{info['tasks']} ({info['valid_share']:.0%}); "
        + "; ".join(
            f"{lang}: {c['valid']} valid, {c['invalid']} invalid, {c['unknown']} unknown"
            for lang, c in sorted(info["by_language"].items())
        )
        + f"; {info['wall_s']} s"
    )
    if json_out is not None:
        payload = {"summary": info, "rows": [r.to_dict() for r in rows]}
        json_out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if any(r.status == "invalid" for r in rows):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``realrepo`` sub-command group."""
    app.add_typer(realrepo_app, name="realrepo")
