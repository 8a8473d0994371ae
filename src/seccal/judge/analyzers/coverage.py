"""Which CWEs seccal's static analysis can see, per language: rule counts and blind spots.

A rule *covers* a task CWE when a finding of that rule would make the task's static
label ``vulnerable`` (:func:`seccal.core.findings.cwe_matches`: the same CWE or one of
its family). A CWE that no static rule can honestly decide is listed in
:data:`seccal.core.findings.STATIC_BLIND` with the reason; a task about only such CWEs
gets an ``unknown`` static label with that reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from seccal.core.findings import STATIC_BLIND, cwe_matches
from seccal.judge.analyzers.base import normalize_cwe
from seccal.judge.analyzers.semgrep import default_rules, load_rule_file


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One Semgrep rule of ours: id, CWE and the languages it applies to."""

    rule_id: str
    cwe: str
    languages: frozenset[str]


@cache
def _pack_rules(paths: tuple[Path, ...]) -> tuple[RuleInfo, ...]:
    out = []
    for path in paths:
        for rule in load_rule_file(path):
            meta = rule.get("metadata") or {}
            langs = frozenset(str(x) for x in rule.get("languages", ()))
            out.append(RuleInfo(str(rule["id"]), normalize_cwe(meta.get("cwe", "")), langs))
    return tuple(out)


def shipped_rules() -> tuple[RuleInfo, ...]:
    """Every rule of the shipped packs."""
    return _pack_rules(default_rules())


def rules_for(cwe: str, language: str, rules: Sequence[RuleInfo] | None = None) -> list[str]:
    """Ids of the rules for ``language`` whose findings count for a task about ``cwe``."""
    want = frozenset({cwe.upper()})
    pool = shipped_rules() if rules is None else rules
    return [
        r.rule_id for r in pool if language in r.languages and r.cwe and cwe_matches(r.cwe, want)
    ]


def coverage(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """Rules per ``(language, cwe)`` pair (an empty list: no rule sees it)."""
    return {(lang, cwe): rules_for(cwe, lang) for lang, cwe in sorted(set(pairs))}


def uncovered(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs with no rule and no reason in :data:`STATIC_BLIND`."""
    return [
        pair for pair, ids in coverage(pairs).items() if not ids and pair[1] not in STATIC_BLIND
    ]
