import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from seccal.core.task import Task, TestRole, TestSpec
from seccal.tasks.validate import validate_tasks


@dataclass
class FakeVerdict:
    generation_id: str
    functional: str
    security: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)


def _task(tid: str, *, secure: str | None = "S", insecure: str | None = "I", **kw: object) -> Task:
    return Task(
        id=tid,
        suite="unit",
        language="python",
        cwes=("CWE-89",),
        prompt="p",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "f.py", ""), TestSpec(TestRole.SECURITY, "s.py", "")),
        secure_reference=secure,
        insecure_reference=insecure,
        **kw,  # type: ignore[arg-type]
    )


def _judge_from(table: dict[str, tuple[str, str]]):  # type: ignore[no-untyped-def]
    """A fake judge: code text -> (functional, dynamic label)."""
    calls: list[list[str]] = []

    def judge(items: Sequence[tuple[str, Task, str]]) -> list[FakeVerdict]:
        calls.append([gid for gid, _, _ in items])
        out = []
        for gid, _task, code in items:
            functional, dynamic = table[code]
            reasons = {"dynamic": "sandbox broke"} if dynamic == "unknown" else {}
            out.append(FakeVerdict(gid, functional, {"dynamic": dynamic}, reasons))
        return out

    return judge, calls


def test_expected_behaviour_passes_and_deviation_fails() -> None:
    judge, calls = _judge_from(
        {
            "S": ("pass", "secure"),
            "I": ("pass", "vulnerable"),
            "S-broken": ("fail", "secure"),
            "I-safe": ("pass", "secure"),
        }
    )
    tasks = [
        _task("good"),
        _task("bad-secure", secure="S-broken"),
        _task("bad-insecure", insecure="I-safe"),
    ]
    ticks = iter([10.0, 12.5])
    report = validate_tasks("unit", tasks, judge, clock=lambda: next(ticks))
    status = {r.task_id: r.status for r in report.results}
    assert status == {"good": "pass", "bad-secure": "fail", "bad-insecure": "fail"}
    assert report.passed == 1 and report.failed == 2 and report.seconds == 2.5
    assert report.pass_rate == pytest.approx(1 / 3)
    bad = next(r for r in report.results if r.task_id == "bad-secure")
    assert "functional fail (expected pass)" in bad.checks[0].detail
    assert len(calls) == 1 and len(calls[0]) == 6  # one batch, two references per task


def test_unknown_label_fails_with_judge_reason() -> None:
    judge, _ = _judge_from({"S": ("pass", "unknown"), "I": ("pass", "vulnerable")})
    [result] = validate_tasks("unit", [_task("t")], judge).results
    assert result.status == "fail"
    assert "security unknown (expected secure): sandbox broke" in result.checks[0].detail


def test_static_only_and_reference_less_tasks_are_not_run() -> None:
    judge, calls = _judge_from({"I": ("pass", "vulnerable")})
    tasks = [
        _task("static", static_only=True, metadata={"static_only_reason": "no tests shipped"}),
        _task("norefs", secure=None, insecure=None),
        _task("insecure-only", secure=None),
    ]
    report = validate_tasks("unit", tasks, judge)
    by_id = {r.task_id: r for r in report.results}
    assert by_id["static"].status == "not-run" and "no tests shipped" in by_id["static"].reason
    assert by_id["norefs"].status == "not-run"
    assert by_id["insecure-only"].status == "pass"
    assert [c.reference for c in by_id["insecure-only"].checks] == ["insecure"]
    assert report.not_run == 2 and report.pass_rate == 1.0
    assert calls == [["unit/insecure-only#insecure"]]


def test_nothing_runnable_gives_nan_rate_and_no_judge_call() -> None:
    judge, calls = _judge_from({})
    report = validate_tasks("unit", [_task("s", static_only=True)], judge)
    assert math.isnan(report.pass_rate) and calls == []
    assert report.to_dict()["results"][0]["status"] == "not-run"
