"""Validate a suite's tests against its own reference solutions.

A task's tests are trustworthy when the judge, run on the task's references,
says what the references are: the secure reference passes its functional tests
and is ``secure`` by its security tests (dynamic label); the insecure reference
passes its functional tests and is ``vulnerable``. A task missing a reference is
checked on the one it has (SALLM ships only insecure references). Static-only
tasks cannot run and are reported as such with their reason.

The judge is reached through :class:`BatchJudge`, so the report logic is tested
without a sandbox; :func:`seccal_judge` adapts :mod:`seccal.judge` to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from seccal.core.task import Task
from seccal.judge import Judge, JudgeConfig, JudgeItem

Reference = Literal["secure", "insecure"]
Status = Literal["pass", "fail", "not-run"]
EXPECTED: dict[Reference, tuple[str, str]] = {
    "secure": ("pass", "secure"),
    "insecure": ("pass", "vulnerable"),
}


class VerdictLike(Protocol):
    """The parts of :class:`seccal.judge.Verdict` that validation reads."""

    @property
    def generation_id(self) -> str: ...

    @property
    def functional(self) -> str: ...

    @property
    def security(self) -> Mapping[str, str]: ...

    @property
    def reasons(self) -> Mapping[str, str]: ...


#: Judges ``(generation_id, task, code)`` triples; returns verdicts in the same order.
BatchJudge = Callable[[Sequence[tuple[str, Task, str]]], Sequence[VerdictLike]]


@dataclass(frozen=True, slots=True)
class ReferenceCheck:
    """What the judge said about one reference, against what was expected."""

    reference: Reference
    functional: str
    security: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class TaskValidation:
    """Validation result of one task."""

    task_id: str
    status: Status
    checks: tuple[ReferenceCheck, ...] = ()
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "task_id": self.task_id,
            "status": self.status,
            "reason": self.reason,
            "checks": [
                {
                    "reference": c.reference,
                    "functional": c.functional,
                    "security": c.security,
                    "ok": c.ok,
                    "detail": c.detail,
                }
                for c in self.checks
            ],
        }


@dataclass(frozen=True, slots=True)
class SuiteValidation:
    """Validation result of a whole suite."""

    suite: str
    results: tuple[TaskValidation, ...]
    seconds: float
    cwes: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> int:
        """Tasks whose references behaved as expected."""
        return sum(r.status == "pass" for r in self.results)

    @property
    def failed(self) -> int:
        """Tasks with at least one reference that did not behave as expected."""
        return sum(r.status == "fail" for r in self.results)

    @property
    def not_run(self) -> int:
        """Tasks that cannot be validated (static-only, no reference)."""
        return sum(r.status == "not-run" for r in self.results)

    @property
    def pass_rate(self) -> float:
        """Passed over runnable tasks (``nan`` when none could run)."""
        runnable = self.passed + self.failed
        return self.passed / runnable if runnable else float("nan")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "suite": self.suite,
            "tasks": len(self.results),
            "cwes": list(self.cwes),
            "passed": self.passed,
            "failed": self.failed,
            "not_run": self.not_run,
            "pass_rate": self.pass_rate,
            "seconds": round(self.seconds, 3),
            "results": [r.to_dict() for r in self.results],
        }


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
    return ReferenceCheck(
        reference, functional, security, ok=not problems, detail="; ".join(problems)
    )


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
        if task.static_only:
            skipped[task.id] = "static-only: " + str(
                task.metadata.get("static_only_reason", "no executable tests")
            )
        elif not task.tests:
            skipped[task.id] = "no tests"
        elif not refs:
            skipped[task.id] = "no reference solution to validate against"
        else:
            planned[task.id] = list(refs)
            items.extend((f"{task.key}#{ref}", task, code) for ref, code in refs.items())
    verdicts = list(judge(items)) if items else []
    if len(verdicts) != len(items):
        raise RuntimeError(f"judge returned {len(verdicts)} verdicts for {len(items)} items")
    by_id = {v.generation_id: v for v in verdicts}
    results: list[TaskValidation] = []
    for task in tasks:
        if task.id in skipped:
            results.append(TaskValidation(task.id, "not-run", reason=skipped[task.id]))
            continue
        checks = tuple(_check(ref, by_id[f"{task.key}#{ref}"]) for ref in planned[task.id])
        status: Status = "pass" if all(c.ok for c in checks) else "fail"
        results.append(TaskValidation(task.id, status, checks))
    cwes = tuple(sorted({c for t in tasks for c in t.cwes}, key=_cwe_number))
    return SuiteValidation(suite, tuple(results), clock() - start, cwes)


def _cwe_number(cwe: str) -> int:
    digits = cwe.rpartition("-")[2]
    return int(digits) if digits.isdigit() else 0


def seccal_judge(**config: Any) -> BatchJudge:
    """A :data:`BatchJudge` backed by :class:`seccal.judge.Judge`.

    Static analysis is turned off (validation needs only the dynamic label)
    unless ``analyzers`` is given. Other keyword arguments go to ``JudgeConfig``.
    """
    config.setdefault("analyzers", ())
    judge = Judge(JudgeConfig(**config))

    def run(items: Sequence[tuple[str, Task, str]]) -> Sequence[VerdictLike]:
        verdicts: Sequence[VerdictLike] = judge.judge_many(
            [JudgeItem(gid, task, code) for gid, task, code in items]
        )
        return verdicts

    return run
