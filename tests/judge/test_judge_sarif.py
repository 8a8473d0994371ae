"""SARIF (CodeQL-style) import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seccal.core.findings import Finding
from seccal.core.verdict import Verdict
from seccal.errors import InputError
from seccal.judge.sarif import group_by_generation, load_sarif, merge_findings

CODEQL = {
    "version": "2.1.0",
    "runs": [
        {
            "tool": {
                "driver": {
                    "name": "CodeQL",
                    "rules": [
                        {
                            "id": "py/sql-injection",
                            "properties": {
                                "tags": ["security", "external/cwe/cwe-089"],
                                "security-severity": "8.8",
                            },
                        },
                        {
                            "id": "py/weak-hash",
                            "defaultConfiguration": {"level": "note"},
                            "properties": {"tags": ["external/cwe/cwe-328"]},
                        },
                    ],
                }
            },
            "results": [
                {
                    "ruleId": "py/sql-injection",
                    "ruleIndex": 0,
                    "message": {"text": "This query depends on a user-provided value."},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "gen-1/solution.py"},
                                "region": {"startLine": 7},
                            }
                        }
                    ],
                },
                {
                    "ruleIndex": 1,
                    "message": {"text": "md5"},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": "file:///scan/gen-2.py"},
                                "region": {"startLine": 2},
                            }
                        }
                    ],
                },
                {"ruleId": "py/sql-injection", "message": {"text": "elsewhere"}, "locations": []},
            ],
        }
    ],
}


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "codeql.sarif"
    path.write_text(json.dumps(data))
    return path


def test_codeql_results_become_findings(tmp_path: Path) -> None:
    located = load_sarif(_write(tmp_path, CODEQL))
    assert len(located) == 3
    uri, first = located[0]
    assert uri == "gen-1/solution.py"
    assert first == Finding(
        "codeql",
        "py/sql-injection",
        "CWE-89",
        7,
        "This query depends on a user-provided value.",
        "high",
    )
    uri2, second = located[1]
    assert uri2 == "/scan/gen-2.py"
    assert (second.rule_id, second.cwe, second.severity) == ("py/weak-hash", "CWE-328", "low")


def test_grouping_by_directory_or_stem(tmp_path: Path) -> None:
    located = load_sarif(_write(tmp_path, CODEQL))
    groups = group_by_generation(located, ["gen-1", "gen-2", "gen-3"])
    assert [f.cwe for f in groups["gen-1"]] == ["CWE-89"]
    assert [f.cwe for f in groups["gen-2"]] == ["CWE-328"]
    assert "gen-3" not in groups


def test_merge_relabels_known_static_labels_only() -> None:
    finding = Finding("codeql", "py/sql-injection", "CWE-89", 7, "m", "high")
    v = Verdict("g", "s/t", security={"dynamic": "secure", "static": "secure"})
    merge_findings(v, [finding], ["CWE-89"])
    assert v.security == {"dynamic": "secure", "static": "vulnerable"}
    broken = Verdict("g2", "s/t")
    broken.set_unknown("static", "syntax error")
    merge_findings(broken, [finding], ["CWE-89"])
    assert broken.security["static"] == "unknown" and broken.findings == [finding]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("not json", "not a readable JSON"),
        ("{}", "'runs' missing"),
        ('{"runs": [{}]}', r"runs\[0\]"),
    ],
)
def test_bad_files_name_file_and_field(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "bad.sarif"
    path.write_text(content)
    with pytest.raises(InputError, match=match):
        load_sarif(path)
