import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import pytest

from seccal.core.task import Task, TestRole, TestSpec
from seccal.tasks.validate import reference_quality, validate_suites, validate_tasks


@dataclass
class FakeVerdict:
    generation_id: str
    functional: str
    security: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)


def _task(tid: str, *, secure: str | None = "S", insecure: str | None = "I", **kw: object) -> Task:
    tests = kw.pop("tests", None)
    return Task(
        id=tid,
        suite="unit",
        language="python",
        cwes=("CWE-89",),
        prompt="p",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "f.py", ""), TestSpec(TestRole.SECURITY, "s.py", ""))
        if tests is None
        else tests,  # type: ignore[arg-type]
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


@dataclass
class StaticVerdict:
    generation_id: str
    functional: str
    security: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)


def _labelled_judge(table: dict[str, tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    """code text -> (functional, dynamic, static)."""

    def judge(items: Sequence[tuple[str, Task, str]]) -> list[StaticVerdict]:
        out = []
        for gid, _task, code in items:
            functional, dynamic, static = table[code]
            reasons = {
                k: "toolchain missing" for k, v in (("functional", functional),) if v == "unknown"
            }
            out.append(
                StaticVerdict(gid, functional, {"dynamic": dynamic, "static": static}, reasons)
            )
        return out

    return judge


def test_other_kinds_are_judged_without_test_files_and_unrunnable_ones_are_not_run() -> None:
    judge = _labelled_judge(
        {
            "S": ("pass", "secure", "secure"),
            "I": ("pass", "vulnerable", "secure"),
            "X": ("unknown", "unknown", "vulnerable"),
        }
    )
    repo = _task("repo", kind="repository", tests=())
    gone = _task("gone", secure="X", insecure="X", kind="cweval_native", tests=())
    snippet = _task("snippet-no-tests", tests=())
    report = validate_tasks("unit", [repo, gone, snippet], judge)
    by_id = {r.task_id: r for r in report.results}
    assert by_id["repo"].status == "pass"
    assert by_id["gone"].status == "not-run"
    assert by_id["gone"].reason == "could not run: toolchain missing"
    assert (
        by_id["snippet-no-tests"].status == "not-run"
        and by_id["snippet-no-tests"].reason == "no tests"
    )
    counts = report.counts()
    assert counts["tasks"] == 3 and counts["runnable"] == 1 and counts["not_run"] == 2
    assert [t for t, _, _ in report.exceptions()] == ["gone", "snippet-no-tests"]


def test_counts_separate_each_reference_and_exceptions_carry_reasons() -> None:
    judge = _labelled_judge(
        {
            "S": ("pass", "secure", "secure"),
            "S-leaky": ("pass", "vulnerable", "vulnerable"),
            "I": ("pass", "vulnerable", "vulnerable"),
            "I-broken": ("fail", "vulnerable", "secure"),
            "I-missed": ("pass", "secure", "secure"),
        }
    )
    tasks = [
        _task("a"),
        _task("b", secure="S-leaky"),
        _task("c", insecure="I-broken"),
        _task("d", secure=None, insecure="I-missed"),
    ]
    report = validate_tasks("unit", tasks, judge)
    assert report.counts() == {
        "tasks": 4,
        "runnable": 4,
        "secure_refs": 3,
        "secure_functional": 3,
        "secure_security": 2,
        "insecure_refs": 4,
        "insecure_functional": 3,
        "insecure_detected": 3,
        "passed": 1,
        "failed": 3,
        "not_run": 0,
    }
    reasons = {t: why for t, _, why in report.exceptions()}
    assert "secure: security vulnerable (expected secure)" in reasons["b"]
    assert "insecure: functional fail (expected pass)" in reasons["c"]
    assert "insecure: security secure (expected vulnerable)" in reasons["d"]


def test_reference_quality_matches_scikit_learn_on_the_judged_references() -> None:
    from sklearn.metrics import precision_score, recall_score

    judge = _labelled_judge(
        {
            "S": ("pass", "secure", "secure"),
            "S-flagged": ("pass", "secure", "vulnerable"),
            "I": ("pass", "vulnerable", "vulnerable"),
            "I-quiet": ("pass", "vulnerable", "secure"),
            "I-unknown": ("pass", "unknown", "vulnerable"),
        }
    )
    one = validate_tasks("one", [_task("a"), _task("b", secure="S-flagged")], judge)
    two = validate_tasks(
        "two", [_task("c", insecure="I-quiet"), _task("d", insecure="I-unknown")], judge
    )
    quality = reference_quality([one, two])
    frame = pd.concat([one.reference_frame(), two.reference_frame()])
    known = frame[(frame.secure_dynamic != "") & (frame.secure_static != "")]
    y_true = (known.secure_dynamic == 0).astype(int)
    y_pred = (known.secure_static == 0).astype(int)
    overall = quality["overall"]
    assert overall["n"] == len(known) == 7 and overall["n_unknown"] == 1
    assert overall["precision"] == pytest.approx(precision_score(y_true, y_pred), abs=1e-4)
    assert overall["recall"] == pytest.approx(recall_score(y_true, y_pred), abs=1e-4)
    assert quality["per_cwe"]["CWE-89"]["n"] == 7
    assert set(quality["per_suite"]) == {"one", "two"} and quality["per_suite"]["two"]["n"] == 3


def test_validate_suites_reports_a_suite_that_cannot_load() -> None:
    judge = _labelled_judge({})
    [report] = validate_suites(["no-such-suite"], judge)
    assert report.error and "unknown suite" in report.error and report.results == ()
