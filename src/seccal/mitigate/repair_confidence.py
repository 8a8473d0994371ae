"""The model's security confidence in its repaired code, asked as the study asked it.

The confidence before repair came from the study's elicit stage (verbalized security
confidence, one prompt variant, chat or completion form). For "calibration after repair"
to compare like with like, the repaired code is rated with exactly that request:
:func:`elicit_confider` builds it with :func:`seccal.study.elicit_calls.verbal_elicitation`
and reads the answer with that elicitation's own parser.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from seccal.core.task import Task
from seccal.errors import InputError
from seccal.mitigate.repair_run import Confider
from seccal.mitigate.repair_store import RETRY_PREFIX
from seccal.models.engine_loop import EngineLoop


@dataclass(frozen=True)
class ConfidenceSource:
    """Which elicitation produced a confidence column: ``target`` and prompt ``variant``."""

    target: str  # "security" (method verbal) or "joint" (method verbal_joint)
    variant: str


def confidence_source(column: str, variants: Sequence[str]) -> ConfidenceSource:
    """The verbalized elicitation behind a results-table confidence column.

    ``conf_security_verbal`` / ``conf_security_joint`` are the study's first prompt
    variant; ``conf_security_verbal_<variant>`` names its variant.

    Examples
    --------
    >>> confidence_source("conf_security_verbal_few_shot", ["zero_shot", "few_shot"])
    ConfidenceSource(target='security', variant='few_shot')
    >>> confidence_source("conf_security_joint", ["cot"]).target
    'joint'
    """
    for stem, target in (("conf_security_verbal", "security"), ("conf_security_joint", "joint")):
        if column == stem:
            if not variants:
                raise InputError(f"repair: the study lists no prompt variant for {column!r}")
            return ConfidenceSource(target, str(variants[0]))
        if column.startswith(stem + "_"):
            return ConfidenceSource(target, column.removeprefix(stem + "_"))
    raise InputError(
        f"repair: confidence {column!r} is not a verbalized security confidence; "
        "only those can be asked again about repaired code"
    )


def _study_config(model: Any, elicit: Mapping[str, Any]) -> Any:
    from seccal.core.config import ElicitConfig, StudyConfig

    known = {f.name for f in fields(ElicitConfig)}
    # The stored config is JSON (lists); the elicitation reads only scalars and tuples.
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in elicit.items() if k in known
    }
    return StudyConfig(
        name="repair",
        output_dir="",
        temperatures=(),
        samples=1,
        label_source="dynamic",
        max_tokens=1,
        models=(model,),
        suites=(),
        elicit=ElicitConfig(**values),
    )


def elicit_confider(
    spec: Any,
    model: Any,
    elicit: Mapping[str, Any],
    source: ConfidenceSource,
    *,
    cache: str | Path | None = None,
    engine: EngineLoop | None = None,
) -> Confider:
    """A :class:`~seccal.mitigate.repair_run.Confider` asking ``spec`` as the study did.

    Parameters
    ----------
    spec : ModelSpec
        The model that wrote (and repaired) the code.
    model : ModelConfig
        Its study entry (``form`` picks the chat or completion prompt).
    elicit : mapping
        The study's stored ``elicit`` settings (temperature, token limits).
    source : ConfidenceSource
        Target and prompt variant of the confidence used before repair.
    cache : path, optional
        The run's response cache: a repeated request is free.
    engine : EngineLoop, optional
        A stage's shared engine (then ``cache`` is the engine's own).
    """
    from seccal.models import Engine, Job
    from seccal.study.elicit_calls import verbal_elicitation
    from seccal.study.generate import PERMANENT_ERRORS
    from seccal.study.store import GenerationRecord

    config = _study_config(model, elicit)

    def confide(items: Sequence[tuple[str, Task, str]]) -> list[tuple[Any, ...]]:
        calls = []
        for gen_id, task, code in items:
            gen = GenerationRecord(
                gen_id=f"repair:{gen_id}",
                model=model.name,
                provider=spec.provider,
                model_id=spec.model,
                temperature=0.0,
                sample=0,
                suite=task.suite,
                task_key=task.key,
                code=code,
            )
            calls.append(
                verbal_elicitation(gen, task, model, config, source.target, source.variant)
            )
        jobs = [
            Job(spec, req, tag=(i, k))
            for i, c in enumerate(calls)
            for k, req in enumerate(c.requests)
        ]
        if engine is not None:
            responses = engine.run(jobs)
        else:
            responses = Engine(cache=cache).run_sync(jobs) if jobs else []
        answers: dict[int, list[Any]] = {}
        for job, r in zip(jobs, responses, strict=True):
            answers.setdefault(job.tag[0], []).append(r)
        out: list[tuple[Any, ...]] = []
        for i, c in enumerate(calls):
            rs = answers[i]
            paid = (
                sum(r.cost_usd or 0.0 for r in rs),
                sum(r.usage.input_tokens or 0 for r in rs),
                sum(r.usage.output_tokens or 0 for r in rs),
            )
            errors = [r.error for r in rs if r.error is not None]
            if any(e.kind not in PERMANENT_ERRORS for e in errors):
                e = next(e for e in errors if e.kind not in PERMANENT_ERRORS)
                out.append((None, f"{RETRY_PREFIX}: {e.kind}: {e.message}", *paid))
                continue
            rec = next(r for r in c.finish(rs) if r.target == "security")
            if rec.value is None:
                why = rec.reason or "unparseable confidence"
                # A permanent error is final: not retried, unlike RETRY_PREFIX reasons.
                out.append((None, why.replace(RETRY_PREFIX, "permanent error", 1), *paid))
            else:
                out.append((float(rec.value), "", *paid))
        return out

    return confide
