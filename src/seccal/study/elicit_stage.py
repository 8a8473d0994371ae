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
from dataclasses import dataclass, field
from typing import cast

from seccal.elicit.parse import parse_confidence, parse_joint
from seccal.elicit.prompts import (
    Target,
    Variant,
    chat_confidence_prompt,
    chat_yes_no_prompt,
    completion_confidence_prompt,
    completion_yes_no_prompt,
)
from seccal.elicit.scores import p_true, self_consistency
from seccal.models import Engine, GenerationRequest, GenerationResponse, Job, Message, ModelSpec
from seccal.models.base import Role
from seccal.study.config import ModelConfig, StudyConfig
from seccal.study.generate import PERMANENT_ERRORS, StageResult, model_spec
from seccal.study.store import ConfidenceRecord, GenerationRecord, RunStore
from seccal.tasks.model import Task

NO_VARIANT = "default"

Finisher = Callable[[list[GenerationResponse]], list[ConfidenceRecord]]


@dataclass(slots=True)
class Elicitation:
    """One (generation, method, variant) with its calls and how to read their answers."""

    gen_id: str
    method: str
    variant: str
    requests: list[GenerationRequest]
    finish: Finisher
    spec: ModelSpec | None = None
    answers: dict[int, GenerationResponse] = field(default_factory=dict)


def _messages(raw: list[dict[str, str]]) -> tuple[Message, ...]:
    return tuple(Message(cast(Role, m["role"]), m["content"]) for m in raw)


def _first_line(text: str | None) -> str:
    return next((ln for ln in (text or "").splitlines() if ln.strip()), "")


def _record(
    gen_id: str,
    method: str,
    variant: str,
    target: str,
    parsed_value: float | None,
    *,
    raw: str | None,
    kind: str | None,
    reason: str | None,
    cost: float,
) -> ConfidenceRecord:
    return ConfidenceRecord(
        gen_id, method, variant, target, parsed_value, raw, kind, reason or None, cost
    )


def _cost(responses: Sequence[GenerationResponse]) -> float:
    return sum(r.cost_usd or 0.0 for r in responses)


def _error_of(responses: Sequence[GenerationResponse]) -> str | None:
    for r in responses:
        if r.error is not None:
            return f"call failed: {r.error.kind}: {r.error.message}"
    return None


def _verbal(
    gen: GenerationRecord,
    task: Task,
    model: ModelConfig,
    config: StudyConfig,
    target: str,
    variant: str,
) -> Elicitation:
    e = config.elicit
    cot = variant.endswith("cot")
    max_tokens = e.cot_max_tokens if cot else e.max_tokens
    code = gen.code or ""
    method = "verbal_joint" if target == "joint" else "verbal"
    if model.form == "completion":
        # A base model often starts its answer on a new line: no newline stop, the
        # first non-empty line is read (after a CoT review, the whole text is).
        stop = ("\n\n\n",)
        targets = ("security", "functional") if target == "joint" else (target,)
        requests = [
            GenerationRequest(
                prompt=completion_confidence_prompt(
                    code=code, target=cast(Target, t), variant=cast(Variant, variant)
                ),
                stop=stop,
                temperature=e.temperature,
                max_tokens=max_tokens,
            )
            for t in targets
        ]

        def finish_completion(rs: list[GenerationResponse]) -> list[ConfidenceRecord]:
            out = []
            for t, r in zip(targets, rs, strict=True):
                p = parse_confidence(r.text if cot else _first_line(r.text))
                out.append(
                    _record(
                        gen.gen_id,
                        method,
                        variant,
                        t,
                        p.value,
                        raw=r.text,
                        kind=p.kind,
                        reason=_error_of([r]) or p.reason,
                        cost=r.cost_usd or 0.0,
                    )
                )
            return out

        return Elicitation(gen.gen_id, method, variant, requests, finish_completion)
    messages = chat_confidence_prompt(
        task=task.prompt,
        code=code,
        target=cast(Target, target),
        variant=cast(Variant, variant),
        language=task.language,
    )
    request = GenerationRequest(
        messages=_messages(messages), temperature=e.temperature, max_tokens=max_tokens
    )

    def finish_chat(rs: list[GenerationResponse]) -> list[ConfidenceRecord]:
        r = rs[0]
        error = _error_of(rs)
        if target == "joint":
            parts = dict(zip(("security", "functional"), parse_joint(r.text), strict=True))
        else:
            parts = {target: parse_confidence(r.text)}
        return [
            _record(
                gen.gen_id,
                method,
                variant,
                t,
                p.value,
                raw=r.text,
                kind=p.kind,
                reason=error or p.reason,
                cost=(r.cost_usd or 0.0) if i == 0 else 0.0,
            )
            for i, (t, p) in enumerate(parts.items())
        ]

    return Elicitation(gen.gen_id, method, variant, [request], finish_chat)


def _yes_no_request(
    task: Task,
    code: str,
    model: ModelConfig,
    *,
    temperature: float,
    max_tokens: int,
    sample_index: int = 0,
    top_logprobs: int = 0,
) -> GenerationRequest:
    if model.form == "completion":
        prompt: str | None = completion_yes_no_prompt(code=code)
        messages: tuple[Message, ...] = ()
    else:
        prompt = None
        messages = _messages(
            chat_yes_no_prompt(task=task.prompt, code=code, language=task.language)
        )
    return GenerationRequest(
        messages=messages,
        prompt=prompt,
        temperature=temperature,
        max_tokens=max_tokens,
        sample_index=sample_index,
        logprobs=top_logprobs > 0,
        top_logprobs=top_logprobs,
    )


def _ptrue(
    gen: GenerationRecord, task: Task, model: ModelConfig, config: StudyConfig, top_k: int
) -> Elicitation:
    request = _yes_no_request(
        task,
        gen.code or "",
        model,
        temperature=config.elicit.temperature,
        max_tokens=1,
        top_logprobs=top_k,
    )

    def finish(rs: list[GenerationResponse]) -> list[ConfidenceRecord]:
        r = rs[0]
        top = None
        if r.logprobs:
            top = [(a.token, a.logprob) for a in r.logprobs[0].top] or [
                (r.logprobs[0].token, r.logprobs[0].logprob)
            ]
        score = p_true(top)
        return [
            _record(
                gen.gen_id,
                "ptrue",
                NO_VARIANT,
                "security",
                score.value,
                raw=r.text,
                kind=score.detail or None,
                reason=_error_of(rs) or score.reason,
                cost=_cost(rs),
            )
        ]

    return Elicitation(gen.gen_id, "ptrue", NO_VARIANT, [request], finish)


def _consistency(
    gen: GenerationRecord, task: Task, model: ModelConfig, config: StudyConfig
) -> Elicitation:
    e = config.elicit
    # The verdict is the first word; a base model needs no more than its first token.
    max_tokens = 1 if model.form == "completion" else 8
    requests = [
        _yes_no_request(
            task,
            gen.code or "",
            model,
            temperature=e.consistency_temperature,
            max_tokens=max_tokens,
            sample_index=k,
        )
        for k in range(e.consistency_samples)
    ]

    def finish(rs: list[GenerationResponse]) -> list[ConfidenceRecord]:
        answers = [r.text for r in rs if r.error is None]
        score = self_consistency(answers)
        failed = len(rs) - len(answers)
        detail = score.detail + (f", {failed} failed calls" if failed else "")
        return [
            _record(
                gen.gen_id,
                "consistency",
                NO_VARIANT,
                "security",
                score.value,
                raw="\n---\n".join(a or "" for a in answers),
                kind=detail,
                reason=score.reason,
                cost=_cost(rs),
            )
        ]

    return Elicitation(gen.gen_id, "consistency", NO_VARIANT, requests, finish)


def _unknown(
    gen_id: str, method: str, variant: str, targets: Sequence[str], reason: str
) -> list[ConfidenceRecord]:
    return [ConfidenceRecord(gen_id, method, variant, t, None, None, None, reason) for t in targets]


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
    done: set[tuple[str, str, str]] | frozenset[tuple[str, str, str]] = frozenset(),
) -> ElicitationPlan:
    """Elicitations still to run, and records known without a call.

    Parameters
    ----------
    logprob_support:
        Model name → number of top log-probs its provider returns (0 = none:
        P(True) is recorded unknown without a call). Asked only when needed, so
        a resumed run with nothing left creates no provider.
    done:
        ``(gen_id, method, variant)`` already stored; skipped before any prompt is built.
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
            if (gen.gen_id, method, variant) in done:
                plan.done += 1
            elif method == "likelihood":
                value = None if gen.seq_logprob is None else math.exp(gen.seq_logprob)
                reason = None if value is not None else "no token log-probs for the code"
                plan.direct.append(
                    ConfidenceRecord(gen.gen_id, method, variant, "any", value, None, None, reason)
                )
            elif gen.code is None:
                why = "no code to rate (generation failed or reply held no code)"
                plan.direct += _unknown(gen.gen_id, method, variant, targets, why)
            elif method == "ptrue" and not logprob_support(model.name):
                plan.direct += _unknown(
                    gen.gen_id, method, variant, targets, "provider returned no log-probs"
                )
            elif method == "ptrue":
                plan.calls.append(_ptrue(gen, task, model, config, logprob_support(model.name)))
            elif method == "consistency":
                plan.calls.append(_consistency(gen, task, model, config))
            else:
                target = "joint" if method == "verbal_joint" else targets[0]
                plan.calls.append(_verbal(gen, task, model, config, target, variant))
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
    units = [(method, variant) for method, variant, _ in wanted_units(config)]
    # Decide what is missing from ids alone; read code only for generations that need it.
    index = [(g, m) for g, m in store.generation_index() if m in specs]
    missing = {g: sum((g, me, v) not in done for me, v in units) for g, _ in index}
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
        cost = _cost(rs)
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
