"""Each real analyzer wrapper: findings with CWE and severity, and a clear error when it cannot run."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from seccal.errors import ConfigError
from seccal.judge.analyzers import (
    AnalyzerError,
    Source,
    analyze_sources,
    analyzer_names,
    create_analyzer,
    create_analyzers,
)
from seccal.judge.analyzers.bandit import Bandit
from seccal.judge.analyzers.base import tool_path
from seccal.judge.analyzers.semgrep import Semgrep, default_rules, load_rule_file, rule_ids
from seccal.judge.config import JudgeConfig

SQLI = "def f(cur, n):\n    cur.execute(\"SELECT * FROM t WHERE n = '%s'\" % n)\n"
CMD = "import os\ndef f(h):\n    os.system('ping ' + h)\n"
CLEAN = "def add(a, b):\n    return a + b\n"
C_BAD = "#include <stdio.h>\n#include <string.h>\nvoid f(char *s) { char b[8]; strcpy(b, s); gets(b); }\n"
C_CLEAN = "int add(int a, int b) { return a + b; }\n"
needs = {
    tool: pytest.mark.skipif(tool_path(tool) is None, reason=f"{tool} is not installed")
    for tool in ("semgrep", "cppcheck", "flawfinder")
}


def _py_sources() -> list[Source]:
    return [
        Source("a", "solution.py", SQLI),
        Source("b", "solution.py", CMD),
        Source("c", "solution.py", CLEAN),
    ]


def test_registry_names_every_shipped_analyzer_and_rejects_others() -> None:
    assert {"bandit", "semgrep", "cppcheck", "flawfinder"} <= set(analyzer_names())
    assert [a.name for a in create_analyzers(JudgeConfig())] == list(JudgeConfig().analyzers)
    with pytest.raises(ConfigError, match="unknown static analyzer 'nope'"):
        create_analyzer("nope", JudgeConfig())


def test_bandit_findings_carry_cwes() -> None:
    report = analyze_sources(_py_sources(), [Bandit()])
    assert not report.errors
    assert "CWE-89" in {f.cwe for f in report.findings["a"]}
    assert "CWE-78" in {f.cwe for f in report.findings["b"]}
    assert report.findings["c"] == []
    assert all(f.analyzer == "bandit" and f.line > 0 for f in report.findings["a"])


def test_bandit_that_cannot_start_says_so(tmp_path: Path) -> None:
    report = analyze_sources(_py_sources(), [Bandit(python=str(tmp_path / "no-python"))])
    assert "bandit could not start" in report.error_for("a") and report.findings["a"] == []


@needs["semgrep"]
def test_semgrep_reports_our_rule_ids_with_cwes() -> None:
    report = analyze_sources(_py_sources(), [Semgrep()])
    assert not report.errors
    assert [f.rule_id for f in report.findings["a"]] == ["seccal.python.sqli-formatted-query"]
    assert report.findings["b"][0].cwe == "CWE-78" and report.findings["b"][0].severity == "high"
    assert report.findings["c"] == []


@needs["semgrep"]
def test_semgrep_in_one_process_finds_what_one_per_core_finds() -> None:
    # the judge's default (one process: its sandbox workers keep the cores busy)
    one = analyze_sources(_py_sources(), [Semgrep(JudgeConfig())])
    every = analyze_sources(_py_sources(), [Semgrep(JudgeConfig(semgrep_jobs=0))])
    assert not one.errors and not every.errors
    assert one.findings == every.findings and one.findings["a"]


def test_semgrep_rule_files_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("not: [rules\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml: not a readable Semgrep rule file"):
        rule_ids([bad])
    hostile = tmp_path / "hostile.yaml"  # a safe loader builds no Python objects
    hostile.write_text("rules: !!python/object/apply:os.system ['touch pwned']\n")
    with pytest.raises(ConfigError, match=r"hostile\.yaml: not a readable Semgrep rule file"):
        rule_ids([hostile])
    not_rules = tmp_path / "list.yaml"
    not_rules.write_text("- id: x\n")
    with pytest.raises(ConfigError, match=r"list\.yaml: no 'rules' list"):
        rule_ids([not_rules])


def test_rule_files_load_as_pyyaml_safe_load_reads_them() -> None:
    files = [f for p in default_rules() for f in (sorted(p.glob("*.y*ml")) if p.is_dir() else [p])]
    assert len(files) >= 5
    for file in files:
        assert load_rule_file(file) == yaml.safe_load(file.read_text(encoding="utf-8"))["rules"]


def test_missing_tool_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    cpp = create_analyzer("cppcheck", JudgeConfig())
    if tool_path("cppcheck") is None:
        with pytest.raises(AnalyzerError, match="cppcheck is not installed"):
            cpp.scan([Path("x.c")])


@needs["cppcheck"]
@needs["flawfinder"]
def test_c_analyzers_find_unbounded_copies_and_spare_clean_code() -> None:
    analyzers = [create_analyzer(n, JudgeConfig()) for n in ("cppcheck", "flawfinder")]
    report = analyze_sources([Source("bad", "m.c", C_BAD), Source("ok", "m.c", C_CLEAN)], analyzers)
    assert not report.errors
    by = {(f.analyzer, f.rule_id): f for f in report.findings["bad"]}
    assert by[("flawfinder", "strcpy")].cwe == "CWE-120"
    assert by[("flawfinder", "gets")].severity == "high"
    assert ("cppcheck", "getsCalled") in by
    assert report.findings["ok"] == []
