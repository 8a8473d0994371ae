"""Running calibration-guided repair: ask the model, extract the code, re-judge, store.

Every repair is written to the ``repairs`` table of the run's SQLite store as soon as it
is judged, keyed by ``(source_gen_id, variant)`` and linked to its source generation, so
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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from seccal.core.labels import CORRECT_VALUE, SECURE_VALUE, LabelSource
from seccal.core.schema import connect
from seccal.core.task import Task
from seccal.mitigate.repair import RepairPrompt, RepairVariant, repair_prompt

# repairs.conf_reason (schema in seccal.core.schema): NULL while the repaired code's
# confidence was never asked; otherwise why conf_after is unknown ('' when it is known).
# Reasons starting with RETRY_PREFIX (a transient call failure) are asked again on the
# next run.
RETRY_PREFIX = "call failed"
NO_CODE = "no repaired code to rate"


@dataclass(frozen=True)
class RepairCandidate:
    """A snippet chosen for repair, with what the repair prompt needs."""

    gen_id: str
    task: Task
    code: str
    confidence: float
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepairOutcome:
    """One repair: the reply, the extracted code and its new labels (or unknown + reason)."""

    source_gen_id: str
    variant: str
    threshold: float
    reply: str | None
    code: str | None
    conf_after: float | None
    secure_after: str  # secure | vulnerable | unknown
    correct_after: str  # pass | fail | unknown
    reason: str = ""
    conf_reason: str | None = None


class Generator(Protocol):
    """Answers repair prompts (None for a failed call), in order."""

    def __call__(self, prompts: Sequence[RepairPrompt]) -> list[str | None]: ...


class Rejudge(Protocol):
    """Judges ``(id, task, code)`` items: ``(security label, functional label)`` each."""

    def __call__(self, items: Sequence[tuple[str, Task, str]]) -> list[tuple[str, str]]: ...


class Confider(Protocol):
    """Rates ``(id, task, repaired code)`` items: ``(security confidence or None, reason)``.

    The reason is ``""`` when the confidence is known; a transient call failure gives a
    reason starting with ``RETRY_PREFIX``.
    """

    def __call__(
        self, items: Sequence[tuple[str, Task, str]]
    ) -> list[tuple[float | None, str]]: ...


class RepairStore:
    """The ``repairs`` table (in the run store's SQLite file, or any file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = connect(self.path)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> RepairStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def put(self, outcomes: Sequence[RepairOutcome]) -> int:
        """Write outcomes (first write wins); returns how many were new."""
        now = time.time()
        rows = [
            (
                o.source_gen_id,
                o.variant,
                o.threshold,
                o.reply,
                o.code,
                o.conf_after,
                o.secure_after,
                o.correct_after,
                o.reason,
                now,
                o.conf_reason,
            )
            for o in outcomes
        ]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO repairs (source_gen_id, variant, threshold, reply, code, "
                "conf_after, secure_after, correct_after, reason, created, conf_reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            new = self._db.total_changes - before
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return new

    def done(self, variant: str) -> set[str]:
        """Source generation ids already repaired with ``variant``."""
        rows = self._db.execute("SELECT source_gen_id FROM repairs WHERE variant = ?", (variant,))
        return {r[0] for r in rows}

    def unrated(self, variant: str) -> dict[str, str]:
        """Repaired code (by source generation id) whose confidence is still to be asked."""
        rows = self._db.execute(
            "SELECT source_gen_id, code FROM repairs WHERE variant = ? AND code IS NOT NULL "
            "AND conf_after IS NULL AND (conf_reason IS NULL OR conf_reason LIKE ?)",
            (variant, RETRY_PREFIX + "%"),
        )
        return {r[0]: r[1] for r in rows}

    def set_confidence(self, variant: str, rated: Sequence[tuple[str, float | None, str]]) -> None:
        """Store ``(source_gen_id, confidence or None, reason)`` for repairs of ``variant``."""
        rows = [(value, reason, gen_id, variant) for gen_id, value, reason in rated]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "UPDATE repairs SET conf_after = ?, conf_reason = ? "
                "WHERE source_gen_id = ? AND variant = ?",
                rows,
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def frame(self) -> pd.DataFrame:
        """All repairs with labels as 1 / 0 / NA (the layout ``summarize_repair`` reads)."""
        cols = [
            "source_gen_id",
            "variant",
            "threshold",
            "code",
            "conf_after",
            "conf_reason",
            "secure_after",
            "correct_after",
            "reason",
        ]
        df = pd.read_sql_query(f"SELECT {', '.join(cols)} FROM repairs ORDER BY rowid", self._db)
        df["secure_after"] = df["secure_after"].map(SECURE_VALUE).astype("Int64")
        df["correct_after"] = df["correct_after"].map(CORRECT_VALUE).astype("Int64")
        return df


def _extract(reply: str, task: Task, completion: bool) -> tuple[str | None, str]:
    from seccal.elicit import extract_code

    ex = extract_code(reply, prompt=task.prompt, completion=completion)
    return ex.code, "" if ex.code is not None else f"no code in reply: {ex.reason}"


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
) -> list[RepairOutcome]:
    """Repair each candidate not yet repaired with ``variant``; store as each batch is judged.

    Returns the outcomes stored now (already stored ones are skipped). A failed model call
    (no reply) is not stored, so the next run asks again; a reply without code is a real
    outcome and is stored with its labels unknown and the reason. ``conf_after`` is left
    unknown: :func:`rate_repairs` asks for it.
    """
    done = store.done(variant)
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
        replies = generate(prompts)
        parsed = [
            (None, "model call failed") if r is None else _extract(r, c.task, completion)
            for c, r in zip(batch, replies, strict=True)
        ]
        to_judge = [(c.gen_id, c.task, p[0]) for c, p in zip(batch, parsed, strict=True) if p[0]]
        labels = dict(zip([i[0] for i in to_judge], rejudge(to_judge), strict=True))
        outcomes = []
        for c, reply, (code, reason) in zip(batch, replies, parsed, strict=True):
            if reply is None:
                continue
            sec, fun = labels.get(c.gen_id, ("unknown", "unknown"))
            # The confidence in the repaired code is asked separately (rate_repairs), with
            # the study's own elicitation prompt, so before and after are comparable.
            outcomes.append(
                RepairOutcome(
                    c.gen_id,
                    variant,
                    threshold,
                    reply,
                    code,
                    None,
                    sec,
                    fun,
                    reason,
                    conf_reason=None if code is not None else NO_CODE,
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
    pending = store.unrated(variant)
    todo = [(c.gen_id, c.task, pending[c.gen_id]) for c in candidates if c.gen_id in pending]
    rated: dict[str, tuple[float | None, str]] = {}
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        answers = confide(batch)
        rows = [(g, v, r) for (g, _, _), (v, r) in zip(batch, answers, strict=True)]
        store.set_confidence(variant, rows)
        rated.update((g, (v, r)) for g, v, r in rows)
    return rated


def engine_generator(
    spec: Any,
    *,
    temperature: float,
    max_tokens: int = 1024,
    cache: str | Path | None = None,
    stop: tuple[str, ...] = (),
) -> Generator:
    """A :class:`Generator` calling ``spec`` through a :class:`seccal.models.Engine`.

    Each batch runs in a fresh engine (its event loop ends with the batch); ``cache``,
    the run's response cache, makes a repeated request free.
    """
    from seccal.models import Engine, GenerationRequest, Job, Message

    def request(p: RepairPrompt) -> Any:
        if p.prompt is not None:
            return GenerationRequest(
                prompt=p.prompt, temperature=temperature, max_tokens=max_tokens, stop=stop
            )
        msgs = tuple(Message(role, text) for role, text in p.messages)  # type: ignore[arg-type]
        return GenerationRequest(messages=msgs, temperature=temperature, max_tokens=max_tokens)

    def generate(prompts: Sequence[RepairPrompt]) -> list[str | None]:
        responses = Engine(cache=cache).run_sync([Job(spec, request(p)) for p in prompts])
        return [r.text if r.ok else None for r in responses]

    return generate


def judge_rejudge(judge: Any, *, label_source: LabelSource) -> Rejudge:
    """A :class:`Rejudge` using a :class:`seccal.judge.Judge` and the study's label source.

    The label is read with :meth:`seccal.core.verdict.Verdict.label`, in the study's own
    vocabulary, so ``static`` and ``both`` work as ``dynamic`` does.
    """
    from seccal.judge import JudgeItem

    def rejudge(items: Sequence[tuple[str, Task, str]]) -> list[tuple[str, str]]:
        verdicts = judge.judge_many([JudgeItem(f"repair:{i}", t, code) for i, t, code in items])
        return [(str(v.label(label_source)), str(v.functional)) for v in verdicts]

    return rejudge


def findings_of(verdict_json: str | None) -> tuple[str, ...]:
    """One line per static finding of a stored verdict (``analyzer rule CWE: message (line n)``)."""
    if not verdict_json:
        return ()
    data = json.loads(verdict_json)
    out = []
    for f in data.get("findings", []):
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
