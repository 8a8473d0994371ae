"""``seccal run``: plan, generate, elicit, judge, analyze and report a study (resumable)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from seccal.cli.console import wide_console

_HELP = """Run a study end to end: generate -> elicit -> judge -> repair -> analyze -> report.

With no STUDY file, runs the embedded default study: a local instruction-tuned
code model (Qwen2.5-Coder, GGUF on the CPU) on the built-in tasks at two
temperatures; see `seccal models local` for the models it can use.

Every stage stores its records in RUN_DIR/store.sqlite before the next reads
them: kill the run at any moment and run the same command again to resume;
nothing is lost, duplicated or paid twice.

Labels: secure = 1 when the snippet passes its security checks (which checks
count is the study's label_source: dynamic tests, static analysis, or both);
correct = 1 when it passes its functional tests; a check that could not run is
unknown, never 0 or 1. static: vulnerable when an analyzer finding at or above
medium severity has one of the task's CWEs or a close relative ([judge] analyzers,
plus any [judge] sarif files). both: secure only when the exploit tests pass AND
the scan is clean, vulnerable when both ran and either found a weakness, unknown
when either could not run (symmetric: an unknown exploit is unknown with a
finding or without one). `seccal tasks static-quality SUITE` measures the
static label's precision and recall per CWE. Confidence c in [0,1] is the model's probability that
the label is 1. ECE = sum_b (n_b/N)|acc_b - conf_b|; Brier = mean (c - y)^2;
False Trust = P(c >= tau | vulnerable); gap = mean(c) - mean(y).
"""


def _print_plan(console: Console, plan: object) -> None:
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.models.pricing import PriceTable
    from seccal.models.response import Usage
    from seccal.study.estimate import PAID_STAGES, REPAIR_SHARE, estimate_calls
    from seccal.study.plan import Plan

    assert isinstance(plan, Plan)
    prices = PriceTable.load()

    def price(provider: str, model: str, tin: int, tout: int) -> float | None:
        return prices.cost(provider, model, Usage(input_tokens=tin, output_tokens=tout))

    config = plan.config
    console.print(f"[bold]Study[/] {config.name}  (label source: {config.label_source})")
    console.print(
        f"models: {', '.join(m.name for m in config.models)}  temperatures: "
        f"{', '.join(f'{t:g}' for t in config.temperatures)}"
    )
    suites = Table("suite", "tasks", "samples/task", "note")
    for s in plan.suites:
        note = "assumed (suite not loadable here)" if s.assumed_tasks is not None else ""
        suites.add_row(s.config.label, str(s.n_tasks), str(s.samples), note)
    console.print(suites)
    gen = config.generate
    variants = Table("generation variant", "samples/task", "snippets")
    for v in gen.variants:
        per_task = "/".join(str(gen.samples_for(v, s.samples)) for s in plan.suites)
        variants.add_row(v, per_task, f"{plan.n_generations(v):,}")
    console.print(variants)
    e = config.elicit
    console.print(
        f"elicit: {', '.join(e.methods)}; targets {', '.join(e.targets)}; "
        f"prompt variants {', '.join(e.variants)}"
    )
    m = config.mitigations
    console.print(
        "gates: "
        + (", ".join(m.gates) if m.gates is not None else "the standard gates")
        + "  repair: "
        + (
            "off"
            if m.repair is None
            else f"{', '.join(m.repair.variants)} x {m.repair.rounds} round(s), "
            f"{m.repair.confidence} < {m.repair.threshold:g}"
        )
    )
    table = Table("model", "stage", "calls", "input tokens", "output tokens", "est. cost")
    estimates = estimate_calls(plan, price)
    total_cost = 0.0
    unpriced = False
    stage_cost = dict.fromkeys(PAID_STAGES, 0.0)
    for est in estimates:
        for stage, st in est.stages.items():
            cost = "no price" if st.cost_usd is None else f"${st.cost_usd:,.2f}"
            unpriced |= st.cost_usd is None
            total_cost += st.cost_usd or 0.0
            stage_cost[stage] += st.cost_usd or 0.0
            table.add_row(
                est.model,
                stage,
                f"{st.calls:,}",
                f"{st.input_tokens:,}",
                f"{st.output_tokens:,}",
                cost,
            )
    console.print(table)
    n_calls = sum(est.calls for est in estimates)
    per_stage = ", ".join(
        f"{k} ${v:,.2f}" for k, v in stage_cost.items() if k in _stages_of(estimates)
    )
    console.print(
        f"[bold]total:[/] {plan.n_generations():,} snippets, {n_calls:,} model calls, "
        f"estimated cost ${total_cost:,.2f}"
        + (" (+ unpriced models)" if unpriced else "")
        + f" ({per_stage})"
    )
    console.print(
        "[dim]estimate: tokens ~ characters/4; ~350 output tokens per generation; "
        f"repair assumes {REPAIR_SHARE:.0%} of snippets below its threshold; "
        "prices from the models price table (override with $SECCAL_PRICES)[/]"
    )


def _stages_of(estimates: list[Any]) -> set[str]:
    """Stages that any model's estimate has."""
    return {stage for est in estimates for stage in est.stages}


def run(
    study: Path = typer.Argument(
        None, help="Study TOML file; omit for the embedded default study.", show_default=False
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the plan, number of calls and estimated cost; run nothing."
    ),
    run_dir: Path = typer.Option(
        None, "--run-dir", help="Run folder (default: OUTPUT_DIR/STUDY_NAME from the study)."
    ),
    stages: str = typer.Option(
        "generate,elicit,judge,repair,analyze,report",
        "--stages",
        help="Comma-separated subset of stages to run.",
    ),
    no_progress: bool = typer.Option(False, "--no-progress", help="Do not draw progress bars."),
    ray: str = typer.Option(
        None,
        "--ray",
        help=(
            "Run model calls and judging on a Ray cluster: auto (the cluster this "
            "machine joined) or the head's HOST:PORT. This process stays the only "
            "store writer (see docs/ray.md)."
        ),
        metavar="auto|ADDRESS",
    ),
) -> None:
    # lazy: every command module is imported for `seccal --help`; keep start-up fast
    from seccal.study import default_study, load_study
    from seccal.study.plan import build_plan

    console = Console(stderr=True)
    out = wide_console()
    config = default_study() if study is None else load_study(study)
    base_dir = study.resolve().parent if study is not None else None
    if dry_run:
        from seccal.errors import ConfigError
        from seccal.study.runner import check_models

        plan = build_plan(config, allow_unknown_suites=True, base_dir=base_dir)
        for warning in plan.warnings:
            console.print(f"[yellow]warning:[/] {warning}")
        try:
            check_models(config)
        except ConfigError as exc:  # a plan is still worth seeing; a run would stop here
            console.print(f"[yellow]warning:[/] {exc}")
        _print_plan(out, plan)
        return
    from seccal.study.runner import run_study

    chosen = [s.strip() for s in stages.split(",") if s.strip()]
    with ExitStack() as stack:
        executor = None
        if ray is not None:
            from seccal.distributed import RayExecutor

            executor = stack.enter_context(RayExecutor(ray))
        outcome = run_study(
            config,
            run_dir=run_dir,
            base_dir=base_dir,
            stages=chosen,
            progress=not no_progress,
            console=console,
            executor=executor,
        )
    for warning in outcome.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    for name, result in outcome.stages.items():
        out.print(
            f"{name}: {result.stored} new, {result.done_before} already done"
            + (f", {result.failed} failed (retried on the next run)" if result.failed else "")
        )
    if outcome.stop_reason:
        console.print(f"[yellow]stopped:[/] {outcome.stop_reason}")
    if outcome.metrics_path is not None and outcome.metrics_path.is_file():
        from seccal.analysis import read_metrics
        from seccal.study.analyze import store_metric_rows
        from seccal.study.finding import finding_lines

        doc = read_metrics(outcome.metrics_path)
        lines = [*doc["findings"], *finding_lines(store_metric_rows(doc), config.analysis.tau)]
        for line in lines:
            out.print(line.replace("**", ""), markup=False, highlight=False)
    out.print(f"run folder: {outcome.run_dir}")
    for label, path in (
        ("summary", outcome.summary_path),
        ("metrics", outcome.metrics_path),
        ("report", outcome.report_path),
    ):
        if path is not None:
            out.print(f"{label}: {path}")


def register(app: typer.Typer) -> None:
    """Add ``seccal run``."""
    app.command("run", help=_HELP, no_args_is_help=False)(run)
