"""The judge's verdict on one generated snippet, with its evidence.

A :class:`Verdict` says whether a snippet works (``functional``) and whether it
is secure according to each *label source*:

``dynamic``
    the task's security tests (exploits) run against the snippet;
``static_cwe``
    a static finding (at or above the configured severity) whose CWE is one of
    the task's CWEs, or a close relative (``labels.CWE_FAMILIES``), makes it
    vulnerable;
``static_any``
    any static finding at or above the configured severity makes it vulnerable.

Every ``unknown`` carries a reason in :attr:`Verdict.reasons` under the same
key (``"functional"`` or the label source), so a number built on verdicts can
always say what it left out and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

FunctionalLabel = Literal["pass", "fail", "unknown"]
SecurityLabel = Literal["secure", "vulnerable", "unknown"]
LabelSource = Literal["dynamic", "static_cwe", "static_any"]
Isolation = Literal["strong", "weak", "none"]
TestStatus = Literal["passed", "failed", "error", "skipped", "timeout"]
Severity = Literal["low", "medium", "high"]

LABEL_SOURCES: tuple[LabelSource, ...] = ("dynamic", "static_cwe", "static_any")
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


@dataclass(frozen=True, slots=True)
class Finding:
    """One static-analysis finding.

    Attributes
    ----------
    analyzer:
        ``bandit``, ``semgrep``, ``codeql`` (SARIF import), ...
    rule_id:
        The analyzer's rule id, e.g. ``B608`` or ``seccal.python.sqli-fstring``.
    cwe:
        ``"CWE-89"`` style id, or ``""`` when the analyzer gave none.
    line:
        1-based line in the analysed file (0 when unknown).
    message:
        The analyzer's message.
    severity:
        ``low``, ``medium`` or ``high``.
    """

    analyzer: str
    rule_id: str
    cwe: str
    line: int
    message: str
    severity: Severity = "medium"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "analyzer": self.analyzer,
            "rule_id": self.rule_id,
            "cwe": self.cwe,
            "line": self.line,
            "message": self.message,
            "severity": self.severity,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Inverse of :meth:`to_dict`."""
        return cls(
            analyzer=str(data["analyzer"]),
            rule_id=str(data["rule_id"]),
            cwe=str(data.get("cwe", "")),
            line=int(data.get("line", 0)),
            message=str(data.get("message", "")),
            severity=cast(Severity, data.get("severity", "medium")),
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
        One label per source in :data:`LABEL_SOURCES`.
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
        batched stages, the batch time divided by the batch size.
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
        default_factory=lambda: dict.fromkeys(LABEL_SOURCES, "unknown")
    )
    reasons: dict[str, str] = field(default_factory=dict)
    tests: list[TestOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    isolation: Isolation = "none"
    timings: dict[str, float] = field(default_factory=dict)
    sandbox_env: str = ""
    parse_error: bool = False

    def set_unknown(self, key: str, reason: str) -> None:
        """Mark ``functional`` or a label source unknown, with its reason."""
        if key == "functional":
            self.functional = "unknown"
        else:
            self.security[key] = "unknown"
        self.reasons[key] = reason

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
        security = dict.fromkeys(LABEL_SOURCES, "unknown")
        security.update(data.get("security", {}))
        return cls(
            generation_id=str(data["generation_id"]),
            task_key=str(data["task_key"]),
            functional=cast(FunctionalLabel, data.get("functional", "unknown")),
            security=cast(dict[str, SecurityLabel], security),
            reasons={str(k): str(v) for k, v in data.get("reasons", {}).items()},
            tests=[TestOutcome.from_dict(t) for t in data.get("tests", ())],
            findings=[Finding.from_dict(f) for f in data.get("findings", ())],
            isolation=cast(Isolation, data.get("isolation", "none")),
            timings={str(k): float(v) for k, v in data.get("timings", {}).items()},
            sandbox_env=str(data.get("sandbox_env", "")),
            parse_error=bool(data.get("parse_error", False)),
        )
