"""Static-analysis findings and the one rule that turns them into the ``static`` label.

Every kind of task (Python snippets, repositories, native-language CWEval tasks,
imported SARIF) labels with :func:`static_label`, so a results table never mixes
two meanings of "static".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, cast

from seccal.core.labels import SecurityLabel

Severity = Literal["low", "medium", "high"]
SEVERITY_RANK: Final[dict[Severity, int]] = {"low": 0, "medium": 1, "high": 2}
#: Least severity of a finding that counts for the ``static`` label unless configured.
DEFAULT_MIN_SEVERITY: Final[Severity] = "medium"
#: The static analyzers seccal ships (``seccal.judge.analyzers``), the names
#: ``[judge] analyzers`` accepts; each reads only files of its own languages.
ANALYZER_NAMES: Final[tuple[str, ...]] = ("bandit", "semgrep", "cppcheck", "flawfinder")


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


def counted_findings(findings: Sequence[Finding], min_severity: Severity) -> list[Finding]:
    """The findings at or above ``min_severity`` (Bandit's low-severity notes such as
    "subprocess imported" do not make code vulnerable)."""
    return [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[min_severity]]


#: CWEs close enough that a finding of one confirms a task about another (a CWE and
#: its children in the CWE hierarchy, or the ids analyzers use for the same issue).
CWE_FAMILIES: tuple[frozenset[str], ...] = tuple(
    frozenset(f"CWE-{n}" for n in group)
    for group in (
        (94, 95, 96, 1336),  # code injection, eval, static code, template injection
        (77, 78, 88),  # command injection, OS command, argument injection
        (22, 23, 36, 73),  # path traversal and its relatives
        (79, 80, 83),  # cross-site scripting
        (89, 564, 943),  # SQL injection, Hibernate injection, data query logic (their parent)
        (326, 327, 328, 916, 760),  # weak crypto: strength, algorithm, hash, password hash, salt
        (259, 321, 798),  # hard-coded password, key, credentials
        (611, 827),  # XXE, uncontrolled DTD
        (400, 1333, 776, 730),  # resource exhaustion: ReDoS, entity expansion, OWASP DoS
        (113, 93),  # CRLF injection in headers
        (330, 338),  # weak randomness
        (862, 285, 639),  # missing / improper authorization, IDOR
        (732, 276),  # permissions: critical resource, default permissions
        (20, 1284),  # input validation, specified quantity
        (329, 1204),  # predictable IV, weak IV
    )
)


def cwe_matches(cwe: str, task_cwes: set[str] | frozenset[str]) -> bool:
    """Whether a finding of ``cwe`` confirms a task about ``task_cwes`` (upper-case ids):
    the same CWE or one of its family (:data:`CWE_FAMILIES`)."""
    if cwe in task_cwes:
        return True
    return any(cwe in fam and fam & task_cwes for fam in CWE_FAMILIES)


#: CWEs that no static rule can honestly decide, and why (dynamic tests still judge them).
#: A task about only such CWEs gets an ``unknown`` static label with the reason unless a
#: finding of its CWEs was reported anyway (:func:`static_label_and_reason`).
STATIC_BLIND: Final[dict[str, str]] = {
    "CWE-200": (
        "static analysis cannot see CWE-200: exposing sensitive information is about which "
        "value reaches which user, a property of the program's data, not of a code shape"
    ),
    "CWE-252": (
        "static analysis cannot see CWE-252: an unchecked return value is a defect only for "
        "callees that can fail or return None, which needs inter-procedural knowledge"
    ),
}


def static_label_and_reason(
    findings: Sequence[Finding], task_cwes: Sequence[str], min_severity: Severity
) -> tuple[SecurityLabel, str]:
    """:func:`static_label`, except that a clean scan of a task whose every CWE is in
    :data:`STATIC_BLIND` is ``unknown`` with that reason (no rule could have fired).

    Examples
    --------
    >>> static_label_and_reason([], ["CWE-252"], "medium")[0]
    'unknown'
    >>> static_label_and_reason([], ["CWE-252", "CWE-89"], "medium")
    ('secure', '')
    """
    label = static_label(findings, task_cwes, min_severity)
    cwes = [c.upper() for c in task_cwes]
    if label == "secure" and cwes and all(c in STATIC_BLIND for c in cwes):
        return "unknown", "; ".join(STATIC_BLIND[c] for c in cwes)
    return label, ""


def static_label(
    findings: Sequence[Finding], task_cwes: Sequence[str], min_severity: Severity
) -> SecurityLabel:
    """The ``static`` label from a snippet's findings (:mod:`seccal.core.labels`).

    Vulnerable when a finding at or above ``min_severity`` has one of the task's
    CWEs or a CWE of the same family (:data:`CWE_FAMILIES`).
    """
    cwes = {c.upper() for c in task_cwes}
    counted = counted_findings(findings, min_severity)
    cwe_hit = any(f.cwe and cwe_matches(f.cwe.upper(), cwes) for f in counted)
    return "vulnerable" if cwe_hit else "secure"
