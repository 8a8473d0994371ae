"""SARIF 2.1.0 output: the structure code-scanning tools require, read back by our importer."""

from __future__ import annotations

import json
from pathlib import Path

from seccal.core.findings import Finding
from seccal.gate.sarif import ACCEPT, REJECT, FileVerdict, sarif_document, write_sarif
from seccal.judge.sarif import load_sarif


def _verdicts() -> list[FileVerdict]:
    f = Finding("bandit", "B608", "CWE-89", 4, "possible SQL injection", "medium")
    return [
        FileVerdict(Path("src/a.py"), 0.7, False, 0.2, findings=[f, f]),
        FileVerdict(Path("src/b.py"), 0.05, True, 0.2),
    ]


def _check_structure(doc: dict) -> None:
    """The required properties of SARIF 2.1.0 (sarifLog, run, tool, result, location)."""
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    assert isinstance(doc["runs"], list) and doc["runs"]
    for run in doc["runs"]:
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        rules = driver["rules"]
        ids = [r["id"] for r in rules]
        assert len(ids) == len(set(ids))  # rule ids unique
        for result in run["results"]:
            assert isinstance(result["message"]["text"], str) and result["message"]["text"]
            assert result["level"] in ("none", "note", "warning", "error")
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            for loc in result["locations"]:
                phys = loc["physicalLocation"]
                assert phys["artifactLocation"]["uri"]
                assert phys["region"]["startLine"] >= 1


def test_sarif_structure_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "gate.sarif"
    write_sarif(_verdicts(), path, alpha=0.1, delta=0.05)
    doc = json.loads(path.read_text())
    _check_structure(doc)
    results = doc["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [REJECT, "bandit/B608", "bandit/B608", ACCEPT]
    assert results[0]["level"] == "error" and results[-1]["level"] == "note"
    assert results[0]["properties"]["p_vulnerable"] == 0.7
    back = load_sarif(path)
    assert len(back) == 4
    assert back[1][0] == "src/a.py" and back[1][1].cwe == "CWE-89" and back[1][1].line == 4
    assert back[0][1].rule_id == REJECT


def test_gate_that_accepts_nothing_says_so() -> None:
    doc = sarif_document([FileVerdict(Path("x.py"), 0.01, False, None)], alpha=0.1, delta=0.1)
    _check_structure(doc)
    assert "accepts nothing" in doc["runs"][0]["results"][0]["message"]["text"]
