"""The judge's verdict on one generated snippet, with its evidence.

A :class:`Verdict` says whether a snippet works (``functional``) and whether it
is secure according to each *label source*:

``dynamic``
    the task's security tests (exploits) run against the snippet;
``static``
    the static analyzers (see :mod:`seccal.core.labels`);

and :meth:`Verdict.label` gives any :data:`~seccal.core.labels.LabelSource`,
``both`` included, so every consumer asks for a label in the study's own words.

Every ``unknown`` carries a reason in :attr:`Verdict.reasons` under the same
key (``"functional"`` or the label source), so a number built on verdicts can
always say what it left out and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from seccal.core.findings import Finding, Severity, static_label_and_reason
from seccal.core.labels import (
    MEASURED_SOURCES,
    FunctionalLabel,
    LabelSource,
    SecurityLabel,
    combine_labels,
)

Isolation = Literal["strong", "weak", "none"]
TestStatus = Literal["passed", "failed", "error", "skipped", "timeout"]

#: Keys of verdicts written before schema 2 (``static_cwe`` became ``static``;
#: ``static_any`` is the count of findings, kept in :attr:`Verdict.findings`).
_LEGACY_KEYS = {"static_cwe": "static"}
NO_TESTS_REASON = "task has no executable tests"


@dataclass(frozen=True, slots=True)
class TestOutcome:
    """One test's result.

    Attributes
    ----------
    role:
        ``functional`` or ``security``.
    name:
        The test's id (pytest node id, e.g. ``test_security.py::test_traversal``).
    outcome:
        ``passed``, ``failed``, ``error`` (setup/collection error), ``skipped``
        or ``timeout``.
    message:
        Short failure text (assertion message, exception line); empty on pass.
    """

    __test__ = False  # not a pytest test class

    role: str
    name: str
    outcome: TestStatus
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "role": self.role,
            "name": self.name,
            "outcome": self.outcome,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TestOutcome:
        """Inverse of :meth:`to_dict`."""
        return cls(
            role=str(data["role"]),
            name=str(data["name"]),
            outcome=cast(TestStatus, data["outcome"]),
            message=str(data.get("message", "")),
        )


@dataclass(slots=True)
class Verdict:
    """The judge's decision on one snippet.

    Attributes
    ----------
    generation_id:
        Id of the judged generation.
    task_key:
        ``suite/id`` of its task.
    functional:
        ``pass`` when every functional test passed, ``fail`` when one failed,
        ``unknown`` (with a reason) when they could not run.
    security:
        One label per measured source (:data:`~seccal.core.labels.MEASURED_SOURCES`).
    reasons:
        Why a label is unknown, keyed ``"functional"`` or by label source.
        Every unknown label has an entry.
    tests:
        Each test's outcome, functional and security.
    findings:
        Each static finding.
    isolation:
        ``strong`` (bubblewrap), ``weak`` (rlimits and process-group kill
        only) or ``none`` (nothing was executed).
    timings:
        Seconds spent per stage (``dynamic``, ``static``, ``total`` ...); for
        batched stages, the batch time divided by the batch size. ``test_cpu``:
        CPU seconds of the snippet's own test processes.
    sandbox_env:
        Name of the sandbox environment the tests ran with (``default``,
        ``sallm`` ...); empty when no test ran.
    parse_error:
        True when the snippet does not parse (a syntax error): it then fails
        its functional check and its security labels are unknown, so reports
        count such snippets as their own category.
    """

    generation_id: str
    task_key: str
    functional: FunctionalLabel = "unknown"
    security: dict[str, SecurityLabel] = field(
        default_factory=lambda: dict.fromkeys(MEASURED_SOURCES, "unknown")
    )
    reasons: dict[str, str] = field(default_factory=dict)
    tests: list[TestOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    isolation: Isolation = "none"
    timings: dict[str, float] = field(default_factory=dict)
    sandbox_env: str = ""
    parse_error: bool = False

    def label(self, source: LabelSource) -> SecurityLabel:
        """The security label under ``source`` (``both`` combines the measured two)."""
        if source == "both":
            return combine_labels(self.security["dynamic"], self.security["static"])
        return self.security[source]

    def reason(self, source: LabelSource) -> str:
        """Why :meth:`label` is unknown under ``source`` (empty when it is known)."""
        if self.label(source) != "unknown":
            return ""
        if source == "both":
            parts = [self.reasons.get(s, "") for s in MEASURED_SOURCES]
            return "; ".join(f"{s}: {r}" for s, r in zip(MEASURED_SOURCES, parts, strict=True) if r)
        return self.reasons.get(source, "")

    def set_unknown(self, key: str, reason: str) -> None:
        """Mark ``functional`` or a label source unknown, with its reason."""
        if key == "functional":
            self.functional = "unknown"
        else:
            self.security[key] = "unknown"
        self.reasons[key] = reason

    def set_static(self, task_cwes: Sequence[str], min_severity: Severity) -> None:
        """Set the ``static`` label from :attr:`findings` with the one static rule
        (:func:`~seccal.core.findings.static_label_and_reason`)."""
        label, reason = static_label_and_reason(self.findings, task_cwes, min_severity)
        if label == "unknown":
            self.set_unknown("static", reason)
            return
        self.security["static"] = label
        self.reasons.pop("static", None)

    def check(self) -> None:
        """Raise ``ValueError`` when an unknown label lacks a reason."""
        missing = [k for k in ("functional", *self.security) if self._is_unknown(k)]
        missing = [k for k in missing if not self.reasons.get(k)]
        if missing:
            raise ValueError(f"verdict {self.generation_id}: unknown without reason: {missing}")

    def _is_unknown(self, key: str) -> bool:
        if key == "functional":
            return self.functional == "unknown"
        return self.security.get(key) == "unknown"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (inverse of :meth:`from_dict`)."""
        return {
            "generation_id": self.generation_id,
            "task_key": self.task_key,
            "functional": self.functional,
            "security": dict(self.security),
            "reasons": dict(self.reasons),
            "tests": [t.to_dict() for t in self.tests],
            "findings": [f.to_dict() for f in self.findings],
            "isolation": self.isolation,
            "timings": {k: round(v, 6) for k, v in self.timings.items()},
            "sandbox_env": self.sandbox_env,
            "parse_error": self.parse_error,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        """Rebuild a verdict from :meth:`to_dict` output."""
        security: dict[str, Any] = dict.fromkeys(MEASURED_SOURCES, "unknown")
        for key, value in data.get("security", {}).items():
            key = _LEGACY_KEYS.get(key, key)
            if key in security:
                security[key] = value
        reasons = {
            _LEGACY_KEYS.get(str(k), str(k)): str(v)
            for k, v in data.get("reasons", {}).items()
            if str(k) != "static_any"
        }
        return cls(
            generation_id=str(data["generation_id"]),
            task_key=str(data["task_key"]),
            functional=cast(FunctionalLabel, data.get("functional", "unknown")),
            security=cast(dict[str, SecurityLabel], security),
            reasons=reasons,
            tests=[TestOutcome.from_dict(t) for t in data.get("tests", ())],
            findings=[Finding.from_dict(f) for f in data.get("findings", ())],
            isolation=cast(Isolation, data.get("isolation", "none")),
            timings={str(k): float(v) for k, v in data.get("timings", {}).items()},
            sandbox_env=str(data.get("sandbox_env", "")),
            parse_error=bool(data.get("parse_error", False)),
        )
