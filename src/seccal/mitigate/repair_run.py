"""Running calibration-guided repair: ask the model, extract the code, re-judge, store.

Every repair is written to the ``repairs`` table of the run's SQLite store
(:class:`~seccal.mitigate.repair_store.RepairStore`) as soon as it is judged, keyed by
``(source_gen_id, variant, round)`` and linked to its source generation, so
a killed repair run resumes where it stopped and no model call is repeated for a
finished repair. :func:`rate_repairs` then asks the model's security confidence in each
repaired code (``conf_after``), also stored at once, so a repair without it gets only
that call on the next run. The model, the judge and the rater are passed in as small
callables (:class:`Generator`, :class:`Rejudge`, :class:`Confider`);
:func:`engine_generator`, :func:`judge_rejudge` and
:func:`seccal.mitigate.repair_confidence.elicit_confider` adapt seccal's engine, judge
and elicitation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from seccal.core.config_mitigations import RepairVariant
from seccal.core.labels import LabelSource
from seccal.core.task import Task
from seccal.mitigate.repair import RepairPrompt, repair_prompt
from seccal.mitigate.repair_store import (
    NO_CODE,
    RETRY_PREFIX,
    Rated,
    RepairOutcome,
    RepairStore,
)
from seccal.models import Engine, GenerationRequest, Job, Message
from seccal.models.engine_loop import EngineLoop
from seccal.study.generate import extract_for_task

__all__ = [
    "NO_CODE",
    "RETRY_PREFIX",
    "Confider",
    "Generator",
    "Rejudge",
    "RepairCandidate",
    "RepairOutcome",
    "RepairReply",
    "RepairStore",
    "candidates_from_store",
    "engine_generator",
    "findings_of",
    "judge_rejudge",
    "next_round",
    "rate_repairs",
    "run_repair",
]


@dataclass(frozen=True)
class RepairCandidate:
    """A snippet chosen for repair, with what the repair prompt needs."""

    gen_id: str
    task: Task
    code: str
    confidence: float
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepairReply:
    """A model's answer to a repair prompt, with what it cost."""

    text: str
    cost_usd: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


class Generator(Protocol):
    """Answers repair prompts (None for a failed call), in order: text or :class:`RepairReply`."""

    def __call__(self, prompts: Sequence[RepairPrompt]) -> Sequence[str | RepairReply | None]: ...


class Rejudge(Protocol):
    """Judges ``(id, task, code)`` items: ``(security label, functional label)`` each,
    optionally with the static findings on the code as a third element."""

    def __call__(self, items: Sequence[tuple[str, Task, str]]) -> Sequence[tuple[Any, ...]]: ...


class Confider(Protocol):
    """Rates ``(id, task, repaired code)`` items: ``(security confidence or None, reason)``,
    optionally followed by ``(cost_usd, tokens_in, tokens_out)`` of the call.

    The reason is ``""`` when the confidence is known; a transient call failure gives a
    reason starting with ``RETRY_PREFIX``.
    """

    def __call__(self, items: Sequence[tuple[str, Task, str]]) -> Sequence[tuple[Any, ...]]: ...


def _extract(reply: str, task: Task, completion: bool) -> tuple[str | None, str]:
    # The code of a reply as generation reads it, for every kind of task (a repository
    # task's repair is its masked region again).
    ex = extract_for_task(reply, task, completion=completion)
    return ex.code, "" if ex.code is not None else f"no code in reply: {ex.reason}"


def _reply(r: str | RepairReply | None) -> RepairReply | None:
    return RepairReply(r) if isinstance(r, str) else r


def run_repair(
    candidates: Sequence[RepairCandidate],
    *,
    variant: RepairVariant,
    threshold: float,
    generate: Generator,
    rejudge: Rejudge,
    store: RepairStore,
    form: str = "chat",
    batch_size: int = 16,
    on_progress: Callable[[int], None] | None = None,
    round: int = 1,
) -> list[RepairOutcome]:
    """Repair each candidate not yet repaired with ``variant`` in ``round``; store as each
    batch is judged.

    Returns the outcomes stored now (already stored ones are skipped). A failed model call
    (no reply) is not stored, so the next run asks again; a reply without code is a real
    outcome and is stored with its labels unknown and the reason. ``conf_after`` is left
    unknown: :func:`rate_repairs` asks for it.
    """
    done = store.done(variant, round)
    todo = [c for c in candidates if c.gen_id not in done]
    produced: list[RepairOutcome] = []
    completion = form == "completion"
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        prompts = [
            repair_prompt(
                task=c.task.prompt,
                code=c.code,
                confidence=c.confidence,
                variant=variant,
                findings=c.findings,
                language=c.task.language,
                form="completion" if completion else "chat",
            )
            for c in batch
        ]
        replies = [_reply(r) for r in generate(prompts)]
        parsed = [
            (None, "model call failed") if r is None else _extract(r.text, c.task, completion)
            for c, r in zip(batch, replies, strict=True)
        ]
        to_judge = [(c.gen_id, c.task, p[0]) for c, p in zip(batch, parsed, strict=True) if p[0]]
        # Identical repaired code for a task is judged once (models often write the same fix).
        unique: dict[tuple[str, str], tuple[str, Task, str]] = {}
        for item in to_judge:
            unique.setdefault((item[1].key, item[2]), item)
        reps = list(unique.values())
        judged = dict(zip([r[0] for r in reps], rejudge(reps), strict=True))
        labels = {g: judged[unique[(t.key, code)][0]] for g, t, code in to_judge}
        outcomes = []
        for c, reply, (code, reason) in zip(batch, replies, parsed, strict=True):
            if reply is None:
                continue
            got = labels.get(c.gen_id, ("unknown", "unknown"))
            sec, fun = str(got[0]), str(got[1])
            findings = tuple(got[2]) if len(got) > 2 else ()
            # The confidence in the repaired code is asked separately (rate_repairs), with
            # the study's own elicitation prompt, so before and after are comparable.
            outcomes.append(
                RepairOutcome(
                    c.gen_id,
                    variant,
                    threshold,
                    reply.text,
                    code,
                    None,
                    sec,
                    fun,
                    reason,
                    conf_reason=None if code is not None else NO_CODE,
                    round=round,
                    findings_after=findings,
                    cost_usd=reply.cost_usd,
                    tokens_in=reply.tokens_in,
                    tokens_out=reply.tokens_out,
                )
            )
        store.put(outcomes)
        produced += outcomes
        if on_progress is not None:
            on_progress(len(batch))
    return produced


def rate_repairs(
    candidates: Sequence[RepairCandidate],
    *,
    variant: str,
    confide: Confider,
    store: RepairStore,
    batch_size: int = 16,
    round: int = 1,
) -> dict[str, tuple[float | None, str]]:
    """Ask the model's security confidence in each stored repair of ``candidates`` lacking one.

    Only the confidence call is made (the repair itself is never asked again). Each batch
    is stored as soon as it is answered; a reason starting with ``RETRY_PREFIX`` (a failed
    call) leaves the repair to be asked again on the next run.

    Returns
    -------
    dict
        Source generation id → ``(confidence or None, reason)`` for the repairs rated now.
    """
    pending = store.unrated(variant, round)
    todo = [(c.gen_id, c.task, pending[c.gen_id]) for c in candidates if c.gen_id in pending]
    rated: dict[str, tuple[float | None, str]] = {}
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        answers = confide(batch)
        rows = [Rated(g, *a) for (g, _, _), a in zip(batch, answers, strict=True)]
        store.set_confidence(variant, rows, round)
        rated.update((r.source_gen_id, (r.value, r.reason)) for r in rows)
    return rated


def next_round(
    candidates: Sequence[RepairCandidate],
    store: RepairStore,
    *,
    variant: str,
    round: int,
    threshold: float,
) -> list[RepairCandidate]:
    """Candidates of round ``round + 1``: repairs of ``round`` still rated below ``threshold``.

    Each carries its repaired code, its new confidence and the analyzers' findings on it.
    """
    done = store.outcomes(variant, round)
    out = []
    for c in candidates:
        o = done.get(c.gen_id)
        if o is None or o.code is None or o.conf_after is None or o.conf_after >= threshold:
            continue
        out.append(RepairCandidate(c.gen_id, c.task, o.code, o.conf_after, o.findings_after))
    return out


def engine_generator(
    spec: Any,
    *,
    temperature: float,
    max_tokens: int = 1024,
    cache: str | Path | None = None,
    stop: tuple[str, ...] = (),
    budget: Callable[[], float | None] | None = None,
    engine: EngineLoop | None = None,
) -> Generator:
    """A :class:`Generator` calling ``spec`` through a :class:`seccal.models.Engine`.

    With ``engine`` (an :class:`~seccal.models.engine_loop.EngineLoop` shared by a whole
    stage) every batch uses it; otherwise each batch runs in a fresh engine with
    ``cache``, the run's response cache (a repeated request is free), and ``budget``,
    the dollars left before each batch (None: no limit). Calls beyond a cost limit fail
    and are asked again on the next run.
    """

    def request(p: RepairPrompt) -> Any:
        if p.prompt is not None:
            return GenerationRequest(
                prompt=p.prompt, temperature=temperature, max_tokens=max_tokens, stop=stop
            )
        msgs = tuple(Message(role, text) for role, text in p.messages)  # type: ignore[arg-type]
        return GenerationRequest(messages=msgs, temperature=temperature, max_tokens=max_tokens)

    def generate(prompts: Sequence[RepairPrompt]) -> list[str | RepairReply | None]:
        jobs = [Job(spec, request(p)) for p in prompts]
        if engine is not None:
            responses = engine.run(jobs)
        else:
            limit = None if budget is None else budget()
            responses = Engine(cache=cache, cost_limit_usd=limit).run_sync(jobs)
        return [
            RepairReply(
                r.text or "",
                r.cost_usd or 0.0,
                r.usage.input_tokens or 0,
                r.usage.output_tokens or 0,
            )
            if r.ok
            else None
            for r in responses
        ]

    return generate


def judge_rejudge(judge: Any, *, label_source: LabelSource) -> Rejudge:
    """A :class:`Rejudge` using a :class:`seccal.judge.Judge` and the study's label source.

    The label is read with :meth:`seccal.core.verdict.Verdict.label`, in the study's own
    vocabulary, so ``static`` and ``both`` work as ``dynamic`` does. Code already judged
    for a task by this rejudge (across batches, models and rounds) is not run again.
    """
    from seccal.judge import JudgeItem

    seen: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {}

    def rejudge(items: Sequence[tuple[str, Task, str]]) -> list[tuple[str, str, tuple[str, ...]]]:
        todo = [(i, t, code) for i, t, code in items if (t.key, code) not in seen]
        verdicts = judge.judge_many([JudgeItem(f"repair:{i}", t, code) for i, t, code in todo])
        for (_, t, code), v in zip(todo, verdicts, strict=True):
            seen[(t.key, code)] = (
                str(v.label(label_source)),
                str(v.functional),
                finding_lines(v.to_dict().get("findings", [])),
            )
        return [seen[(t.key, code)] for _, t, code in items]

    return rejudge


def findings_of(verdict_json: str | None) -> tuple[str, ...]:
    """One line per static finding of a stored verdict (``analyzer rule CWE: message (line n)``)."""
    if not verdict_json:
        return ()
    return finding_lines(json.loads(verdict_json).get("findings", []))


def finding_lines(findings: Sequence[Any]) -> tuple[str, ...]:
    """One line per finding dict (``analyzer rule CWE: message (line n)``)."""
    out = []
    for f in findings:
        cwe = f" {f['cwe']}" if f.get("cwe") else ""
        out.append(f"{f['analyzer']} {f['rule_id']}{cwe}: {f['message']} (line {f['line']})")
    return tuple(out)


def candidates_from_store(
    store: Any, df: pd.DataFrame, *, threshold: float, confidence: str
) -> list[RepairCandidate]:
    """Candidates (confidence < ``threshold``) of a results table, with code from the store.

    ``store`` is a :class:`seccal.study.store.RunStore`; the analyzer findings come from
    each stored verdict.
    """
    from seccal.core.results import confidence_array
    from seccal.mitigate.repair import select_candidates

    chosen = select_candidates(df, threshold=threshold, confidence=confidence)
    # Only the chosen generations are read: their code and reply texts can be large.
    ids = [str(g) for g in chosen["gen_id"]]
    code = {g.gen_id: g for g in store.generations(ids=ids) if g.code is not None}
    tasks = store.tasks()
    verdicts = store.verdicts()
    conf = confidence_array(chosen, confidence)
    out = []
    for gen_id, c in zip(chosen["gen_id"], conf, strict=True):
        g = code.get(gen_id)
        if g is None or g.code is None or g.task_key not in tasks:
            continue
        v = verdicts.get(gen_id)
        findings = findings_of(v.verdict_json if v is not None else None)
        out.append(RepairCandidate(gen_id, tasks[g.task_key], g.code, float(c), findings))
    return out
