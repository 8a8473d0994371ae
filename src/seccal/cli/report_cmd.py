"""``seccal report``: the HTML report of a run, bundle or export."""

from __future__ import annotations

from pathlib import Path

import typer

_HELP = """Write the HTML report of a study.

SOURCE is a run folder (store.sqlite from `seccal run`), a replication bundle
(folder with bundle.json from `seccal export RUN --bundle`) or an export file
(.csv/.tsv/.jsonl/.parquet from `seccal export`; pass the study with --config).

Writes OUT/report.html (self-contained: figures inline, opens offline),
OUT/figures/*.png|svg, OUT/tables/*.md|tex (for papers) and OUT/metrics.json,
the document every number shown comes from (docs/metrics-schema.md). A run
folder's report renders RUN/metrics.json (analysed again first only when the
store changed since, e.g. after `seccal repair`); a bundle or export table is
analysed by the same function first.

Labels: secure = 1 when the snippet passes its security checks (which checks
count is the study's label source, printed in the report); correct = 1 when it
passes its functional tests; a check that could not run is unknown, never 0 or
1. ECE = sum_b (n_b/N)|acc_b - conf_b|; Brier = mean (c - y)^2; False Trust =
P(c >= tau | vulnerable); gap = mean(c) - mean(y); CIs resample tasks.
"""


def report(
    source: Path = typer.Argument(..., help="Run folder, replication bundle or export file."),
    out: Path = typer.Option(
        None, "--out", "-o", help="Output folder [default: SOURCE/report or SOURCE.report]."
    ),
    config: Path = typer.Option(
        None, "--config", help="Study config (TOML or JSON) for an export file."
    ),
    n_boot: int = typer.Option(
        None, "--n-boot", min=0, help="Bootstrap resamples [default: the study's analysis.n_boot]."
    ),
    title: str = typer.Option(None, "--title", help="Report title."),
) -> None:
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.report import build_report

    html = build_report(source, out, config_path=config, n_boot=n_boot, title=title)
    typer.echo(f"report: {html}")


def register(app: typer.Typer) -> None:
    """Add ``seccal report``."""
    app.command("report", help=_HELP)(report)
