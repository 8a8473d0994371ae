"""The judge hands each task kind to the backend registered for it, in the callers' order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import pytest

from seccal.core.task import Task
from seccal.core.verdict import Verdict
from seccal.errors import ConfigError
from seccal.judge import Judge, JudgeConfig, JudgeItem, backends
from seccal.judge.backends import backend_for, register_backend


def _task(tid: str, kind: str) -> Task:
    return Task(
        id=tid, suite="t", language="python", cwes=(), prompt="", module_name="m.py", kind=kind
    )  # type: ignore[arg-type]


class _Recorder:
    calls: ClassVar[list[list[str]]] = []

    def __init__(self, config: JudgeConfig) -> None:
        self.config = config

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        _Recorder.calls.append([it.generation_id for it in items])
        out = []
        for it in items:
            v = Verdict(it.generation_id, it.task.key, functional="pass")
            v.security.update(dynamic="secure", static="secure")
            out.append(v)
        return out


def test_kinds_are_routed_and_order_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "_REGISTERED", dict(backends._REGISTERED))
    register_backend("container")(_Recorder)
    _Recorder.calls.clear()
    items = [
        JudgeItem("c1", _task("a", "container"), "x"),
        JudgeItem("s1", _task("b", "snippet"), ""),
        JudgeItem("c2", _task("c", "container"), "y"),
    ]
    verdicts = Judge(JudgeConfig(analyzers=())).judge_many(items)
    assert [v.generation_id for v in verdicts] == ["c1", "s1", "c2"]
    assert _Recorder.calls == [["c1", "c2"]]  # one call for the kind, in order
    assert verdicts[1].reasons["functional"] == "no code extracted"  # the snippet path


def test_unknown_kind_and_bad_registration_are_precise_errors() -> None:
    with pytest.raises(ConfigError, match="no judge backend for tasks of kind 'teleport'"):
        backend_for("teleport", JudgeConfig())
    with pytest.raises(ValueError, match="unknown task kind"):
        register_backend("teleport")  # type: ignore[arg-type]
