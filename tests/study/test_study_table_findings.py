"""The exported results table: finding counts and language columns (for ``seccal gate``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from seccal.core.findings import Finding
from seccal.core.task import Task, TestRole, TestSpec
from seccal.core.verdict import Verdict
from seccal.study.store import GenerationRecord, RunStore, VerdictRecord
from seccal.study.table import results_table

TASK = Task(
    id="q",
    suite="mini",
    language="python",
    cwes=("CWE-89",),
    prompt="def q(cur, n):\n",
    module_name="solution.py",
    tests=(TestSpec(TestRole.FUNCTIONAL, "test_f.py", "from solution import q\n"),),
)


def _gen(gen_id: str) -> GenerationRecord:
    return GenerationRecord(  # type: ignore[call-arg]
        gen_id=gen_id,
        model="m",
        provider="openai",
        model_id="m",
        temperature=0.2,
        sample=0,
        suite="mini",
        task_key="mini/q",
        reply="r",
        code="c",
        cost_usd=0.0,
    )


def test_findings_and_language_columns(tmp_path: Path) -> None:
    sql = Finding("bandit", "B608", "CWE-89", 2, "sql", "medium")
    low = Finding("bandit", "B101", "", 3, "assert", "low")
    verdict = Verdict("a", "mini/q", findings=[sql, sql, low])
    with RunStore(tmp_path / "s.sqlite") as store:
        store.put_tasks([TASK])
        store.put_generations([_gen("a"), _gen("b"), _gen("c")])
        store.put_verdicts(
            [
                VerdictRecord(
                    "a", "pass", "secure", "vulnerable", 3, json.dumps(verdict.to_dict())
                ),
                VerdictRecord("b", "pass", "secure", "unknown", 0, "{}"),  # no analysis
            ]
        )
        df = results_table(store, label_source="dynamic").set_index("gen_id")
    assert (df["language"] == "python").all()
    assert df.loc["a", "findings_total"] == 3 and df.loc["a", "findings_low"] == 1
    assert df.loc["a", "findings_fam_sql_injection"] == 2 and df.loc["a", "findings_fam_other"] == 1
    assert math.isnan(df.loc["b", "findings_total"])  # analyzers did not run: missing, not 0
    assert math.isnan(df.loc["c", "findings_total"])  # not judged yet
