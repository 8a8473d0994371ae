import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from seccal.core.task import Task
from seccal.errors import InputError
from seccal.mitigate.repair import (
    RepairPrompt,
    repair_prompt,
    select_candidates,
    summarize_repair,
)
from seccal.mitigate.repair_run import (
    NO_CODE,
    RETRY_PREFIX,
    RepairCandidate,
    RepairReply,
    RepairStore,
    engine_generator,
    findings_of,
    rate_repairs,
    run_repair,
)
from seccal.mitigate.repair_store import Rated
from seccal.models import GenerationRequest, Message, ModelSpec
from seccal.models.engine_loop import EngineLoop

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
FIXED = TASK.prompt + "    return subprocess.run(['ls', '--', name])\n"
BROKEN = TASK.prompt + "    raise NotImplementedError\n"


def test_prompt_variants_carry_confidence_and_findings() -> None:
    only = repair_prompt(task=TASK.prompt, code=VULN, confidence=0.35)
    with_f = repair_prompt(
        task=TASK.prompt,
        code=VULN,
        confidence=0.35,
        variant="findings",
        findings=("bandit B602 CWE-78: shell=True (line 5)",),
    )
    assert only.prompt is None and only.messages[0][0] == "system"
    assert "35%" in only.messages[1][1] and "B602" not in only.messages[1][1]
    assert "B602" in with_f.messages[1][1] and VULN.strip() in with_f.messages[1][1]
    completion = repair_prompt(task=TASK.prompt, code=VULN, confidence=0.35, form="completion")
    assert completion.prompt is not None and completion.prompt.endswith(TASK.prompt)
    with pytest.raises(InputError, match="variant"):
        repair_prompt(task="t", code="c", confidence=0.5, variant="magic")  # type: ignore[arg-type]


def test_select_candidates_keeps_known_low_confidence_rows_with_code() -> None:
    df = pd.DataFrame(
        {
            "gen_id": list("abcde"),
            "conf_security_verbal": [0.2, 0.9, None, 0.4, 0.1],
            "has_code": [True, True, True, True, False],
        }
    )
    got = select_candidates(df, threshold=0.5, confidence="conf_security_verbal")
    assert got["gen_id"].tolist() == ["a", "d"]


def _results() -> pd.DataFrame:
    # 4 tasks x 2 snippets; low-confidence ones (c=0.3) are the vulnerable ones
    rows = []
    for t in range(4):
        rows.append(
            {"gen_id": f"g{t}a", "task_id": f"t{t}", "conf": 0.3, "secure": 0, "correct": 1}
        )
        rows.append(
            {"gen_id": f"g{t}b", "task_id": f"t{t}", "conf": 0.9, "secure": 1, "correct": 1}
        )
    return pd.DataFrame(rows)


def test_summarize_repair_counts_fixes_and_regressions() -> None:
    df = _results()
    repairs = pd.DataFrame(
        {
            "source_gen_id": ["g0a", "g1a", "g2a", "g3a"],
            "secure_after": pd.array([1, 1, 0, None], dtype="Int64"),
            "correct_after": pd.array([1, 0, 1, None], dtype="Int64"),
            "conf_after": [0.8, 0.8, None, None],
        }
    )
    s = summarize_repair(
        df, repairs, variant="confidence", threshold=0.5, confidence="conf", n_boot=100
    )
    assert s.n_selected == 4 and s.n_repaired == 3
    assert (s.fix_rate.numerator, s.fix_rate.denominator) == (2, 3)
    assert (s.regression_rate.numerator, s.regression_rate.denominator) == (1, 3)
    assert s.secure_rate_before.estimate == 0.5
    assert s.secure_rate_after.estimate == pytest.approx(6 / 7)  # g3a unknown after repair
    assert s.before is not None and s.after is not None and s.ece_change is not None
    assert s.ece_change["diff"] == pytest.approx(s.after["ece"] - s.before["ece"])


def test_summarize_repair_rejects_unknown_source() -> None:
    repairs = pd.DataFrame(
        {"source_gen_id": ["nope"], "secure_after": [1], "correct_after": [1], "conf_after": [None]}
    )
    with pytest.raises(InputError, match="nope"):
        summarize_repair(_results(), repairs, variant="v", threshold=0.5, confidence="conf")


class ToyModel:
    """Answers a repair request with fixed code (or broken code for one snippet)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, prompts: Sequence[RepairPrompt]) -> list[str | None]:
        self.calls += len(prompts)
        out: list[str | None] = []
        for p in prompts:
            user = p.messages[1][1]
            if "id: broken" in user:
                out.append(f"```python\n{BROKEN}```\nConfidence: 70%")
            elif "id: fail" in user:
                out.append(None)
            elif "id: prose" in user:
                out.append("I would rather not change this code.")
            else:
                out.append(f"Here you go:\n```python\n{FIXED}```\nConfidence: 85%")
        return out


def toy_judge(items: Sequence[tuple[str, Task, str]]) -> list[tuple[str, str]]:
    """Security: no shell=True; function: compiles and is implemented."""
    out = []
    for _, _, code in items:
        try:
            compile(code, "solution.py", "exec")
            fun = "fail" if "NotImplementedError" in code else "pass"
        except SyntaxError:
            fun = "fail"
        out.append(("vulnerable" if "shell=True" in code else "secure", fun))
    return out


def _candidate(gen_id: str, marker: str) -> RepairCandidate:
    task = dataclasses.replace(TASK, prompt=f"# id: {marker}\n" + TASK.prompt)
    return RepairCandidate(gen_id, task, VULN, 0.3, ("bandit B602 CWE-78: shell (line 5)",))


def test_run_repair_stores_outcomes_linked_to_source_and_resumes(tmp_path: Path) -> None:
    model = ToyModel()
    cands = [
        _candidate("g1", "ok"),
        _candidate("g2", "broken"),
        _candidate("g3", "fail"),
        _candidate("g4", "prose"),
    ]
    with RepairStore(tmp_path / "store.sqlite") as store:
        out = run_repair(
            cands,
            variant="findings",
            threshold=0.5,
            generate=model,
            rejudge=toy_judge,
            store=store,
            batch_size=2,
        )
        # g3's model call failed: not stored, so the next run asks again
        assert [o.source_gen_id for o in out] == ["g1", "g2", "g4"]
        g1, g2, g4 = out
        # the confidence is not read from the repair reply: rate_repairs asks for it
        assert (g1.secure_after, g1.correct_after, g1.conf_after) == ("secure", "pass", None)
        assert g2.correct_after == "fail" and g2.code is not None
        # a reply without code is an outcome: stored, labels unknown, with the reason
        assert g4.code is None and g4.secure_after == "unknown" and "no code" in g4.reason
        assert g4.conf_reason == NO_CODE and store.unrated("findings").keys() == {"g1", "g2"}
        again = run_repair(
            cands, variant="findings", threshold=0.5, generate=model, rejudge=toy_judge, store=store
        )
        assert again == [] and model.calls == 5  # only g3 was asked again
        frame = store.frame()
    assert frame["source_gen_id"].tolist() == ["g1", "g2", "g4"]
    assert frame["secure_after"].tolist()[:2] == [1, 1] and pd.isna(frame["secure_after"][2])
    assert frame["correct_after"].tolist()[:2] == [1, 0]
    db = sqlite3.connect(tmp_path / "store.sqlite")
    assert db.execute("SELECT COUNT(*) FROM repairs").fetchone()[0] == 3


def test_findings_of_a_stored_verdict() -> None:
    text = (
        '{"findings": [{"analyzer": "bandit", "rule_id": "B602", "cwe": "CWE-78", '
        '"line": 5, "message": "shell=True", "severity": "high"}]}'
    )
    assert findings_of(text) == ("bandit B602 CWE-78: shell=True (line 5)",)
    assert findings_of(None) == ()


def test_engine_generator_through_the_model_engine(tmp_path: Path) -> None:
    prompt = repair_prompt(task=TASK.prompt, code=VULN, confidence=0.3)
    req = GenerationRequest(
        messages=tuple(Message(r, t) for r, t in prompt.messages),
        temperature=0.2,
        max_tokens=256,
    )
    record = {
        "spec": {"provider": "openai", "model": "toy", "base_url": None, "params": {}},
        "request": req.to_dict(),
        "response": {"text": f"```python\n{FIXED}```\nConfidence: 90%"},
    }
    path = tmp_path / "recorded.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    spec = ModelSpec(provider="replay", model="toy", params={"path": str(path)})
    generate = engine_generator(spec, temperature=0.2, max_tokens=256)
    (reply,) = generate([prompt])
    assert isinstance(reply, RepairReply) and reply.text == record["response"]["text"]
    # The same generator on a stage's shared engine gives the same reply.
    with EngineLoop() as loop:
        shared = engine_generator(spec, temperature=0.2, max_tokens=256, engine=loop)
        assert [r.text for r in shared([prompt, prompt])] == [reply.text] * 2  # type: ignore[union-attr]


def test_completion_form_repair_continues_the_task_prefix(tmp_path: Path) -> None:
    seen: list[RepairPrompt] = []

    def base_model(prompts: Sequence[RepairPrompt]) -> list[str | None]:
        seen.extend(prompts)
        return ["    return subprocess.run(['ls', '--', name])\n\n\nprint('x')\n"] * len(prompts)

    with RepairStore(tmp_path / "s.sqlite") as store:
        (out,) = run_repair(
            [_candidate("g1", "ok")],
            variant="confidence",
            threshold=0.5,
            generate=base_model,
            rejudge=toy_judge,
            store=store,
            form="completion",
        )
    assert seen[0].prompt is not None and seen[0].prompt.endswith(TASK.prompt)
    assert out.code is not None and out.code.endswith("return subprocess.run(['ls', '--', name])\n")
    assert out.secure_after == "secure" and out.conf_after is None


class ToyConfider:
    """Rates repaired code: 90% when fixed, an unreadable answer for broken code, and a
    transient failure for everything else until ``healthy``."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.healthy = False

    def __call__(self, items: Sequence[tuple[str, Task, str]]) -> list[tuple[float | None, str]]:
        out: list[tuple[float | None, str]] = []
        for gen_id, _, code in items:
            self.asked.append(gen_id)
            if "['ls', '--', name]" in code:
                out.append((0.9, ""))
            elif "NotImplementedError" in code:
                out.append((None, "no confidence found"))
            elif self.healthy:
                out.append((0.4, ""))
            else:
                out.append((None, f"{RETRY_PREFIX}: server_error: 503"))
        return out


def test_rate_repairs_fills_conf_after_and_retries_only_failed_calls(tmp_path: Path) -> None:
    model, confider = ToyModel(), ToyConfider()
    cands = [_candidate("g1", "ok"), _candidate("g2", "broken"), _candidate("g4", "prose")]
    cands.append(dataclasses.replace(_candidate("g5", "ok"), gen_id="g5"))
    with RepairStore(tmp_path / "store.sqlite") as store:
        run_repair(
            cands,
            variant="confidence",
            threshold=0.5,
            generate=model,
            rejudge=toy_judge,
            store=store,
        )
        # g5's repair is stored with code the confider fails on (a transient error)
        store._db.execute("UPDATE repairs SET code = 'x = 1\n' WHERE source_gen_id = 'g5'")
        rated = rate_repairs(cands, variant="confidence", confide=confider, store=store)
        assert rated == {
            "g1": (0.9, ""),
            "g2": (None, "no confidence found"),
            "g5": (None, f"{RETRY_PREFIX}: server_error: 503"),
        }
        frame = store.frame().set_index("source_gen_id")
        assert frame.loc["g1", "conf_after"] == 0.9 and frame.loc["g1", "conf_reason"] == ""
        assert pd.isna(frame.loc["g2", "conf_after"]) and frame.loc["g4", "conf_reason"] == NO_CODE
        # next run: no repair call, and only the failed confidence call is made again
        calls = model.calls
        confider.healthy = True
        run_repair(
            cands,
            variant="confidence",
            threshold=0.5,
            generate=model,
            rejudge=toy_judge,
            store=store,
        )
        again = rate_repairs(cands, variant="confidence", confide=confider, store=store)
        assert model.calls == calls and again == {"g5": (0.4, "")}
        assert confider.asked == ["g1", "g2", "g5", "g5"]
        assert rate_repairs(cands, variant="confidence", confide=confider, store=store) == {}


def test_old_repair_store_gains_the_confidence_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE repairs (source_gen_id TEXT NOT NULL, variant TEXT NOT NULL, "
        "threshold REAL NOT NULL, reply TEXT, code TEXT, conf_after REAL, secure_after TEXT "
        "NOT NULL, correct_after TEXT NOT NULL, reason TEXT NOT NULL, created REAL NOT NULL, "
        "PRIMARY KEY (source_gen_id, variant))"
    )
    db.execute(
        "INSERT INTO repairs VALUES ('g1', 'confidence', 0.5, 'r', 'x = 1', NULL, "
        "'secure', 'pass', '', 0)"
    )
    db.commit()
    db.close()
    with RepairStore(path) as store:
        # a repair stored before confidences were asked gets only the confidence call
        assert store.unrated("confidence") == {"g1": "x = 1"}
        store.set_confidence("confidence", [Rated("g1", 0.7, "")])
        assert store.frame()["conf_after"].tolist() == [0.7]
        assert store.unrated("confidence") == {}


def test_after_calibration_uses_conf_after_where_present() -> None:
    df = _results()
    ids = df["gen_id"].tolist()[:4]
    base = {"source_gen_id": ids, "secure_after": [1, 1, 0, 1], "correct_after": [1, 1, 1, 1]}
    old = pd.DataFrame({**base, "conf_after": [None] * 4})
    new = pd.DataFrame({**base, "conf_after": [0.95, 0.95, 0.05, None]})
    opts = {"variant": "v", "threshold": 0.5, "confidence": "conf", "n_boot": 0}
    before = summarize_repair(df, old, **opts)  # type: ignore[arg-type]
    after = summarize_repair(df, new, **opts)  # type: ignore[arg-type]
    assert before.n_conf_after == 0 and after.n_conf_after == 3
    assert before.after is not None and after.after is not None
    assert after.after["ece"] != pytest.approx(before.after["ece"])
    # by hand: the after confidences are the new ones where given, the original elsewhere
    conf = df["conf"].to_numpy(dtype=float).copy()
    sec = df["secure"].to_numpy(dtype=float).copy()
    conf[:3] = [0.95, 0.95, 0.05]
    sec[:4] = [1, 1, 0, 1]
    from seccal.calibration.report import summarize

    ok = ~(pd.isna(conf) | pd.isna(sec))
    expect = summarize(
        conf[ok],
        sec[ok],
        groups=df["task_id"].astype(str).to_numpy()[ok],
        n_boot=0,
        tau=0.8,
        n_bins=10,
        strategy="uniform",
    )
    assert after.after["ece"] == pytest.approx(expect["ece"])
