"""Calibration-guided repair of a whole run: every model of the study, resumable.

For each model and sampling temperature of the run, the snippets whose security
confidence is below the threshold go back to that same model at that same temperature
through the model engine (with the run's response cache), are re-judged with the study's
label source, and are stored in the run store's ``repairs`` table linked to their source
generation. ``seccal report RUN`` then shows fixes, regressions and calibration after
repair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seccal.core.labels import LabelSource, check_label_source
from seccal.core.schema import STORE_FILENAME
from seccal.errors import InputError
from seccal.mitigate.repair import RepairVariant
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
    rate_repairs,
    run_repair,
)

CACHE_FILE = "responses.sqlite"


@dataclass(frozen=True)
class RepairRunResult:
    """Snippets selected, repaired now, found already repaired, and failed (retried later).

    ``rated_now``: repairs whose security confidence was asked in this run;
    ``rated_unknown``: of those, how many gave no confidence (reason stored).
    """

    threshold: float
    selected: int
    repaired_now: int
    done_before: int
    failed: int
    rated_now: int = 0
    rated_unknown: int = 0


def _default_rejudge(label_source: LabelSource) -> Rejudge:
    from seccal.judge import Judge, JudgeConfig

    return judge_rejudge(Judge(JudgeConfig()), label_source=label_source)


def repair_run_dir(
    run_dir: str | Path,
    *,
    threshold: float | None = None,
    variant: RepairVariant = "confidence",
    confidence: str = "conf_security_verbal",
    max_tokens: int = 1024,
    make_generator: Callable[[Any, float, str], Generator] | None = None,
    rejudge: Rejudge | None = None,
    make_confider: Callable[[Any, Any, ConfidenceSource], Confider] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RepairRunResult:
    """Repair the low-confidence snippets of a run folder.

    Parameters
    ----------
    run_dir : path
        Run folder of ``seccal run`` (``store.sqlite``).
    threshold, variant, confidence : float, str, str
        Snippets with ``confidence`` below ``threshold`` are repaired with ``variant``;
        the default threshold is the study's ``mitigations.repair_threshold`` (else 0.5).
    make_generator : callable, optional
        ``(ModelSpec, temperature, form) -> Generator``; default calls the model engine.
    rejudge : Rejudge, optional
        Default: :class:`seccal.judge.Judge` with the study's label source.
    make_confider : callable, optional
        ``(ModelSpec, ModelConfig, ConfidenceSource) -> Confider``; default asks the model
        through the engine with the study's own verbalized-confidence elicitation
        (:func:`~seccal.mitigate.repair_confidence.elicit_confider`). Every judged repair
        that has code and no confidence yet gets only this call, on every run until known.
    """
    d = Path(run_dir)
    if not (d / STORE_FILENAME).is_file():
        raise InputError(f"{d}: no {STORE_FILENAME}; is this a seccal run folder?")
    from seccal.core.config import ModelConfig
    from seccal.study.generate import COMPLETION_STOPS, model_spec
    from seccal.study.store import RunStore
    from seccal.study.table import results_table

    with RunStore(d / STORE_FILENAME) as store:
        config = store.get_meta("config", {}) or {}
        label_source = check_label_source(str(config.get("label_source", "dynamic")))
        if threshold is None:
            threshold = float((config.get("mitigations") or {}).get("repair_threshold", 0.5))
        variants = (config.get("elicit") or {}).get("variants") or ["zero_shot"]
        df = results_table(store, label_source=label_source, first_variant=variants[0])
        if df.empty:
            raise InputError(f"{d}: the run holds no generations to repair")
        if confidence not in df.columns:
            raise InputError(f"{d}: the run has no confidence column {confidence!r}")
        models = {m["name"]: ModelConfig(**m) for m in config.get("models", [])}
        elicit = config.get("elicit") or {}
        source = confidence_source(confidence, list(variants))
        judge = rejudge or _default_rejudge(label_source)
        selected = now = before = rated = unknown = 0
        with RepairStore(d / STORE_FILENAME) as repairs:
            done = repairs.done(variant)
            for (name, temp), part in df.groupby(["model", "temperature"], sort=True):
                mc = models.get(str(name))
                if mc is None:
                    raise InputError(f"{d}: model {name!r} is not in the stored study config")
                cands = candidates_from_store(
                    store, part, threshold=threshold, confidence=confidence
                )
                selected += len(cands)
                before += sum(c.gen_id in done for c in cands)
                spec = model_spec(mc)
                if make_generator is not None:
                    generate = make_generator(spec, float(str(temp)), mc.form)
                else:
                    stop = COMPLETION_STOPS if mc.form == "completion" else ()
                    generate = engine_generator(
                        spec,
                        temperature=float(str(temp)),
                        max_tokens=max_tokens,
                        cache=d / CACHE_FILE,
                        stop=stop,
                    )
                out = run_repair(
                    cands,
                    variant=variant,
                    threshold=threshold,
                    generate=generate,
                    rejudge=judge,
                    store=repairs,
                    form=mc.form,
                    on_progress=on_progress,
                )
                now += len(out)
                if make_confider is not None:
                    confide = make_confider(spec, mc, source)
                else:
                    confide = elicit_confider(spec, mc, elicit, source, cache=d / CACHE_FILE)
                got = rate_repairs(cands, variant=variant, confide=confide, store=repairs)
                rated += len(got)
                unknown += sum(v is None for v, _ in got.values())
    return RepairRunResult(
        threshold=threshold,
        selected=selected,
        repaired_now=now,
        done_before=before,
        failed=selected - now - before,
        rated_now=rated,
        rated_unknown=unknown,
    )
