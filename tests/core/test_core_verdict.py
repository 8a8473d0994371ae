"""Verdict, TestOutcome and Finding: round trips and the unknown-needs-a-reason rule."""

from __future__ import annotations

import json

import pytest

from seccal.core.findings import Finding
from seccal.core.labels import LABEL_SOURCES, MEASURED_SOURCES
from seccal.core.verdict import TestOutcome, Verdict


def _verdict() -> Verdict:
    v = Verdict(generation_id="g1", task_key="builtin/sqli")
    v.functional = "pass"
    v.security.update(dynamic="vulnerable")
    v.set_unknown("static", "static analyzer failed: semgrep: boom")
    v.tests.append(TestOutcome("security", "test_s.py::test_dump", "failed", "assert 3 == 1"))
    v.findings.append(Finding("bandit", "B608", "CWE-89", 4, "SQL string", "medium"))
    v.isolation = "strong"
    v.timings.update(dynamic=0.1234567891, total=0.2)
    return v


def test_round_trip_through_json() -> None:
    v = _verdict()
    back = Verdict.from_dict(json.loads(json.dumps(v.to_dict())))
    assert back.to_dict() == v.to_dict()
    assert back.tests[0].outcome == "failed" and back.findings[0].cwe == "CWE-89"
    assert back.timings["dynamic"] == pytest.approx(0.123457)
    assert back.parse_error is False
    v.parse_error = True
    assert Verdict.from_dict(json.loads(json.dumps(v.to_dict()))).parse_error is True


def test_default_labels_are_unknown_for_every_source() -> None:
    v = Verdict("g", "s/t")
    assert v.functional == "unknown"
    assert set(v.security) == set(MEASURED_SOURCES)
    assert set(v.security.values()) == {"unknown"}
    assert {v.label(s) for s in LABEL_SOURCES} == {"unknown"}


def test_check_requires_reason_for_each_unknown() -> None:
    v = _verdict()
    v.check()
    v.security["dynamic"] = "unknown"
    with pytest.raises(ValueError, match="dynamic"):
        v.check()


def test_from_dict_fills_missing_sources() -> None:
    v = Verdict.from_dict(
        {"generation_id": "g", "task_key": "s/t", "security": {"dynamic": "secure"}}
    )
    assert v.security == {"dynamic": "secure", "static": "unknown"}


def test_label_speaks_every_label_source() -> None:
    v = Verdict("g", "s/t", security={"dynamic": "secure", "static": "vulnerable"})
    assert [v.label(s) for s in LABEL_SOURCES] == ["secure", "vulnerable", "vulnerable"]
    v.set_unknown("dynamic", "timeout: 10 s")
    assert v.label("both") == "unknown"
    assert v.reason("both") == "dynamic: timeout: 10 s"
    assert v.reason("static") == ""


def test_verdicts_of_schema_1_read_in_the_one_vocabulary() -> None:
    old = {
        "generation_id": "g",
        "task_key": "s/t",
        "security": {"dynamic": "secure", "static_cwe": "vulnerable", "static_any": "vulnerable"},
        "reasons": {"static_any": "x"},
    }
    v = Verdict.from_dict(old)
    assert v.security == {"dynamic": "secure", "static": "vulnerable"}
    assert v.reasons == {}


def test_set_static_uses_the_one_rule_and_says_when_no_rule_can_see_the_cwe() -> None:
    v = Verdict(generation_id="g", task_key="s/t")
    v.findings.append(Finding("semgrep", "r", "CWE-89", 3, "sql", "high"))
    v.set_unknown("static", "static analysis not requested")
    v.set_static(["CWE-89"], "medium")
    assert v.security["static"] == "vulnerable" and "static" not in v.reasons
    v.set_static(["CWE-89"], "high")
    assert v.security["static"] == "vulnerable"
    blind = Verdict(generation_id="b", task_key="s/t")
    blind.set_static(["CWE-252"], "medium")
    assert blind.security["static"] == "unknown"
    assert blind.reasons["static"].startswith("static analysis cannot see CWE-252")
