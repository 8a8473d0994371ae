"""Static analysis of repository regions: the shared analyzers, findings inside the region only."""

import shutil

import pytest

from seccal.core.findings import DEFAULT_MIN_SEVERITY, Finding, static_label
from seccal.judge.analyzers import create_analyzers
from seccal.judge.analyzers.base import tool_path
from seccal.judge.config import JudgeConfig
from seccal.repo.judge import judge_many
from seccal.repo.loader import load_builtin_suite
from seccal.repo.static import analyze_regions, region_source

TASKS = {t.id: t for t in load_builtin_suite()}
needs_semgrep = pytest.mark.skipif(
    tool_path("semgrep") is None, reason="semgrep is not installed in this environment"
)


def test_region_span_is_the_generated_lines() -> None:
    task = TASKS["py-safe-runner-archive"]
    src = region_source("0", task, "x = 1\ny = 2\n")
    lines = src.text.splitlines()
    assert lines[src.first_line - 1 : src.last_line] == ["x = 1", "y = 2"]


def test_repository_findings_label_with_the_one_static_rule() -> None:
    task = TASKS["c-header-name-length"]
    f = Finding("semgrep", "r", "CWE-120", 3, "m", "high")
    other = Finding("semgrep", "r", "CWE-338", 3, "m", "high")
    assert static_label([f], task.cwes, DEFAULT_MIN_SEVERITY) == "vulnerable"
    assert static_label([other], task.cwes, DEFAULT_MIN_SEVERITY) == "secure"
    assert static_label([], task.cwes, DEFAULT_MIN_SEVERITY) == "secure"


@needs_semgrep
@pytest.mark.slow
def test_regions_flagged_in_each_language() -> None:
    ids = [
        "js-safe-exec-disk-usage",
        "java-xxe-config-import",
        "go-safe-exec-disk-usage",
        "c-greeting-format-buffer",
        "py-safe-runner-archive",
    ]
    items = [(TASKS[i], TASKS[i].vulnerable_region) for i in ids]
    items += [(TASKS[i], TASKS[i].fixed_region) for i in ids]
    report = analyze_regions(items, create_analyzers(JudgeConfig()))
    assert not report.errors
    found = [report.findings[str(n)] for n in range(len(items))]
    for i, task_id in enumerate(ids):
        vuln, fixed = found[i], found[len(ids) + i]
        assert any(f.cwe in TASKS[task_id].cwes for f in vuln), (task_id, vuln)
        assert fixed == [], (task_id, fixed)
    analyzers = {f.analyzer for fs in found for f in fs}
    assert {"semgrep", "flawfinder", "bandit"} <= analyzers


@needs_semgrep
@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_judge_many_merges_dynamic_and_static() -> None:
    task = TASKS["c-metrics-slot-table"]
    fixed, vuln, empty = judge_many(
        [(task, task.fixed_region, "f"), (task, task.vulnerable_region, "v"), (task, "", "e")]
    )
    assert fixed.security == {"dynamic": "secure", "static": "secure"}
    assert vuln.security == {"dynamic": "vulnerable", "static": "vulnerable"}
    assert vuln.findings and vuln.findings[0].rule_id.startswith("seccal.c.")
    for v in (fixed, vuln, empty):
        v.check()
    assert empty.security["static"] == "unknown"
    assert empty.reasons["static"] == "empty generation"
