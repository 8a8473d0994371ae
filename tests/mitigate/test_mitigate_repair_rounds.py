"""Repair rounds, cost per repair, and the real re-judge path for every label source."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from seccal.core.config import JudgeSettings
from seccal.core.task import Task
from seccal.judge import Judge
from seccal.judge.config import study_judge_config
from seccal.mitigate.repair import RepairPrompt
from seccal.mitigate.repair_run import (
    RepairCandidate,
    RepairReply,
    RepairStore,
    judge_rejudge,
    next_round,
    rate_repairs,
    run_repair,
)
from seccal.tasks.registry import load_suite

TASK = Task(
    id="cmd",
    suite="toy",
    language="python",
    cwes=("CWE-78",),
    prompt='import subprocess\n\ndef run_cmd(name):\n    """List the file `name`."""\n',
    module_name="solution",
    entry_point="run_cmd",
)
VULN = TASK.prompt + "    return subprocess.run(f'ls {name}', shell=True)\n"
HALF = TASK.prompt + "    return subprocess.run('ls ' + name, shell=True)  # still a shell\n"
FIXED = TASK.prompt + "    return subprocess.run(['ls', '--', name])\n"


def test_rounds_repair_what_is_still_unsure_with_the_new_findings(tmp_path: Path) -> None:
    seen: list[RepairPrompt] = []

    def generate(prompts: Sequence[RepairPrompt]) -> list[RepairReply]:
        seen.extend(prompts)
        # Round 1 writes a half fix; round 2 (shown the half fix) the real one.
        out = []
        for p in prompts:
            code = FIXED if "still a shell" in p.messages[1][1] else HALF
            out.append(RepairReply(f"```python\n{code}```", 0.01, 100, 20))
        return out

    def rejudge(items: Sequence[tuple[str, Task, str]]) -> list[tuple[str, str, tuple[str, ...]]]:
        return [
            ("secure", "pass", ())
            if code == FIXED
            else ("vulnerable", "pass", ("bandit B602 CWE-78: shell=True (line 5)",))
            for _, _, code in items
        ]

    def confide(items: Sequence[tuple[str, Task, str]]) -> list[tuple[Any, ...]]:
        return [(0.9 if code == FIXED else 0.3, "", 0.002, 50, 3) for _, _, code in items]

    cands = [RepairCandidate("g1", TASK, VULN, 0.2, ("bandit B602: shell (line 5)",))]
    with RepairStore(tmp_path / "store.sqlite") as store:
        for rnd in (1, 2):
            if rnd == 2:
                cands = next_round(cands, store, variant="findings", round=1, threshold=0.5)
                assert [c.code for c in cands] == [HALF] and cands[0].confidence == 0.3
                # The findings shown in round 2 are the analyzers' on the round-1 code.
                assert cands[0].findings == ("bandit B602 CWE-78: shell=True (line 5)",)
            run_repair(
                cands,
                variant="findings",
                threshold=0.5,
                generate=generate,
                rejudge=rejudge,
                store=store,
                round=rnd,
            )
            rate_repairs(cands, variant="findings", confide=confide, store=store, round=rnd)
        assert next_round(cands, store, variant="findings", round=2, threshold=0.5) == []
        frame = store.frame()
        final = store.final_frame()
    assert frame["round"].tolist() == [1, 2]
    assert frame["secure_after"].tolist() == [0, 1]
    # Each repair's cost: the repair call plus the call that rated it.
    assert frame["cost_usd"].round(4).tolist() == [0.012, 0.012]
    assert frame["tokens_in"].tolist() == [150, 150]
    assert final["round"].tolist() == [2] and final["conf_after"].tolist() == [0.9]
    assert "B602 CWE-78" in seen[1].messages[1][1]


@pytest.mark.sandbox
@pytest.mark.parametrize("label_source", ["dynamic", "static", "both"])
def test_real_rejudge_reads_every_label_source(label_source: str) -> None:
    # The study's own judge settings (bandit on) and label vocabulary, through the real
    # judge: no KeyError for static/both, and the label is the verdict's own.
    task = next(t for t in load_suite("builtin") if t.id == "cmdi-count-lines")
    judge = Judge(study_judge_config(JudgeSettings(batch_size=4, analyzers=("bandit",))))
    rejudge = judge_rejudge(judge, label_source=label_source)  # type: ignore[arg-type]
    items = [
        ("a", task, task.insecure_reference or ""),
        ("b", task, task.secure_reference or ""),
        ("c", task, task.insecure_reference or ""),  # the same code: judged once
    ]
    got = rejudge(items)
    assert [g[0] for g in got] == ["vulnerable", "secure", "vulnerable"]
    assert [g[1] for g in got] == ["pass", "pass", "pass"]
    assert got[0][2] and all("bandit" in f for f in got[0][2])
    assert got[0] == got[2]
