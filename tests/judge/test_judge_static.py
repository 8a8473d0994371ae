"""Bandit and Semgrep over many files in one call each, findings mapped back to snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from seccal.judge.static import Bandit, Semgrep, _semgrep_exe, analyze, normalize_cwe

SQLI = "def f(cur, n):\n    cur.execute(\"SELECT * FROM t WHERE n = '%s'\" % n)\n"
CMD = "import os\ndef f(h):\n    os.system('ping ' + h)\n"
CLEAN = "def add(a, b):\n    return a + b\n"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (89, "CWE-89"),
        ("CWE-89: SQL Injection", "CWE-89"),
        (["CWE-078: OS Command"], "CWE-78"),
        ({"id": 502, "link": "x"}, "CWE-502"),
        ("22", "CWE-22"),
        ("", ""),
        (0, ""),
        ("none", ""),
    ],
)
def test_normalize_cwe(raw: object, want: str) -> None:
    assert normalize_cwe(raw) == want


def _files(tmp_path: Path) -> dict[str, Path]:
    files = {}
    for key, code in (("a", SQLI), ("b", CMD), ("c", CLEAN)):
        path = tmp_path / key / "solution.py"  # the same file name in every snippet dir
        path.parent.mkdir()
        path.write_text(code)
        files[key] = path
    return files


def test_bandit_findings_carry_cwes(tmp_path: Path) -> None:
    report = analyze(_files(tmp_path), [Bandit()])
    assert not report.errors
    assert "CWE-89" in {f.cwe for f in report.findings["a"]}
    assert "CWE-78" in {f.cwe for f in report.findings["b"]}
    assert report.findings["c"] == []
    assert all(f.analyzer == "bandit" and f.line > 0 for f in report.findings["a"])


def test_semgrep_findings_mapped_to_snippets(tmp_path: Path) -> None:
    if _semgrep_exe() is None:
        pytest.skip("semgrep not installed")
    report = analyze(_files(tmp_path), [Semgrep()])
    assert not report.errors
    assert [f.rule_id for f in report.findings["a"]] == ["sqli-formatted-query"]
    assert report.findings["b"][0].cwe == "CWE-78"
    assert report.findings["c"] == []


def test_failing_analyzer_is_reported_not_raised(tmp_path: Path) -> None:
    bad = Bandit(python=str(tmp_path / "no-such-python"))
    report = analyze(_files(tmp_path), [bad])
    assert "bandit" in report.errors and report.findings["a"] == []


def test_empty_input_runs_nothing() -> None:
    report = analyze({}, [Bandit(python="/nonexistent")])
    assert report.findings == {} and report.errors == {}
