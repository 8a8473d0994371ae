"""Labels from test results and findings."""

from __future__ import annotations

from seccal.core.findings import Finding, counted_findings, static_label
from seccal.core.verdict import TestOutcome
from seccal.judge.labels import dynamic_security_label, functional_label
from seccal.judge.pyrunner import RoleResult


def _result(*outcomes: str, status: str = "ok") -> RoleResult:
    tests = [TestOutcome("r", f"t{i}", o) for i, o in enumerate(outcomes)]  # type: ignore[arg-type]
    return RoleResult("r", status, tests, message="why")  # type: ignore[arg-type]


def test_functional_label() -> None:
    assert functional_label(_result("passed", "passed")) == ("pass", "")
    assert functional_label(_result("passed", "failed"))[0] == "fail"
    assert functional_label(_result("error"))[0] == "fail"  # e.g. the module fails to import
    assert functional_label(_result("passed", "skipped")) == ("pass", "")
    label, reason = functional_label(_result("skipped"))
    assert label == "unknown" and "no functional test ran" in reason
    label, reason = functional_label(_result(status="timeout"))
    assert label == "unknown" and reason.startswith("timeout")
    label, reason = functional_label(_result(status="missing"))
    assert label == "unknown" and reason.startswith("harness crash")


def test_dynamic_security_label() -> None:
    assert dynamic_security_label(_result("passed")) == ("secure", "")
    assert dynamic_security_label(_result("passed", "failed"))[0] == "vulnerable"
    label, reason = dynamic_security_label(_result("passed", "error"))
    assert label == "unknown" and "could not run" in reason
    assert dynamic_security_label(_result(status="crash"))[0] == "unknown"
    assert dynamic_security_label(_result())[0] == "unknown"


def test_static_label_counts_findings_at_or_above_the_severity() -> None:
    low_other = Finding("bandit", "B101", "CWE-703", 1, "assert", "low")
    sqli = Finding("semgrep", "seccal.python.sqli-formatted-query", "CWE-89", 3, "sql", "high")
    assert static_label([], ["CWE-89"], "medium") == "secure"
    assert static_label([low_other], ["CWE-89"], "low") == "secure"  # not the task's CWE
    assert static_label([sqli], ["cwe-89"], "medium") == "vulnerable"
    assert static_label([sqli], ["CWE-78"], "high") == "secure"
    low_cmd = Finding("bandit", "B404", "CWE-78", 1, "import subprocess", "low")
    assert static_label([low_cmd], ["CWE-78"], "medium") == "secure"
    assert static_label([low_cmd], ["CWE-78"], "low") == "vulnerable"
    assert counted_findings([low_other, sqli, low_cmd], "medium") == [sqli]
    assert len(counted_findings([low_other, sqli, low_cmd], "low")) == 3


def test_static_label_matches_related_cwes() -> None:
    evalf = Finding("semgrep", "code-injection-eval", "CWE-95", 2, "eval", "high")
    assert static_label([evalf], ["CWE-94"], "medium") == "vulnerable"
    assert static_label([evalf], ["CWE-89"], "medium") == "secure"


def test_timeout_is_a_denial_of_service_only_for_dos_tasks() -> None:
    hung = _result(status="timeout")
    assert dynamic_security_label(hung, ["CWE-1333"]) == ("vulnerable", "")
    assert dynamic_security_label(hung, ["CWE-89"])[0] == "unknown"
    assert functional_label(hung)[0] == "unknown"
