"""Verdict, TestOutcome and Finding: round trips and the unknown-needs-a-reason rule."""

from __future__ import annotations

import json

import pytest

from seccal.judge.verdict import LABEL_SOURCES, Finding, TestOutcome, Verdict


def _verdict() -> Verdict:
    v = Verdict(generation_id="g1", task_key="builtin/sqli")
    v.functional = "pass"
    v.security.update(dynamic="vulnerable", static_cwe="vulnerable")
    v.set_unknown("static_any", "static analyzer failed: semgrep: boom")
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
    assert set(v.security) == set(LABEL_SOURCES)
    assert set(v.security.values()) == {"unknown"}


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
    assert v.security == {"dynamic": "secure", "static_cwe": "unknown", "static_any": "unknown"}
