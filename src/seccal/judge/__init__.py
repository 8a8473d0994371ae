"""Judge generated code: sandboxed tests, exploits and static analysis → verdicts.

Public API::

    from seccal.judge import Judge, JudgeConfig, JudgeItem, Verdict
    verdicts = Judge(JudgeConfig()).judge_many([JudgeItem(gen_id, task, code)])

Labels (see :mod:`seccal.core.verdict`): ``functional`` pass/fail/unknown from
the task's functional tests; ``security`` per measured source: ``dynamic`` (the
task's exploit tests) and ``static`` (the analyzers), one vocabulary for every kind
of task (:mod:`seccal.core.labels`). Every unknown carries a reason. Tasks that are not
self-contained snippets go to the backend registered for their kind
(:mod:`seccal.judge.backends`).

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

from seccal.core.findings import Finding
from seccal.core.labels import LABEL_SOURCES
from seccal.core.verdict import NO_TESTS_REASON, TestOutcome, Verdict
from seccal.judge.backends import JudgeItem, register_backend
from seccal.judge.config import JudgeConfig
from seccal.judge.core import Judge
from seccal.judge.sandbox import Limits, RunResult, Sandbox, SandboxConfig, SandboxError

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
    "register_backend",
]
