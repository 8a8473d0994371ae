"""``seccal report`` (the HTML report) and ``seccal repair`` (calibration-guided repair of a run)."""

from __future__ import annotations

from pathlib import Path

import typer

from seccal.errors import InputError

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


_REPAIR_HELP = """Calibration-guided repair of a run's low-confidence snippets.

Snippets whose security confidence is below --threshold go back to the same
model at the same temperature (variant 'confidence': the prompt gives the
model its own confidence; 'findings': the static analyzers' findings too).
The repaired code is re-judged with the study's label source and stored in
RUN/store.sqlite (table repairs, linked to the source generation). The same
model is then asked its security confidence in the repaired code with the
study's own elicitation prompt (stored as conf_after). Resumable: finished
repairs are never asked again; a repair without its confidence gets only the
confidence call. `seccal report RUN` then shows
vulnerable->secure fixes, correct->broken regressions and calibration after
repair, with task-bootstrap CIs.
"""


def repair(
    run_dir: Path = typer.Argument(..., help="Run folder of `seccal run`."),
    threshold: float = typer.Option(
        None,
        "--threshold",
        min=0.0,
        max=1.0,
        help="Repair snippets with confidence below this "
        "[default: the study's mitigations.repair_threshold, else 0.5].",
    ),
    variant: str = typer.Option(
        "confidence", "--variant", help="Repair prompt: confidence | findings."
    ),
    confidence: str = typer.Option(
        "conf_security_verbal", "--confidence", help="Confidence column that selects snippets."
    ),
) -> None:
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.mitigate.repair import REPAIR_VARIANTS
    from seccal.mitigate.repair_study import repair_run_dir

    if variant not in REPAIR_VARIANTS:
        raise InputError(f"--variant: {variant!r} is not one of {', '.join(REPAIR_VARIANTS)}")
    res = repair_run_dir(
        run_dir,
        threshold=threshold,
        variant=variant,  # type: ignore[arg-type]
        confidence=confidence,
    )
    typer.echo(
        f"repair ({variant}, confidence < {res.threshold:g}): {res.selected} selected, "
        f"{res.repaired_now} repaired now, {res.done_before} already repaired"
        + (f", {res.failed} model calls failed (asked again on the next run)" if res.failed else "")
        + f"; confidence asked for {res.rated_now} repairs"
        + (f" ({res.rated_unknown} unknown, reason stored)" if res.rated_unknown else "")
    )


def register(app: typer.Typer) -> None:
    """Add ``seccal report`` and ``seccal repair``."""
    app.command("report", help=_HELP)(report)
    app.command("repair", help=_REPAIR_HELP)(repair)
