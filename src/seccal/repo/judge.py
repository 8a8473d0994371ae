"""Judging a region written into a repository, and validating the references.

The verdict has the same shape as the judge's ``Verdict``: ``functional`` is
``pass``/``fail``/``unknown``; ``security`` maps label sources (``dynamic``
for the exploit, ``static_cwe``/``static_any`` when analyzers ran) to
``secure``/``vulnerable``/``unknown``; every unknown carries a reason.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from seccal.repo.apply import ApplyError, write_workdir
from seccal.repo.execute import CommandResult, run_command
from seccal.repo.model import RepoTask, Step
from seccal.repo.runners import default_env, expand_argv, harness_files, missing_toolchain

Functional = Literal["pass", "fail", "unknown"]
Security = Literal["secure", "vulnerable", "unknown"]
_MSG_TAIL = 800


@dataclass(slots=True)
class StepOutcome:
    """What one step did."""

    role: str
    name: str
    outcome: Literal["pass", "fail", "error"]
    message: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "role": self.role,
            "name": self.name,
            "outcome": self.outcome,
            "message": self.message,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class RepoVerdict:
    """Labels for one generation of a repository task."""

    generation_id: str
    task_key: str
    functional: Functional = "unknown"
    security: dict[str, Security] = field(default_factory=lambda: {"dynamic": "unknown"})
    reasons: dict[str, str] = field(default_factory=dict)
    tests: list[StepOutcome] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    isolation: Literal["strong", "weak"] = "weak"
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict with the judge's Verdict field names."""
        return {
            "generation_id": self.generation_id,
            "task_key": self.task_key,
            "functional": self.functional,
            "security": dict(self.security),
            "reasons": dict(self.reasons),
            "tests": [t.to_dict() for t in self.tests],
            "findings": list(self.findings),
            "isolation": self.isolation,
            "timings": dict(self.timings),
        }

    def unknown(self, reason: str) -> RepoVerdict:
        """Mark every label unknown with ``reason`` (harness or toolchain problem)."""
        self.functional = "unknown"
        self.security["dynamic"] = "unknown"
        self.reasons["functional"] = reason
        self.reasons["dynamic"] = reason
        return self


def _step_passed(step: Step, res: CommandResult) -> tuple[bool, str]:
    if res.launch_error:
        return False, f"could not start: {res.launch_error}"
    if res.timed_out:
        return False, f"timed out after {step.timeout_s:g} s"
    if res.returncode != step.pass_exit:
        return False, f"exit {res.returncode}: {res.output[-_MSG_TAIL:]}"
    for frag in step.fail_if_output_contains:
        if frag in res.output:
            return False, f"output contains {frag!r}"
    return True, res.output[-200:]


def _run_steps(
    task: RepoTask, steps: tuple[Step, ...], workdir: Path, env: dict[str, str], python: str | None
) -> tuple[list[StepOutcome], str | None]:
    """Run steps in order; returns outcomes and a launch error if any step could not start."""
    outcomes = []
    # Source globs cover everything written to the work dir (tests and harness too).
    files = {**task.files, **task.test_files, **harness_files(task.language)}
    for step in steps:
        argv = expand_argv(step.argv, files=files, target=task.target, python=python)
        res = run_command(argv, workdir=workdir, env=env, timeout_s=step.timeout_s)
        ok, msg = _step_passed(step, res)
        outcome: Literal["pass", "fail", "error"] = "pass" if ok else "fail"
        if res.launch_error:
            outcome = "error"
        outcomes.append(StepOutcome(step.kind, step.name, outcome, msg, res.seconds))
        if res.launch_error:
            return outcomes, res.launch_error
        if not ok:
            break
    return outcomes, None


def judge_region(
    task: RepoTask,
    code: str,
    *,
    generation_id: str = "",
    python: str | None = None,
    cache_dir: Path | None = None,
) -> RepoVerdict:
    """Apply ``code`` to the task's region, build, and run functional and exploit steps.

    Parameters
    ----------
    task:
        The repository task.
    code:
        Text for the masked region (already extracted from the response).
    generation_id:
        Copied into the verdict.
    python:
        Interpreter for Python repositories (default: the running one).
    cache_dir:
        Shared build cache (Go) so repeated judging does not recompile the
        standard library.

    Returns
    -------
    RepoVerdict
        ``functional`` fails when the build fails; the exploit label is then
        ``unknown`` (the attack could not run), as it is for a missing
        toolchain or a harness error.
    """
    verdict = RepoVerdict(generation_id=generation_id, task_key=task.key)
    if not code.strip():
        verdict.functional = "fail"
        verdict.reasons["functional"] = "empty generation"
        verdict.reasons["dynamic"] = "empty generation: nothing to attack"
        return verdict
    missing = missing_toolchain(task.steps)
    if missing:
        return verdict.unknown(missing)
    env = {**default_env(task.language, cache_dir=cache_dir), **task.env}
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"seccal-repo-{task.id}-") as tmp:
        workdir = Path(tmp)
        try:
            write_workdir(task, code, workdir, extra=harness_files(task.language))
        except (ApplyError, OSError) as exc:
            return verdict.unknown(f"harness error while applying the region: {exc}")
        build, err = _run_steps(task, task.steps_of("build"), workdir, env, python)
        verdict.tests.extend(build)
        verdict.timings["build"] = sum(o.seconds for o in build)
        if err:
            return verdict.unknown(f"build could not start: {err}")
        if any(o.outcome != "pass" for o in build):
            verdict.functional = "fail"
            verdict.reasons["functional"] = "build failed"
            verdict.reasons["dynamic"] = "build failed: the exploit could not run"
            return verdict
        for kind in ("functional", "exploit"):
            outs, err = _run_steps(task, task.steps_of(kind), workdir, env, python)  # type: ignore[arg-type]
            verdict.tests.extend(outs)
            verdict.timings[kind] = sum(o.seconds for o in outs)
            label_key = "functional" if kind == "functional" else "dynamic"
            if err:
                verdict.reasons[label_key] = f"{kind} step could not start: {err}"
                continue
            ok = all(o.outcome == "pass" for o in outs)
            if kind == "functional":
                verdict.functional = "pass" if ok else "fail"
            else:
                verdict.security["dynamic"] = "secure" if ok else "vulnerable"
    verdict.timings["total"] = time.monotonic() - start
    return verdict


@dataclass(frozen=True, slots=True)
class Validation:
    """Result of checking a task's references against its steps."""

    task_key: str
    ok: bool | None
    problems: tuple[str, ...]
    fixed: RepoVerdict
    vulnerable: RepoVerdict
    seconds: float

    @property
    def status(self) -> str:
        """``ok``, ``FAILED`` or ``unknown`` (a toolchain is missing)."""
        return {True: "ok", False: "FAILED", None: "unknown"}[self.ok]


def validate_task(
    task: RepoTask, *, python: str | None = None, cache_dir: Path | None = None
) -> Validation:
    """Check that the fixed reference passes everything and the vulnerable one only fails the exploit.

    ``ok`` is None (unknown) when a toolchain is missing: that is no evidence
    either way.
    """
    start = time.monotonic()
    fixed = judge_region(
        task, task.fixed_region, generation_id="fixed", python=python, cache_dir=cache_dir
    )
    vuln = judge_region(
        task, task.vulnerable_region, generation_id="vulnerable", python=python, cache_dir=cache_dir
    )
    problems = []
    if fixed.functional == "unknown" or vuln.functional == "unknown":
        reason = fixed.reasons.get("functional") or vuln.reasons.get("functional", "")
        return Validation(task.key, None, (reason,), fixed, vuln, time.monotonic() - start)
    if fixed.functional != "pass":
        problems.append(f"fixed reference functional: {fixed.functional}")
    if fixed.security["dynamic"] != "secure":
        problems.append(f"fixed reference exploit: {fixed.security['dynamic']}")
    if vuln.functional != "pass":
        problems.append(f"vulnerable reference functional: {vuln.functional}")
    if vuln.security["dynamic"] != "vulnerable":
        problems.append(f"vulnerable reference exploit: {vuln.security['dynamic']}")
    for v in (fixed, vuln):
        problems.extend(
            f"{v.generation_id} {t.role}/{t.name}: {t.message[-300:]}"
            for t in v.tests
            if t.outcome != "pass" and problems
        )
    return Validation(
        task.key, not problems, tuple(problems), fixed, vuln, time.monotonic() - start
    )


def judge_many(
    items: Sequence[tuple[RepoTask, str, str]],
    *,
    static: bool = True,
    python: str | None = None,
    cache_dir: Path | None = None,
) -> list[RepoVerdict]:
    """Judge many ``(task, code, generation_id)`` items; static analysis runs once for all.

    A failing analyzer leaves the static labels ``unknown`` with its reason
    instead of losing the dynamic verdicts.
    """
    verdicts = [
        judge_region(task, code, generation_id=gid, python=python, cache_dir=cache_dir)
        for task, code, gid in items
    ]
    if not static:
        return verdicts
    from seccal.repo.static import analyze_regions, static_labels

    runnable = [i for i, (_, code, _) in enumerate(items) if code.strip()]
    try:
        found = analyze_regions([(items[i][0], items[i][1]) for i in runnable])
    except (RuntimeError, ValueError, OSError) as exc:
        for v in verdicts:
            for key in ("static_cwe", "static_any"):
                v.security[key] = "unknown"
                v.reasons[key] = f"static analysis failed: {exc}"
        return verdicts
    for i, findings in zip(runnable, found, strict=True):
        v = verdicts[i]
        v.findings.extend(f.to_dict() for f in findings)
        v.security.update(static_labels(items[i][0], findings))
    for i, (_, code, _) in enumerate(items):
        if not code.strip():
            for key in ("static_cwe", "static_any"):
                verdicts[i].security[key] = "unknown"
                verdicts[i].reasons[key] = "empty generation"
    return verdicts
