"""Judge generated code: sandboxed tests, exploits and static analysis → verdicts.

Public API::

    from seccal.judge import Judge, JudgeConfig, JudgeItem, Verdict
    verdicts = Judge(JudgeConfig()).judge_many([JudgeItem(gen_id, task, code)])

The sandbox (:mod:`seccal.judge.sandbox`) is usable for any language.
"""

from seccal.judge.config import JudgeConfig
from seccal.judge.core import Judge, JudgeItem
from seccal.judge.sandbox import Limits, RunResult, Sandbox, SandboxConfig, SandboxError
from seccal.judge.verdict import (
    LABEL_SOURCES,
    NO_TESTS_REASON,
    Finding,
    TestOutcome,
    Verdict,
)

__all__ = [
    "LABEL_SOURCES",
    "NO_TESTS_REASON",
    "Finding",
    "Judge",
    "JudgeConfig",
    "JudgeItem",
    "Limits",
    "RunResult",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "TestOutcome",
    "Verdict",
]
