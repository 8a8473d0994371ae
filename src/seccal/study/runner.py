"""Run a study end to end: generate → elicit → judge → repair → analyze → report, resumably.

The repair stage runs when the study has ``[mitigations.repair]``.

Each stage reads what the previous one stored and writes its own records
before the next starts. Re-running the same study in the same run folder
skips everything the store holds; calls answered but not yet stored when a
run was killed come back from the response cache (``responses.sqlite``), so
nothing is paid twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rich.console import Console

from seccal.analysis import METRICS_FILENAME
from seccal.core.config import StudyConfig
from seccal.core.schema import STORE_FILENAME
from seccal.distributed.base import Executor
from seccal.errors import SeccalError
from seccal.judge.config import study_judge_options
from seccal.mitigate.repair_study import RepairSetup, repair_stage
from seccal.models.registry import validate_spec
from seccal.report import write_report
from seccal.study.analyze import analyze_run
from seccal.study.elicit_stage import run_elicit
from seccal.study.generate import StageResult, model_spec, run_generate
from seccal.study.judge_stage import JudgeMany, JudgeStream, default_judge, run_judge
from seccal.study.plan import Plan, build_plan
from seccal.study.progress import StageProgress
from seccal.study.store import RunStore
from seccal.study.summary import markdown_summary

log = logging.getLogger(__name__)

STAGES = ("generate", "elicit", "judge", "repair", "analyze", "report")
CACHE_FILE = "responses.sqlite"
# Key variables providers read by default; their values are redacted from the store too.
_DEFAULT_KEY_ENVS = (
    "OPENAI_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "ANTHROPIC_API_KEY",
    "DASHSCOPE_API_KEY",
    "OPENROUTER_API_KEY",
)


@dataclass(slots=True)
class RunOutcome:
    """What a run did."""

    run_dir: Path
    stages: dict[str, StageResult] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stop_reason: str | None = None
    metrics_path: Path | None = None
    summary_path: Path | None = None
    report_path: Path | None = None


def secret_values(config: StudyConfig) -> list[str]:
    """Values of every API-key variable the study may read (to keep them out of the store)."""
    names = {m.api_key_env for m in config.models if m.api_key_env} | set(_DEFAULT_KEY_ENVS)
    return [os.environ[n] for n in sorted(names) if os.environ.get(n)]


def check_models(config: StudyConfig) -> None:
    """Check every model that can be checked without a call (local model files).

    Raises
    ------
    ConfigError
        Naming the model: e.g. a GGUF file that is missing, corrupt or not installed.
    """
    for model in config.models:
        validate_spec(model_spec(model))


def _check_config(store: RunStore, config: StudyConfig, warnings: list[str]) -> None:
    stored = store.get_meta("config_digest")
    if stored is None:
        store.set_meta("config", config.to_dict())
        store.set_meta("config_digest", config.digest)
        return
    if stored != config.digest:
        # Records are keyed by model, temperature, task and sample: new
        # conditions are added, finished ones kept. Say so loudly.
        warnings.append(
            "the study config changed since this run folder was created; finished records "
            "are kept and only missing ones are produced"
        )
        history = store.get_meta("config_history", [])
        store.set_meta("config_history", [*history, config.to_dict()])
        store.set_meta("config_digest", config.digest)


async def _model_stages(
    plan: Plan,
    store: RunStore,
    run_dir: Path,
    stages: Sequence[str],
    bars: StageProgress,
    outcome: RunOutcome,
    executor: Executor | None = None,
) -> None:
    from seccal.models import Engine, create_provider

    config = plan.config
    limit = config.cost_limit_usd
    remaining = None if limit is None else max(0.0, limit - store.spent_usd())
    # With an executor the engine stays here (cache, limits, cost) and only each
    # provider attempt runs where the executor puts it.
    factory = create_provider if executor is None else executor.provider_factory
    engine = Engine(cache=run_dir / CACHE_FILE, cost_limit_usd=remaining, provider_factory=factory)
    try:
        if "generate" in stages:
            items = plan.items()
            bars.stage("generate", len(items))
            done = len(store.generation_ids() & {i.gen_id for i in items})
            bars.advance("generate", done)
            outcome.stages["generate"] = await run_generate(
                items,
                config=config,
                store=store,
                engine=engine,
                on_progress=lambda n, c: bars.advance("generate", n, c),
            )
        if "elicit" in stages:
            bars.stage("elicit")
            outcome.stages["elicit"] = await run_elicit(
                config=config,
                store=store,
                engine=engine,
                on_total=lambda n: bars.total("elicit", n),
                on_progress=lambda n, c: bars.advance("elicit", n, c),
            )
        outcome.stop_reason = engine.stop_reason
    finally:
        await engine.aclose()


def _repair(
    store: RunStore, run_dir: Path, config: StudyConfig, bars: StageProgress
) -> StageResult:
    repair = config.mitigations.repair
    assert repair is not None
    setup = RepairSetup(
        models={m.name: m for m in config.models},
        label_source=config.label_source,
        judge=config.judge,
        elicit=config.to_dict()["elicit"],
        elicit_variants=config.elicit.variants,
        repair=repair,
    )
    limit = config.cost_limit_usd
    bars.stage("repair")
    spent_before = store.spent_usd()

    def budget() -> float | None:
        return None if limit is None else max(0.0, limit - store.spent_usd())

    res = repair_stage(
        store, run_dir, setup, budget=budget, on_progress=lambda n: bars.advance("repair", n)
    )
    return StageResult(
        done_before=res.done_before,
        stored=res.repaired_now,
        failed=res.failed,
        cost_usd=store.spent_usd() - spent_before,
    )


def run_study(
    config: StudyConfig,
    *,
    run_dir: Path | None = None,
    base_dir: Path | None = None,
    stages: Sequence[str] = STAGES,
    progress: bool = True,
    console: Console | None = None,
    judge_many: JudgeMany | None = None,
    on_stage: Callable[[str], None] | None = None,
    executor: Executor | None = None,
) -> RunOutcome:
    """Run (or resume) a study.

    Parameters
    ----------
    config:
        The study.
    run_dir:
        Run folder (default ``config.run_dir()``); holds ``store.sqlite``,
        ``responses.sqlite``, ``metrics.json`` and ``summary.md``.
    base_dir:
        Folder relative ``tasks_file`` paths are resolved against.
    stages:
        Subset of :data:`STAGES` to run (in pipeline order).
    progress:
        Draw progress bars.
    judge_many:
        Judge function (default: :class:`seccal.judge.Judge`).
    on_stage:
        Called with each stage's name as it starts.
    executor:
        Where model calls and judging run (e.g. a
        :class:`~seccal.distributed.RayExecutor`); default this process. This
        process stays the only writer of the store and the response cache.

    Returns
    -------
    RunOutcome
        Counts and per-stage results.
    """
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        from seccal.errors import ConfigError

        raise ConfigError(f"unknown stage {unknown[0]!r}; stages: {', '.join(STAGES)}")
    plan = build_plan(config, base_dir=base_dir)
    check_models(config)
    run_dir = run_dir or config.run_dir()
    outcome = RunOutcome(run_dir=run_dir, warnings=list(plan.warnings))
    with RunStore(run_dir / STORE_FILENAME, redact=secret_values(config)) as store:
        _check_config(store, config, outcome.warnings)
        store.put_tasks(plan.tasks)
        with StageProgress(console, enabled=progress, spent_before=store.spent_usd()) as bars:
            if "generate" in stages or "elicit" in stages:
                if on_stage is not None:
                    on_stage("generate")
                asyncio.run(_model_stages(plan, store, run_dir, stages, bars, outcome, executor))
            if "judge" in stages:
                if on_stage is not None:
                    on_stage("judge")
                bars.stage("judge")
                stream: JudgeStream | None = None
                if executor is not None and judge_many is None:
                    options = study_judge_options(config.judge)
                    stream = partial(executor.judge_stream, options=options)
                elif judge_many is None:
                    stream = default_judge(config.judge)
                outcome.stages["judge"] = run_judge(
                    store=store,
                    judge_many=judge_many,
                    batch_size=config.judge.batch_size,
                    on_total=lambda n: bars.total("judge", n),
                    on_progress=lambda n, c: bars.advance("judge", n, c),
                    judge_stream=stream,
                    sarif=config.judge.sarif,
                )
                if stream is not None and executor is not None:
                    # Snippets whose workers kept dying: left for the next run.
                    outcome.stages["judge"].failed += executor.failed
            if "repair" in stages and config.mitigations.repair is not None:
                if on_stage is not None:
                    on_stage("repair")
                outcome.stages["repair"] = _repair(store, run_dir, config, bars)
        if "analyze" in stages or "report" in stages:
            if on_stage is not None:
                on_stage("analyze")
            try:
                doc = analyze_run(run_dir, config.to_dict())
            except SeccalError as exc:
                # Nothing to analyse yet (e.g. no generation after a cost stop): no failure.
                doc = None
                outcome.warnings.append(f"metrics not written: {exc}")
            else:
                outcome.metrics_path = run_dir / METRICS_FILENAME
            if "report" in stages and doc is not None:
                outcome.summary_path = run_dir / "summary.md"
                outcome.summary_path.write_text(markdown_summary(doc), encoding="utf-8")
                try:
                    outcome.report_path = write_report(run_dir, doc)
                except SeccalError as exc:
                    # Everything is stored and summarized; a report that cannot be
                    # built yet (e.g. no confidences after a cost stop) is no failure.
                    outcome.warnings.append(f"HTML report not written: {exc}")
        outcome.counts = store.counts()
    return outcome
