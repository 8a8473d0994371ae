"""Calibration-guided repair of a whole run: every model of the study, resumable.

For each model and sampling temperature of the run, the snippets whose security
confidence is below the threshold go back to that same model at that same temperature
through the model engine (with the run's response cache), are re-judged with the study's
own judge settings and label source, and are stored in the run store's ``repairs`` table
linked to their source generation; then the model's confidence in each repaired code is
asked with the study's own elicitation. With ``rounds > 1``, round ``r`` repairs the
round ``r - 1`` code still rated below the threshold. The study runner calls
:func:`repair_stage` after judging (``[mitigations.repair]``); ``seccal repair RUN``
calls :func:`repair_run_dir`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from seccal.core.config import JudgeSettings, ModelConfig
from seccal.core.config_mitigations import RepairConfig, RepairVariant
from seccal.core.labels import LabelSource, check_label_source
from seccal.core.schema import STORE_FILENAME
from seccal.errors import InputError
from seccal.judge import Judge
from seccal.judge.config import study_judge_config
from seccal.mitigate.repair_confidence import (
    ConfidenceSource,
    confidence_source,
    elicit_confider,
)
from seccal.mitigate.repair_run import (
    Confider,
    Generator,
    Rejudge,
    RepairStore,
    candidates_from_store,
    engine_generator,
    judge_rejudge,
    next_round,
    rate_repairs,
    run_repair,
)
from seccal.models.engine_loop import EngineLoop
from seccal.study.gen_prompts import COMPLETION_STOPS
from seccal.study.generate import model_spec
from seccal.study.store import RunStore
from seccal.study.table import results_table

CACHE_FILE = "responses.sqlite"


@dataclass(frozen=True)
class RepairRunResult:
    """Snippets selected, repaired now, found already repaired, and failed (retried later).

    Counts add up over variants and rounds. ``rated_now``: repairs whose security
    confidence was asked in this run; ``rated_unknown``: of those, how many gave none.
    """

    threshold: float
    selected: int
    repaired_now: int
    done_before: int
    failed: int
    rated_now: int = 0
    rated_unknown: int = 0


@dataclass(frozen=True)
class RepairSetup:
    """What repair needs of a study: its models, label source, judge and elicitation."""

    models: Mapping[str, ModelConfig]
    label_source: LabelSource
    judge: JudgeSettings
    elicit: Mapping[str, Any]
    elicit_variants: tuple[str, ...]
    repair: RepairConfig


def setup_from_stored(config: Mapping[str, Any]) -> RepairSetup:
    """The :class:`RepairSetup` of a study config as a run stores it (``StudyConfig.to_dict``).

    Stores made before ``[mitigations.repair]`` existed may carry ``repair_threshold``.
    """
    elicit = dict(config.get("elicit") or {})
    judge = dict(config.get("judge") or {})
    mitigations = dict(config.get("mitigations") or {})
    raw = dict(mitigations.get("repair") or {})
    if "repair_threshold" in mitigations and "threshold" not in raw:
        raw["threshold"] = float(mitigations["repair_threshold"])
    raw = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    models = {}
    for m in config.get("models", []):
        mc = ModelConfig(**m)
        models[mc.name] = mc
    return RepairSetup(
        models=models,
        label_source=check_label_source(str(config.get("label_source", "dynamic"))),
        judge=JudgeSettings(
            batch_size=int(judge.get("batch_size", JudgeSettings().batch_size)),
            analyzers=tuple(judge.get("analyzers", JudgeSettings().analyzers)),
        ),
        elicit=elicit,
        elicit_variants=tuple(elicit.get("variants") or ("zero_shot",)),
        repair=RepairConfig(**raw),
    )


def repair_stage(
    store: RunStore,
    run_dir: Path,
    setup: RepairSetup,
    *,
    make_generator: Callable[[Any, float, str], Generator] | None = None,
    rejudge: Rejudge | None = None,
    make_confider: Callable[[Any, Any, ConfidenceSource], Confider] | None = None,
    budget: Callable[[], float | None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RepairRunResult:
    """Repair (every variant and round of ``setup.repair``) the run in ``store``.

    Parameters
    ----------
    make_generator : callable, optional
        ``(ModelSpec, temperature, form) -> Generator``; default calls the model engine.
    rejudge : Rejudge, optional
        Default: :class:`seccal.judge.Judge` with the study's judge settings and label source.
    make_confider : callable, optional
        ``(ModelSpec, ModelConfig, ConfidenceSource) -> Confider``; default asks the model
        with the study's own verbalized-confidence elicitation.
    budget : callable, optional
        Dollars left for model calls (None: no limit), asked when the stage starts.
    """
    cfg = setup.repair
    df = results_table(
        store, label_source=setup.label_source, first_variant=setup.elicit_variants[0]
    )
    if df.empty:
        raise InputError(f"{run_dir}: the run holds no generations to repair")
    if cfg.confidence not in df.columns:
        raise InputError(f"{run_dir}: the run has no confidence column {cfg.confidence!r}")
    source = confidence_source(cfg.confidence, list(setup.elicit_variants))
    judge = rejudge or judge_rejudge(
        Judge(study_judge_config(setup.judge)), label_source=setup.label_source
    )
    cache = run_dir / CACHE_FILE
    selected = now = before = rated = unknown = 0
    limit = None if budget is None else budget()
    # One engine for the stage: providers are made once, not per batch.
    with RepairStore(store.path) as repairs, EngineLoop(cache=cache, cost_limit_usd=limit) as loop:
        for (name, temp), part in df.groupby(["model", "temperature"], sort=True):
            mc = setup.models.get(str(name))
            if mc is None:
                raise InputError(f"{run_dir}: model {name!r} is not in the stored study config")
            spec = model_spec(mc)
            temperature = float(str(temp))
            if make_generator is not None:
                generate = make_generator(spec, temperature, mc.form)
            else:
                generate = engine_generator(
                    spec,
                    temperature=temperature,
                    max_tokens=cfg.max_tokens,
                    cache=cache,
                    stop=COMPLETION_STOPS if mc.form == "completion" else (),
                    engine=loop,
                )
            if make_confider is not None:
                confide = make_confider(spec, mc, source)
            else:
                confide = elicit_confider(spec, mc, setup.elicit, source, engine=loop)
            first = candidates_from_store(
                store, part, threshold=cfg.threshold, confidence=cfg.confidence
            )
            for variant in cfg.variants:
                cands = first
                for rnd in range(1, cfg.rounds + 1):
                    if rnd > 1:
                        cands = next_round(
                            cands, repairs, variant=variant, round=rnd - 1, threshold=cfg.threshold
                        )
                    done = repairs.done(variant, rnd)
                    selected += len(cands)
                    before += sum(c.gen_id in done for c in cands)
                    out = run_repair(
                        cands,
                        variant=variant,
                        threshold=cfg.threshold,
                        generate=generate,
                        rejudge=judge,
                        store=repairs,
                        form=mc.form,
                        on_progress=on_progress,
                        round=rnd,
                    )
                    now += len(out)
                    got = rate_repairs(
                        cands, variant=variant, confide=confide, store=repairs, round=rnd
                    )
                    rated += len(got)
                    unknown += sum(v is None for v, _ in got.values())
    return RepairRunResult(
        threshold=cfg.threshold,
        selected=selected,
        repaired_now=now,
        done_before=before,
        failed=selected - now - before,
        rated_now=rated,
        rated_unknown=unknown,
    )


def repair_run_dir(
    run_dir: str | Path,
    *,
    threshold: float | None = None,
    variant: RepairVariant | None = None,
    confidence: str | None = None,
    rounds: int | None = None,
    max_tokens: int | None = None,
    make_generator: Callable[[Any, float, str], Generator] | None = None,
    rejudge: Rejudge | None = None,
    make_confider: Callable[[Any, Any, ConfidenceSource], Confider] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RepairRunResult:
    """Repair the low-confidence snippets of a run folder (``seccal repair RUN``).

    Settings not given come from the study's ``[mitigations.repair]`` (stored with the
    run), else the defaults of :class:`~seccal.core.config_mitigations.RepairConfig`;
    ``variant`` restricts the run to one repair variant. The judge is built from the
    study's own ``[judge]`` settings.
    """
    d = Path(run_dir)
    if not (d / STORE_FILENAME).is_file():
        raise InputError(f"{d}: no {STORE_FILENAME}; is this a seccal run folder?")
    with RunStore(d / STORE_FILENAME) as store:
        setup = setup_from_stored(store.get_meta("config", {}) or {})
        overrides: dict[str, Any] = {
            "threshold": threshold,
            "variants": None if variant is None else (variant,),
            "confidence": confidence,
            "rounds": rounds,
            "max_tokens": max_tokens,
        }
        repair = replace(setup.repair, **{k: v for k, v in overrides.items() if v is not None})
        return repair_stage(
            store,
            d,
            replace(setup, repair=repair),
            make_generator=make_generator,
            rejudge=rejudge,
            make_confider=make_confider,
            on_progress=on_progress,
        )
