"""Validate suites against their own reference solutions: the reference-pair table.

A task's tests are trustworthy when the judge a study uses, run on the task's
references, says what the references are: the secure reference passes its
functional tests and is ``secure`` by its security tests (dynamic label); the
insecure reference passes its functional tests and is ``vulnerable``. A task
missing a reference is checked on the one it has (SALLM ships only insecure
references). Every task kind goes through :class:`seccal.judge.Judge` (snippets,
repository tasks, CWEval's native programs), so this is the one validation path
of every suite. A task whose checks could not run at all (static-only, no
reference, a toolchain or dependency missing here) is ``not-run`` with its reason;
every other deviation is a ``fail`` with the judge's reason.

With analyzers on, each reference also gets its static label, so the same run
measures the static label against the dynamic one on reference code
(:func:`reference_quality`, :mod:`seccal.judge.static_quality`).

The judge is reached through :class:`BatchJudge`, so the report logic is tested
without a sandbox; :func:`seccal_judge` adapts :mod:`seccal.judge` to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from seccal.core.config import JudgeSettings
from seccal.core.task import Task
from seccal.errors import SeccalError
from seccal.judge import Judge, JudgeConfig, JudgeItem
from seccal.judge.config import study_judge_options
from seccal.judge.static_quality import static_quality
from seccal.tasks.registry import load_suite
from seccal.tasks.validation_records import (
    EXPECTED,
    BatchJudge,
    Reference,
    ReferenceCheck,
    Status,
    SuiteValidation,
    TaskValidation,
    VerdictLike,
)


def _references(task: Task) -> dict[Reference, str]:
    refs: dict[Reference, str] = {}
    if task.secure_reference is not None:
        refs["secure"] = task.secure_reference
    if task.insecure_reference is not None:
        refs["insecure"] = task.insecure_reference
    return refs


def _check(reference: Reference, verdict: VerdictLike) -> ReferenceCheck:
    want_functional, want_security = EXPECTED[reference]
    functional = verdict.functional
    security = verdict.security.get("dynamic", "unknown")
    problems = []
    if functional != want_functional:
        why = verdict.reasons.get("functional", "")
        problems.append(
            f"functional {functional} (expected {want_functional})" + (f": {why}" if why else "")
        )
    if security != want_security:
        why = verdict.reasons.get("dynamic", "")
        problems.append(
            f"security {security} (expected {want_security})" + (f": {why}" if why else "")
        )
    if problems:
        problems.extend(_evidence(verdict))
    return ReferenceCheck(
        reference,
        functional,
        security,
        ok=not problems,
        detail="; ".join(problems),
        static=verdict.security.get("static", "unknown"),
    )


def _evidence(verdict: VerdictLike, *, limit: int = 240) -> list[str]:
    """The first test that did not pass, with the end of its message (a build error, a
    failed assertion), when the verdict records its tests."""
    for test in getattr(verdict, "tests", ()):
        if test.outcome != "passed":
            message = " ".join(str(test.message).split())
            tail = "..." + message[-limit:] if len(message) > limit else message
            return [f"{test.name} {test.outcome}" + (f": {tail}" if tail else "")]
    return []


def _not_runnable(task: Task, refs: Mapping[Reference, str]) -> str:
    """Why ``task`` cannot be validated at all (empty when it can)."""
    if task.static_only:
        return "static-only: " + str(task.metadata.get("static_only_reason", "no executable tests"))
    # Snippet tasks carry their tests; other kinds' backends build and test themselves.
    if task.kind == "snippet" and not task.tests:
        return "no tests"
    if not refs:
        return "no reference solution to validate against"
    return ""


def _unrun_reason(verdicts: Sequence[VerdictLike]) -> str:
    """The judge's reason when no check of any reference could run (empty otherwise)."""
    checks = [_check("secure", v) for v in verdicts]
    if any(c.ran for c in checks):
        return ""
    reasons = [v.reasons.get("functional") or v.reasons.get("dynamic", "") for v in verdicts]
    return "could not run: " + (next((r for r in reasons if r), "") or "no label")


def validate_tasks(
    suite: str,
    tasks: Sequence[Task],
    judge: BatchJudge,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> SuiteValidation:
    """Judge every task's references in one batch and compare with expectations.

    Parameters
    ----------
    suite:
        Suite name for the report.
    tasks:
        The tasks to validate.
    judge:
        A :data:`BatchJudge`; see :func:`seccal_judge`.
    clock:
        Time source (injectable for tests).

    Returns
    -------
    SuiteValidation
        Per-task status (``pass``, ``fail``, ``not-run`` with a reason), counts,
        pass rate over runnable tasks and the seconds the judge took.
    """
    start = clock()
    items: list[tuple[str, Task, str]] = []
    planned: dict[str, list[Reference]] = {}
    skipped: dict[str, str] = {}
    for task in tasks:
        refs = _references(task)
        why = _not_runnable(task, refs)
        if why:
            skipped[task.id] = why
        else:
            planned[task.id] = list(refs)
            items.extend((f"{task.key}#{ref}", task, code) for ref, code in refs.items())
    verdicts = list(judge(items)) if items else []
    if len(verdicts) != len(items):
        raise RuntimeError(f"judge returned {len(verdicts)} verdicts for {len(items)} items")
    by_id = {v.generation_id: v for v in verdicts}
    results: list[TaskValidation] = []
    for task in tasks:
        cwes, language = task.cwes, str(task.language)
        if task.id in skipped:
            results.append(TaskValidation(task.id, "not-run", (), skipped[task.id], cwes, language))
            continue
        own = [by_id[f"{task.key}#{ref}"] for ref in planned[task.id]]
        checks = tuple(_check(ref, v) for ref, v in zip(planned[task.id], own, strict=True))
        unrun = _unrun_reason(own)
        status: Status = "not-run" if unrun else "pass" if all(c.ok for c in checks) else "fail"
        results.append(TaskValidation(task.id, status, checks, unrun, cwes, language))
    cwes = tuple(sorted({c for t in tasks for c in t.cwes}, key=_cwe_number))
    return SuiteValidation(suite, tuple(results), clock() - start, cwes)


def validate_suites(
    specs: Sequence[str],
    judge: BatchJudge,
    *,
    limit: int = 0,
    task_ids: Sequence[str] = (),
    clock: Callable[[], float] = time.monotonic,
    progress: Callable[[SuiteValidation], None] | None = None,
) -> list[SuiteValidation]:
    """:func:`validate_tasks` for each suite spec; a suite that cannot load is reported.

    ``limit`` keeps the first ``limit`` tasks of each suite (0: all); ``task_ids``
    keeps only those ids (in any suite). ``progress`` is called after each suite.
    """
    out = []
    for spec in specs:
        start = clock()
        try:
            tasks = load_suite(spec)
        except SeccalError as exc:  # data absent here (SecurityEval), download failed, ...
            result = SuiteValidation(spec, (), clock() - start, error=str(exc))
        else:
            if task_ids:
                tasks = [t for t in tasks if t.id in set(task_ids)]
            if limit:
                tasks = tasks[:limit]
            result = validate_tasks(spec, tasks, judge, clock=clock)
        out.append(result)
        if progress is not None:
            progress(result)
    return out


def reference_quality(validations: Sequence[SuiteValidation]) -> dict[str, Any]:
    """Precision and recall of the static label against the measured dynamic label,
    per CWE, on every judged reference of ``validations`` (all suites pooled).

    Returns :func:`seccal.judge.static_quality.static_quality`'s dict plus
    ``per_suite`` (the same per suite) and ``suites`` (the specs pooled).
    """
    frames = [v.reference_frame() for v in validations if v.results]
    frames = [f for f in frames if not f.empty]
    empty = SuiteValidation("", (), 0.0).reference_frame()
    pooled = pd.concat(frames, ignore_index=True) if frames else empty
    quality = static_quality(pooled)
    quality["suites"] = [v.suite for v in validations]
    quality["per_suite"] = {
        str(name): {k: v for k, v in static_quality(group)["overall"].items()}
        for name, group in pooled.groupby("suite", sort=False)
    }
    return quality


def _cwe_number(cwe: str) -> int:
    digits = cwe.rpartition("-")[2]
    return int(digits) if digits.isdigit() else 0


def seccal_judge(*, static: bool = False, **config: Any) -> BatchJudge:
    """A :data:`BatchJudge` backed by :class:`seccal.judge.Judge`, configured as a
    default study's ``[judge]`` table configures it.

    With ``static`` false the analyzers are off (only the dynamic label is needed);
    other keyword arguments go to ``JudgeConfig`` and win over the study defaults.
    """
    options = {**study_judge_options(JudgeSettings()), **config}
    if not static:
        options["analyzers"] = ()
    judge = Judge(JudgeConfig(**options))

    def run(items: Sequence[tuple[str, Task, str]]) -> Sequence[VerdictLike]:
        verdicts: Sequence[VerdictLike] = judge.judge_many(
            [JudgeItem(gid, task, code) for gid, task, code in items]
        )
        return verdicts

    return run
