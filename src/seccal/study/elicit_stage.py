"""The elicit stage: ask each model how confident it is in each of its snippets.

One *elicitation* is (generation, method, variant); it needs one or more calls
(self-consistency asks k times; a base model's joint confidence is two
prompts) and yields one confidence per target. Its records are written in one
transaction when its last call returns, so a killed run never stores half an
elicitation; the calls already answered come back from the response cache.

Methods
-------
``verbal``       stated confidence, security and functional asked separately
``verbal_joint`` both asked in one prompt (target ``joint`` in the config)
``ptrue``        P(yes) to "is this code secure?" from first-token log-probs
``consistency``  share of "yes" over k sampled yes/no verdicts
``likelihood``   exp(mean token log-prob) of the code (no call: from generation)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seccal.core.config import StudyConfig
from seccal.core.task import Task
from seccal.models import Engine, GenerationResponse, Job
from seccal.study.elicit_calls import (
    NO_VARIANT,
    Elicitation,
    consistency_elicitation,
    ptrue_elicitation,
    total_cost,
    unknown_records,
    verbal_elicitation,
)
from seccal.study.generate import PERMANENT_ERRORS, StageResult, model_spec
from seccal.study.store import ConfidenceRecord, GenerationRecord, RunStore


@dataclass(slots=True)
class ElicitationPlan:
    """What the elicit stage has to do."""

    calls: list[Elicitation]
    direct: list[ConfidenceRecord]
    done: int


def wanted_units(config: StudyConfig) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(method, variant, targets)`` elicited for every generation under ``config``."""
    e = config.elicit
    wanted: list[tuple[str, str, tuple[str, ...]]] = []
    if "likelihood" in e.methods:
        wanted.append(("likelihood", NO_VARIANT, ("any",)))
    if "verbal" in e.methods:
        for target in e.targets:
            method = "verbal_joint" if target == "joint" else "verbal"
            ts = ("security", "functional") if target == "joint" else (target,)
            wanted += [(method, v, ts) for v in e.variants]
    if "ptrue" in e.methods:
        wanted.append(("ptrue", NO_VARIANT, ("security",)))
    if "consistency" in e.methods:
        wanted.append(("consistency", NO_VARIANT, ("security",)))
    return wanted


def plan_elicitations(
    generations: Sequence[GenerationRecord],
    tasks: dict[str, Task],
    config: StudyConfig,
    logprob_support: Callable[[str], int],
    done: set[tuple[str, str, str, str]] | frozenset[tuple[str, str, str, str]] = frozenset(),
) -> ElicitationPlan:
    """Elicitations still to run, and records known without a call.

    Parameters
    ----------
    logprob_support:
        Model name → number of top log-probs its provider returns (0 = none:
        P(True) is recorded unknown without a call). Asked only when needed, so
        a resumed run with nothing left creates no provider.
    done:
        ``(gen_id, method, variant, target)`` already stored; a unit whose every target
        is stored is skipped before any prompt is built.
    """
    models = {m.name: m for m in config.models}
    wanted = wanted_units(config)
    plan = ElicitationPlan([], [], 0)
    for gen in generations:
        model = models.get(gen.model)
        task = tasks.get(gen.task_key)
        if model is None or task is None:
            continue  # a model or suite removed from the config: nothing to ask
        for method, variant, targets in wanted:
            if all((gen.gen_id, method, variant, t) in done for t in targets):
                plan.done += 1
            elif method == "likelihood":
                value = None if gen.seq_logprob is None else math.exp(gen.seq_logprob)
                reason = None if value is not None else "no token log-probs for the code"
                plan.direct.append(
                    ConfidenceRecord(gen.gen_id, method, variant, "any", value, None, None, reason)
                )
            elif gen.code is None:
                why = "no code to rate (generation failed or reply held no code)"
                plan.direct += unknown_records(gen.gen_id, method, variant, targets, why)
            elif method == "ptrue" and not logprob_support(model.name):
                plan.direct += unknown_records(
                    gen.gen_id, method, variant, targets, "provider returned no log-probs"
                )
            elif method == "ptrue":
                plan.calls.append(
                    ptrue_elicitation(gen, task, model, config, logprob_support(model.name))
                )
            elif method == "consistency":
                plan.calls.append(consistency_elicitation(gen, task, model, config))
            else:
                target = "joint" if method == "verbal_joint" else targets[0]
                plan.calls.append(verbal_elicitation(gen, task, model, config, target, variant))
    return plan


async def run_elicit(
    *,
    config: StudyConfig,
    store: RunStore,
    engine: Engine,
    on_total: Callable[[int], None] | None = None,
    on_progress: Callable[[int, float], None] | None = None,
) -> StageResult:
    """Run every elicitation the store does not hold yet."""
    specs = {m.name: model_spec(m) for m in config.models}
    support: dict[str, int] = {}

    def logprob_support(name: str) -> int:
        if name not in support:
            caps = engine.prepare(specs[name]).capabilities
            top = min(config.elicit.top_logprobs, caps.max_top_logprobs)
            support[name] = top if caps.logprobs else 0
        return support[name]

    done = store.elicited_keys()
    units = wanted_units(config)
    # Decide what is missing from ids alone; read code only for generations that need it.
    index = [(g, m) for g, m in store.generation_index() if m in specs]
    missing = {
        g: sum(any((g, me, v, t) not in done for t in ts) for me, v, ts in units) for g, _ in index
    }
    n_missing = sum(missing.values())
    need = [g for g, n in missing.items() if n]
    generations = store.generations(ids=need) if need else []
    plan = plan_elicitations(generations, store.tasks(), config, logprob_support, done)
    result = StageResult(done_before=len(index) * len(units) - n_missing)
    if on_total is not None:
        on_total(len(index) * len(units))
    if on_progress is not None and result.done_before:
        on_progress(result.done_before, 0.0)
    if plan.direct:
        result.stored += store.put_confidences(plan.direct)
        if on_progress is not None:
            on_progress(len(plan.direct), 0.0)
    model_of = {g.gen_id: g.model for g in generations}
    jobs = []
    for c in plan.calls:
        c.spec = specs[model_of[c.gen_id]]
        jobs += [Job(c.spec, request, tag=(c, i)) for i, request in enumerate(c.requests)]

    def on_result(_: int, job: Job, response: GenerationResponse) -> None:
        c, i = job.tag
        c.answers[i] = response
        if len(c.answers) < len(c.requests):
            return
        rs = [c.answers[k] for k in range(len(c.requests))]
        transient = [r for r in rs if r.error is not None and r.error.kind not in PERMANENT_ERRORS]
        cost = total_cost(rs)
        if transient:
            result.failed += 1  # retried on the next run (answers already cached)
        else:
            result.stored += store.put_confidences(c.finish(rs))
            result.cost_usd += cost
        if on_progress is not None:
            on_progress(1, cost)

    if jobs:
        await engine.run(jobs, on_result=on_result)
    return result
