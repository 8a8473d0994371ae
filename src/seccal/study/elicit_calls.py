"""The calls of one elicitation and how their answers become confidences.

Each builder returns an :class:`Elicitation`: the requests to send (chat or
completion form, per the model) and a ``finish`` function turning the answers
into :class:`~seccal.study.store.ConfidenceRecord` rows. Parsing never
guesses: an unreadable answer is an unknown confidence with its raw text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

from seccal.core.config import ModelConfig, StudyConfig
from seccal.core.task import Task
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
from seccal.models import GenerationRequest, GenerationResponse, Message, ModelSpec
from seccal.models.request import Role
from seccal.study.store import ConfidenceRecord, GenerationRecord

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
    calls: Sequence[GenerationResponse],
) -> ConfidenceRecord:
    """One confidence; ``calls`` are the responses it pays for (cost and tokens)."""
    return ConfidenceRecord(
        gen_id,
        method,
        variant,
        target,
        parsed_value,
        raw,
        kind,
        reason or None,
        total_cost(calls),
        sum(r.usage.input_tokens or 0 for r in calls),
        sum(r.usage.output_tokens or 0 for r in calls),
    )


def total_cost(responses: Sequence[GenerationResponse]) -> float:
    """Summed cost of an elicitation's calls (unpriced calls count 0)."""
    return sum(r.cost_usd or 0.0 for r in responses)


def _error_of(responses: Sequence[GenerationResponse]) -> str | None:
    for r in responses:
        if r.error is not None:
            return f"call failed: {r.error.kind}: {r.error.message}"
    return None


def verbal_elicitation(
    gen: GenerationRecord,
    task: Task,
    model: ModelConfig,
    config: StudyConfig,
    target: str,
    variant: str,
) -> Elicitation:
    """Stated confidence for ``target`` (``joint``: both targets) with prompt ``variant``."""
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
                        calls=[r],
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
                calls=[r] if i == 0 else [],
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


def ptrue_elicitation(
    gen: GenerationRecord, task: Task, model: ModelConfig, config: StudyConfig, top_k: int
) -> Elicitation:
    """P(yes) to the yes/no security question from the first token's top log-probs."""
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
                calls=rs,
            )
        ]

    return Elicitation(gen.gen_id, "ptrue", NO_VARIANT, [request], finish)


def consistency_elicitation(
    gen: GenerationRecord, task: Task, model: ModelConfig, config: StudyConfig
) -> Elicitation:
    """Share of yes over ``consistency_samples`` sampled yes/no security verdicts."""
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
                calls=rs,
            )
        ]

    return Elicitation(gen.gen_id, "consistency", NO_VARIANT, requests, finish)


def unknown_records(
    gen_id: str, method: str, variant: str, targets: Sequence[str], reason: str
) -> list[ConfidenceRecord]:
    """Unknown confidences with ``reason`` for each target, without any call."""
    return [ConfidenceRecord(gen_id, method, variant, t, None, None, None, reason) for t in targets]
