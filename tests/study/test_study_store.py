import json
import sqlite3
from pathlib import Path

from seccal.core.task import Task, TestRole, TestSpec
from seccal.study.store import ConfidenceRecord, GenerationRecord, RunStore, VerdictRecord

TASK = Task(
    id="add",
    suite="mini",
    language="python",
    cwes=("CWE-20",),
    prompt="def add(a, b):\n",
    module_name="solution.py",
    tests=(TestSpec(TestRole.FUNCTIONAL, "test_f.py", "from solution import add\n"),),
)


def _gen(gen_id: str, **kw: object) -> GenerationRecord:
    base = dict(
        gen_id=gen_id,
        model="m",
        provider="openai",
        model_id="m",
        temperature=0.2,
        sample=0,
        suite="mini",
        task_key="mini/add",
        reply="r",
        code="c",
        cost_usd=0.5,
    )
    base.update(kw)
    return GenerationRecord(**base)  # type: ignore[arg-type]


def test_writes_are_idempotent(tmp_path: Path) -> None:
    with RunStore(tmp_path / "s.sqlite") as store:
        assert store.put_generations([_gen("a"), _gen("b")]) == 2
        assert store.put_generations([_gen("a", reply="other")]) == 0
        assert store.generations()[0].reply == "r"  # first write wins
        conf = ConfidenceRecord("a", "verbal", "zero_shot", "security", 0.8, "80%", "percent")
        assert store.put_confidences([conf, conf]) == 1
        assert ("a", "verbal", "zero_shot", "security") in store.elicited_keys()
        v = VerdictRecord("a", "pass", "secure", "unknown", 2, "{}")
        assert store.put_verdicts([v]) == 1 and store.put_verdicts([v]) == 0
        store.put_tasks([TASK, TASK])
        assert store.counts() == {
            "tasks": 1,
            "generations": 2,
            "confidences": 1,
            "verdicts": 1,
            "repairs": 0,
            "metrics": 0,
        }
        assert store.tasks()["mini/add"] == TASK
        assert store.spent_usd() == 1.0


def test_round_trip_types_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with RunStore(path) as store:
        store.put_generations([_gen("a", parses=True, cached=False, code=None, seq_logprob=-0.25)])
        store.set_meta("config", {"x": [1, 2]})
    with RunStore(path) as store:
        (g,) = store.generations()
        assert g.parses is True and g.cached is False and g.code is None and g.seq_logprob == -0.25
        assert store.get_meta("config") == {"x": [1, 2]}
        assert store.get_meta("absent", 7) == 7
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_secrets_are_redacted_before_storage(tmp_path: Path) -> None:
    secret = "sk-test-0123456789abcdef"
    path = tmp_path / "s.sqlite"
    with RunStore(path, redact=[secret]) as store:
        store.put_generations([_gen("a", error=f"auth failed for key {secret}")])
        store.set_meta("note", f"Bearer {secret}")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert secret.encode() not in raw
    with RunStore(path) as store:
        assert "***" in (store.generations()[0].error or "")


def test_metrics_are_replaced_not_accumulated(tmp_path: Path) -> None:
    row = {
        "model": "m",
        "temperature": 0.2,
        "suite": "mini",
        "target": "security",
        "confidence": "conf_ptrue",
        "label_source": "dynamic",
        "metrics": {"n": 3},
    }
    with RunStore(tmp_path / "s.sqlite") as store:
        store.replace_metrics([row])
        store.replace_metrics([{**row, "metrics": {"n": 4}}])
        assert [m["metrics"] for m in store.metrics()] == [{"n": 4}]
        assert json.dumps(store.metrics())
