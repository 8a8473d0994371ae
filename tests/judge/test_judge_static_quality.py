"""Precision and recall of the static label against the dynamic one, per CWE."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from seccal.errors import InputError
from seccal.judge import Judge, JudgeConfig
from seccal.judge.static_quality import reference_frame, static_quality
from seccal.tasks.registry import load_suite


def test_counts_per_cwe_and_overall_leave_unknown_out() -> None:
    frame = pd.DataFrame(
        {
            "cwe": ["CWE-89", "CWE-89", "CWE-89;CWE-79", "CWE-79", "CWE-79"],
            "secure_static": ["0", "0", "1", "", "1"],
            "secure_dynamic": ["0", "1", "0", "0", "<NA>"],
            "language": ["python"] * 5,
        }
    )
    q = static_quality(frame)
    json.dumps(q)  # plain data for metrics.json
    assert q["overall"] == {
        "n": 3, "tp": 1, "fp": 1, "fn": 1, "tn": 0, "precision": 0.5, "recall": 0.5, "n_unknown": 2,
    }  # fmt: skip
    sql, xss = q["per_cwe"]["CWE-89"], q["per_cwe"]["CWE-79"]
    assert (sql["tp"], sql["fp"], sql["fn"], sql["recall"]) == (1, 1, 1, 0.5)
    assert (xss["n"], xss["fn"], xss["precision"], xss["recall"], xss["n_unknown"]) == (
        1,
        1,
        None,
        0.0,
        2,
    )
    assert sql["rules"]["python"] >= 2
    assert list(q["per_cwe"]) == ["CWE-79", "CWE-89"]


def test_missing_columns_are_named() -> None:
    with pytest.raises(InputError, match="secure_dynamic"):
        static_quality(pd.DataFrame({"cwe": [], "secure_static": []}))


def test_references_of_real_tasks() -> None:
    tasks = [t for t in load_suite("builtin") if t.id in {"sqli-user-lookup", "deser-pickle-cache"}]
    assert len(tasks) == 2
    frame = reference_frame(tasks, Judge(JudgeConfig(workers=1, analyzers=("bandit", "semgrep"))))
    assert sorted(frame["reference"]) == ["insecure", "insecure", "secure", "secure"]
    by = {(r.task_id.split("/")[1], r.reference): r for r in frame.itertuples()}
    assert by[("sqli-user-lookup", "insecure")].secure_static == 0
    assert by[("deser-pickle-cache", "insecure")].secure_static == 0
    assert by[("sqli-user-lookup", "secure")].secure_static == 1
    assert by[("deser-pickle-cache", "secure")].secure_static == 1
    q = static_quality(frame)
    assert q["overall"]["n"] == 4 and (q["overall"]["precision"], q["overall"]["recall"]) == (
        1.0,
        1.0,
    )
