"""``seccal repair``: calibration-guided repair of a run's low-confidence snippets."""

from __future__ import annotations

from pathlib import Path

import typer

from seccal.core.config_mitigations import REPAIR_VARIANTS
from seccal.errors import InputError

_HELP = """Calibration-guided repair of a run's low-confidence snippets.

A study with a mitigations.repair table runs this as its repair stage (after judge);
this command repairs any run folder, with the study's settings unless overridden.

Snippets whose security confidence (--confidence) is below --threshold go back
to the same model at the same temperature (variant 'confidence': the prompt
gives the model its own confidence; 'findings': the static analyzers' findings
too). The repaired code is re-judged with the study's own judge settings and
label source and stored in RUN/store.sqlite (table repairs, linked to the
source generation, with the call's cost and tokens). The same model is then
asked its security confidence in the repaired code with the study's own
elicitation prompt (stored as conf_after). With --rounds N, round r repairs
round r-1's code still rated below the threshold. Resumable: finished repairs
are never asked again; a repair without its confidence gets only the
confidence call. `seccal report RUN` then shows vulnerable->secure fixes,
correct->broken regressions and calibration after repair, with task-bootstrap
CIs.
"""


def repair(
    run_dir: Path = typer.Argument(..., help="Run folder of `seccal run`."),
    threshold: float = typer.Option(
        None,
        "--threshold",
        min=0.0,
        max=1.0,
        help="Repair snippets with confidence below this "
        "[default: the study's mitigations.repair.threshold, else 0.5].",
    ),
    variant: str = typer.Option(
        None,
        "--variant",
        help="Repair prompt: confidence | findings [default: the study's variants, "
        "else confidence].",
    ),
    confidence: str = typer.Option(
        None,
        "--confidence",
        help="Confidence column that selects snippets [default: the study's, "
        "else conf_security_verbal].",
    ),
    rounds: int = typer.Option(
        None, "--rounds", min=1, help="Repair rounds [default: the study's, else 1]."
    ),
) -> None:
    from seccal.mitigate.repair_study import repair_run_dir

    if variant is not None and variant not in REPAIR_VARIANTS:
        raise InputError(f"--variant: {variant!r} is not one of {', '.join(REPAIR_VARIANTS)}")
    res = repair_run_dir(
        run_dir,
        threshold=threshold,
        variant=variant,  # type: ignore[arg-type]
        confidence=confidence,
        rounds=rounds,
    )
    typer.echo(
        f"repair (confidence < {res.threshold:g}): {res.selected} selected, "
        f"{res.repaired_now} repaired now, {res.done_before} already repaired"
        + (f", {res.failed} model calls failed (asked again on the next run)" if res.failed else "")
        + f"; confidence asked for {res.rated_now} repairs"
        + (f" ({res.rated_unknown} unknown, reason stored)" if res.rated_unknown else "")
    )


def register(app: typer.Typer) -> None:
    """Add ``seccal repair``."""
    app.command("repair", help=_HELP)(repair)
