"""``seccal tables``: the paper's tables of a run, as Markdown and LaTeX, from metrics.json."""

from __future__ import annotations

from pathlib import Path

import typer

_HELP = """Write the paper's tables of a study as Markdown and LaTeX.

SOURCE is a run folder (its metrics.json is read; the analyze stage runs again
first only when the store changed since it was written), a metrics.json file, a
replication bundle or an export table (analysed first, with --config for an
export). Tables, each as OUT/NAME.md and OUT/NAME.tex, plus all of them in
OUT/tables.md and OUT/tables.tex:

\b
  calibration_<suite>  per benchmark: model x temperature rows; ECE, Brier,
                       False Trust and gap, security and functional side by
                       side, each with its task-cluster CI
  gating               each gate's coverage, ECE and False Trust on what it accepts
  repair               vulnerable->secure fixes, correct->broken regressions, dECE
  prompting            generation variants (zero-shot, few-shot, CoT, few-shot+CoT)
  levels               self-contained vs repository-level tasks

The HTML report embeds the same tables. ECE = sum_b (n_b/N)|acc_b - conf_b|;
Brier = mean (c - y)^2; False Trust = P(c >= tau | vulnerable); gap = mean(c) -
mean(y); CIs resample tasks, not snippets.
"""


def tables(
    source: Path = typer.Argument(
        ..., help="Run folder, metrics.json, replication bundle or export table."
    ),
    out: Path = typer.Option(
        None, "--out", "-o", help="Output folder [default: SOURCE/tables or SOURCE.tables]."
    ),
    config: Path = typer.Option(
        None, "--config", help="Study config (TOML or JSON) for an export table."
    ),
    show: bool = typer.Option(False, "--print", help="Also print the Markdown tables."),
) -> None:
    from seccal.analysis import read_metrics
    from seccal.report import source_metrics
    from seccal.report.paper_tables import paper_tables

    if source.is_file() and source.suffix == ".json":
        doc = read_metrics(source)
        default = source.parent / "tables"
    else:
        doc = source_metrics(source, config_path=config)
        default = (
            source / "tables" if source.is_dir() else source.with_name(source.name + ".tables")
        )
    folder = out or default
    folder.mkdir(parents=True, exist_ok=True)
    found = paper_tables(doc)
    for t in found:
        (folder / f"{t.name}.md").write_text(t.to_markdown(), "utf-8")
        (folder / f"{t.name}.tex").write_text(t.to_latex(), "utf-8")
    (folder / "tables.md").write_text("\n".join(t.to_markdown() for t in found), "utf-8")
    (folder / "tables.tex").write_text("\n".join(t.to_latex() for t in found), "utf-8")
    if show:
        typer.echo("\n".join(t.to_markdown() for t in found))
    names = ", ".join(t.name for t in found) or "none (nothing to tabulate)"
    typer.echo(f"tables ({len(found)}): {names}")
    typer.echo(f"written to {folder}/ (NAME.md, NAME.tex, tables.md, tables.tex)")


def register(app: typer.Typer) -> None:
    """Add the ``tables`` command."""
    app.command("tables", help=_HELP)(tables)
