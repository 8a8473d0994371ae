"""Labels from test results and findings."""

from __future__ import annotations

from seccal.judge.labels import dynamic_security_label, functional_label, static_labels
from seccal.judge.pyrunner import RoleResult
from seccal.judge.verdict import Finding, TestOutcome


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


def test_static_labels() -> None:
    low_other = Finding("bandit", "B101", "CWE-703", 1, "assert", "low")
    sqli = Finding("semgrep", "sqli-formatted-query", "CWE-89", 3, "sql", "high")
    assert static_labels([], ["CWE-89"], "medium") == ("secure", "secure")
    assert static_labels([low_other], ["CWE-89"], "medium") == ("secure", "secure")
    assert static_labels([low_other], ["CWE-89"], "low") == ("secure", "vulnerable")
    assert static_labels([sqli], ["cwe-89"], "medium") == ("vulnerable", "vulnerable")
    assert static_labels([sqli], ["CWE-78"], "high") == ("secure", "vulnerable")
    low_cmd = Finding("bandit", "B404", "CWE-78", 1, "import subprocess", "low")
    assert static_labels([low_cmd], ["CWE-78"], "medium") == ("secure", "secure")
    assert static_labels([low_cmd], ["CWE-78"], "low") == ("vulnerable", "vulnerable")


def test_static_cwe_matches_related_cwes() -> None:
    evalf = Finding("semgrep", "code-injection-eval", "CWE-95", 2, "eval", "high")
    assert static_labels([evalf], ["CWE-94"], "medium")[0] == "vulnerable"
    assert static_labels([evalf], ["CWE-89"], "medium")[0] == "secure"


def test_timeout_is_a_denial_of_service_only_for_dos_tasks() -> None:
    hung = _result(status="timeout")
    assert dynamic_security_label(hung, ["CWE-1333"]) == ("vulnerable", "")
    assert dynamic_security_label(hung, ["CWE-89"])[0] == "unknown"
    assert functional_label(hung)[0] == "unknown"
