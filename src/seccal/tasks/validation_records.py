"""The records of a reference validation: each reference's check, each task's, each suite's.

Plain data with their counts and frames, apart from :mod:`seccal.tasks.validate`, which
runs the judge to fill them (and stays under 400 lines that way).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import pandas as pd

from seccal.core.task import Task

Reference = Literal["secure", "insecure"]
Status = Literal["pass", "fail", "not-run"]
EXPECTED: dict[Reference, tuple[str, str]] = {
    "secure": ("pass", "secure"),
    "insecure": ("pass", "vulnerable"),
}
_LABEL = {"secure": 1, "vulnerable": 0}


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
    """What the judge said about one reference, against what was expected.

    ``static`` is the static label (``unknown`` when no analyzer ran).
    """

    reference: Reference
    functional: str
    security: str
    ok: bool
    detail: str = ""
    static: str = "unknown"

    @property
    def ran(self) -> bool:
        """Whether any dynamic check gave a definite answer."""
        return self.functional != "unknown" or self.security != "unknown"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "reference": self.reference,
            "functional": self.functional,
            "security": self.security,
            "static": self.static,
            "ok": self.ok,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class TaskValidation:
    """Validation result of one task."""

    task_id: str
    status: Status
    checks: tuple[ReferenceCheck, ...] = ()
    reason: str = ""
    cwes: tuple[str, ...] = ()
    language: str = ""

    def check(self, reference: Reference) -> ReferenceCheck | None:
        """The check of ``reference`` (``None`` when the task has none or did not run)."""
        return next((c for c in self.checks if c.reference == reference), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "task_id": self.task_id,
            "status": self.status,
            "reason": self.reason,
            "cwes": list(self.cwes),
            "language": self.language,
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass(frozen=True, slots=True)
class SuiteValidation:
    """Validation result of a whole suite (``error``: why it could not be loaded)."""

    suite: str
    results: tuple[TaskValidation, ...]
    seconds: float
    cwes: tuple[str, ...] = field(default=())
    error: str = ""

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
        """Tasks that cannot be validated (static-only, no reference, cannot build here)."""
        return sum(r.status == "not-run" for r in self.results)

    @property
    def pass_rate(self) -> float:
        """Passed over runnable tasks (``nan`` when none could run)."""
        runnable = self.passed + self.failed
        return self.passed / runnable if runnable else float("nan")

    def counts(self) -> dict[str, int]:
        """The reference-pair table's row: what ran and how each reference behaved.

        ``secure_functional`` / ``secure_security``: runnable tasks whose secure
        reference passes its functional / security tests, out of ``secure_refs``;
        ``insecure_detected``: insecure references the security tests call
        vulnerable, out of ``insecure_refs``.
        """
        ran = [r for r in self.results if r.status != "not-run"]
        secure = [c for r in ran if (c := r.check("secure")) is not None]
        insecure = [c for r in ran if (c := r.check("insecure")) is not None]
        return {
            "tasks": len(self.results),
            "runnable": len(ran),
            "secure_refs": len(secure),
            "secure_functional": sum(c.functional == "pass" for c in secure),
            "secure_security": sum(c.security == "secure" for c in secure),
            "insecure_refs": len(insecure),
            "insecure_functional": sum(c.functional == "pass" for c in insecure),
            "insecure_detected": sum(c.security == "vulnerable" for c in insecure),
            "passed": self.passed,
            "failed": self.failed,
            "not_run": self.not_run,
        }

    def exceptions(self) -> list[tuple[str, Status, str]]:
        """``(task_id, status, reason)`` of every task that did not pass."""
        out: list[tuple[str, Status, str]] = []
        for r in self.results:
            if r.status == "pass":
                continue
            why = r.reason or "; ".join(f"{c.reference}: {c.detail}" for c in r.checks if c.detail)
            out.append((r.task_id, r.status, why))
        return out

    def reference_frame(self) -> pd.DataFrame:
        """One row per judged reference as a results frame (:mod:`seccal.core.results`).

        ``secure_dynamic`` is the measured dynamic label, ``secure_static`` the static
        one (empty when unknown), ``secure_intended`` what the reference is meant to be.
        """
        rows = [
            {
                "suite": self.suite,
                "task_id": r.task_id,
                "reference": c.reference,
                "cwe": ";".join(r.cwes),
                "language": r.language,
                "secure_intended": _LABEL[EXPECTED[c.reference][1]],
                "secure_dynamic": _LABEL.get(c.security, ""),
                "secure_static": _LABEL.get(c.static, ""),
            }
            for r in self.results
            for c in r.checks
        ]
        columns = ["suite", "task_id", "reference", "cwe", "language"]
        columns += ["secure_intended", "secure_dynamic", "secure_static"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "suite": self.suite,
            "error": self.error,
            **self.counts(),
            "cwes": list(self.cwes),
            "pass_rate": self.pass_rate,
            "seconds": round(self.seconds, 3),
            "results": [r.to_dict() for r in self.results],
        }
