"""Every CWE of the built-in suite, SALLM and CWEval has a rule of ours, or a stated reason."""

from __future__ import annotations

import pytest

from seccal.core.findings import STATIC_BLIND
from seccal.errors import ConfigError
from seccal.judge.analyzers.coverage import RuleInfo, coverage, rules_for, shipped_rules, uncovered
from seccal.tasks.registry import load_suite

SUITES = ("builtin", "sallm", "cweval", "cweval-c", "cweval-cpp", "cweval-go", "cweval-js")


def _pairs(suite: str) -> list[tuple[str, str]]:
    try:
        tasks = load_suite(suite)
    except ConfigError as exc:  # benchmark data not on this machine
        pytest.skip(f"{suite}: {exc}")
    return [(t.language, cwe.upper()) for t in tasks for cwe in t.cwes]


@pytest.mark.parametrize("suite", SUITES)
def test_every_cwe_of_the_suite_has_a_rule_or_a_reason(suite: str) -> None:
    pairs = _pairs(suite)
    assert pairs
    assert uncovered(pairs) == [], "write a rule (with examples) or explain in STATIC_BLIND"


def test_blind_cwes_are_few_and_explained() -> None:
    assert set(STATIC_BLIND) == {"CWE-200", "CWE-252"}
    assert all(
        reason.startswith(f"static analysis cannot see {cwe}")
        for cwe, reason in STATIC_BLIND.items()
    )
    # a blind CWE has no rule of ours (else it is not blind)
    for cwe in STATIC_BLIND:
        assert not any(rules_for(cwe, lang) for lang in ("python", "c", "cpp", "go", "javascript"))


def test_rules_count_for_their_family_and_their_languages_only() -> None:
    rules = (
        RuleInfo("a", "CWE-89", frozenset({"python"})),
        RuleInfo("b", "CWE-95", frozenset({"python"})),
        RuleInfo("c", "CWE-89", frozenset({"go"})),
    )
    assert rules_for("CWE-89", "python", rules) == ["a"]
    assert rules_for("CWE-94", "python", rules) == ["b"]  # eval injection is code injection
    assert rules_for("CWE-89", "javascript", rules) == []
    assert coverage([("go", "CWE-295")])[("go", "CWE-295")] == [
        "seccal.go.tls-insecure-skip-verify"
    ]
    assert len(shipped_rules()) >= 150
