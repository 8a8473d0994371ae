"""Judge generated code: sandboxed tests, exploits and static analysis → verdicts.

Public API::

    from seccal.judge import Judge, JudgeConfig, JudgeItem, Verdict
    verdicts = Judge(JudgeConfig()).judge_many([JudgeItem(gen_id, task, code)])

Labels (see :mod:`seccal.judge.verdict`): ``functional`` pass/fail/unknown from
the task's functional tests; ``security`` per source: ``dynamic`` (the task's
exploit tests), ``static_cwe`` (a Bandit/Semgrep finding of the task's CWE
family), ``static_any`` (any finding). Every unknown carries a reason.

Isolation and its trade-off
---------------------------
Every sandbox is bubblewrap with no network, a read-only system, a private
``/tmp`` tmpfs, a cleared environment, rlimits and a PID namespace, started as
an unprivileged uid (:mod:`seccal.judge.sandbox`; it runs any language). For
speed, one sandbox judges a *batch* of snippets: a warm driver (pytest and
Flask imported once) forks one child per snippet, each with its own rlimits,
deadline and scratch directory. Between snippets the driver kills every other
process in the sandbox and wipes its ``/tmp``, so a snippet cannot see or
disturb the *next* one. What snippets of a batch share is the sandbox uid's
process budget and the driver itself: a snippet that kills the driver ends the
batch, and the judge then re-runs that snippet alone and the rest as a fresh
batch, so only the culprit's verdict is affected. ``batch_size=1`` gives one
sandbox per snippet. Without bubblewrap the judge falls back to rlimits and
process-group kills (``isolation: weak``) and warns once, loudly.
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
