"""The judge stage: imported SARIF findings join the static label before verdicts are stored."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from seccal.core.task import Task
from seccal.core.verdict import Verdict
from seccal.study.judge_stage import run_judge
from seccal.study.store import GenerationRecord, RunStore

TASK = Task(
    id="t1", suite="s", language="python", cwes=("CWE-89",), prompt="p", module_name="app.py"
)


def _sarif(path: Path, uri: str) -> Path:
    rule = {"id": "py/sql-injection", "properties": {"tags": ["external/cwe/cwe-089"]}}
    result = {
        "ruleId": "py/sql-injection",
        "level": "error",
        "message": {"text": "query built from user input"},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 3}}}
        ],
    }
    run = {"tool": {"driver": {"name": "CodeQL", "rules": [rule]}}, "results": [result]}
    path.write_text(json.dumps({"version": "2.1.0", "runs": [run]}))
    return path


def _clean_judge(items: Sequence[tuple[str, Task, str]]) -> list[Verdict]:
    out = []
    for gen_id, task, _ in items:
        v = Verdict(generation_id=gen_id, task_key=task.key)
        v.functional = "pass"
        v.security.update(dynamic="secure", static="secure")
        out.append(v)
    return out


def test_sarif_findings_join_the_static_label_of_their_generation(tmp_path: Path) -> None:
    sarif = _sarif(tmp_path / "codeql.sarif", "generations/g1/app.py")
    with RunStore(tmp_path / "store.sqlite") as store:
        store.put_tasks([TASK])
        store.put_generations(
            [
                GenerationRecord(g, "m", "openai", "m", 0.0, 0, "s", TASK.key, code="x = 1")
                for g in ("g1", "g2")
            ]
        )
        run_judge(store=store, judge_many=_clean_judge, batch_size=8, sarif=[str(sarif)])
        verdicts = store.verdicts()
    assert verdicts["g1"].sec_static == "vulnerable" and verdicts["g1"].n_findings == 1
    assert json.loads(verdicts["g1"].verdict_json)["findings"][0]["analyzer"] == "codeql"
    assert verdicts["g2"].sec_static == "secure" and verdicts["g1"].sec_dynamic == "secure"
