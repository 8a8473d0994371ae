"""The judge: dynamic tests in the sandbox plus static analysis, as verdicts."""

from __future__ import annotations

import queue
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from seccal.judge.config import JudgeConfig
from seccal.judge.labels import dynamic_security_label, functional_label, static_labels
from seccal.judge.pyrunner import PyJob, PythonRunner, RoleResult
from seccal.judge.sandbox import Sandbox, SandboxConfig
from seccal.judge.static import DEFAULT_RULES, Bandit, Semgrep, StaticReport, analyze
from seccal.judge.verdict import NO_TESTS_REASON, Verdict
from seccal.tasks.model import Task, TestRole


@dataclass(frozen=True, slots=True)
class JudgeItem:
    """A generated snippet to judge against its task."""

    generation_id: str
    task: Task
    code: str


class Judge:
    """Judges generated snippets: functional tests, exploits, static analysis.

    Parameters
    ----------
    config:
        Settings; the sandbox is probed once, here (a weak fallback warns once).

    Examples
    --------
    >>> judge = Judge(JudgeConfig(analyzers=()))             # doctest: +SKIP
    >>> [v.functional for v in judge.judge_many(items)]     # doctest: +SKIP
    ['pass', 'fail']
    """

    def __init__(self, config: JudgeConfig | None = None) -> None:
        self.config = config or JudgeConfig()
        cfg = self.config
        self._sandboxes: queue.Queue[Sandbox] = queue.Queue()
        for n in range(max(1, cfg.workers)):
            sb_cfg = SandboxConfig(bwrap=cfg.bwrap, uid=cfg.uid_base + n, force_weak=cfg.force_weak)
            self._sandboxes.put(Sandbox(sb_cfg))
        self.isolation = self._sandboxes.queue[0].isolation
        self._analyzers: list[Bandit | Semgrep] = []
        for name in cfg.analyzers:
            if name == "bandit":
                self._analyzers.append(Bandit())
            else:
                self._analyzers.append(Semgrep(cfg.semgrep_rules or (DEFAULT_RULES,)))

    # -- public API ---------------------------------------------------------
    def judge(self, item: JudgeItem) -> Verdict:
        """Judge one snippet (prefer :meth:`judge_many`: it batches)."""
        return self.judge_many([item])[0]

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Judge ``items``; the result is in the same order. Never raises for bad code."""
        batches = list(_chunks(list(range(len(items))), max(1, self.config.batch_size)))
        verdicts: list[Verdict | None] = [None] * len(items)
        with ThreadPoolExecutor(max_workers=max(1, self.config.workers)) as pool:
            for idx, out in zip(
                batches,
                pool.map(lambda b: self._judge_batch([items[i] for i in b]), batches),
                strict=True,
            ):
                for i, verdict in zip(idx, out, strict=True):
                    verdicts[i] = verdict
        return [v for v in verdicts if v is not None]

    def iter_judge(self, items: Sequence[JudgeItem]) -> Iterator[list[Verdict]]:
        """Judge ``items`` batch by batch, yielding each batch's verdicts as it finishes.

        Callers that persist verdicts (the CLI) save each batch before the next
        one is judged, so an interrupted run loses at most a batch.
        """
        size = max(1, self.config.batch_size)
        group = size * max(1, self.config.workers)
        for start in range(0, len(items), group):
            yield self.judge_many(items[start : start + group])

    # -- one batch ----------------------------------------------------------
    def _judge_batch(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        start = time.monotonic()
        verdicts = [self._precheck(item) for item in items]
        sandbox = self._sandboxes.get()
        try:
            with tempfile.TemporaryDirectory(
                prefix="seccal-judge-", dir=self.config.work_root
            ) as tmp:
                root = Path(tmp)
                root.chmod(0o711)  # the sandbox uid must reach its batch dir
                t0 = time.monotonic()
                dyn = self._dynamic(sandbox, items, verdicts, root)
                t_dyn = time.monotonic() - t0
                t0 = time.monotonic()
                static = self._static(items, verdicts, root)
                t_static = time.monotonic() - t0
                if self.config.keep_workdirs:
                    shutil.copytree(root, Path(tempfile.mkdtemp(prefix="seccal-kept-")) / "b")
        finally:
            self._sandboxes.put(sandbox)
        n = max(1, len(items))
        for i, (item, verdict) in enumerate(zip(items, verdicts, strict=True)):
            roles = dyn.get(str(i))
            if roles is not None:
                self._apply_dynamic(verdict, item.task, roles)
                verdict.isolation = sandbox.isolation
            self._apply_static(verdict, item.task, str(i), static)
            verdict.timings.update(
                dynamic=t_dyn / n, static=t_static / n, total=(time.monotonic() - start) / n
            )
            verdict.check()
        return verdicts

    def _precheck(self, item: JudgeItem) -> Verdict:
        v = Verdict(generation_id=item.generation_id, task_key=item.task.key)
        task = item.task
        if not item.code.strip():
            for key in ("functional", "dynamic", "static_cwe", "static_any"):
                v.set_unknown(key, "no code extracted")
            return v
        if task.language != "python":
            reason = (
                f"missing toolchain: {task.language} snippets are judged by the repository judge"
            )
            for key in ("functional", "dynamic", "static_cwe", "static_any"):
                v.set_unknown(key, reason)
            return v
        try:
            compile(item.code, task.module_name, "exec")
        except (SyntaxError, ValueError) as exc:
            # Broken code does not work (functional fail) but proves nothing either
            # way about security: no exploit ran and the analyzers cannot parse it.
            reason = f"syntax error: {exc}"[:300]
            v.functional = "fail"
            v.reasons["functional"] = reason
            for key in ("dynamic", "static_cwe", "static_any"):
                v.set_unknown(key, reason)
            return v
        if task.static_only or not task.tests:
            v.set_unknown("functional", NO_TESTS_REASON)
            v.set_unknown("dynamic", NO_TESTS_REASON)
        elif not task.tests_for(TestRole.SECURITY):
            v.set_unknown("dynamic", "task has no security tests")
        return v

    @staticmethod
    def _needs_tests(v: Verdict) -> bool:
        return not v.reasons

    def _dynamic(
        self, sandbox: Sandbox, items: Sequence[JudgeItem], verdicts: list[Verdict], root: Path
    ) -> dict[str, dict[str, RoleResult]]:
        jobs = [
            PyJob(str(i), item.task, item.code)
            for i, (item, v) in enumerate(zip(items, verdicts, strict=True))
            if self._needs_tests(v) or v.reasons.keys() == {"dynamic"}
        ]
        if not jobs:
            return {}
        python = self.config.sandbox_python
        if not python.exists():
            reason = f"sandbox environment missing: {python} (run scripts/setup.d/20-sandbox.sh)"
            for job in jobs:
                v = verdicts[int(job.job_id)]
                for key in ("functional", "dynamic"):
                    if v.functional == "unknown" or key == "functional":
                        v.set_unknown(key, v.reasons.get(key, reason))
            return {}
        runner = PythonRunner(sandbox, python, self.config.test_limits)
        try:
            batch = runner.run_batch(jobs, root / "batch")
        except ValueError as exc:  # unsafe task file names: the task, not the code, is bad
            return {j.job_id: _all_missing(j, f"bad task: {exc}") for j in jobs}
        results = batch.results
        missing = [
            j for j in jobs if any(r.status == "missing" for r in results[j.job_id].values())
        ]
        if len(jobs) > 1 and missing:
            # The batch's driver died (a snippet killed it): re-run each snippet that
            # has no result in a sandbox of its own so only the culprit is affected.
            for n, job in enumerate(missing):
                solo = runner.run_batch([job], root / f"solo-{n}")
                results[job.job_id] = solo.results[job.job_id]
        return results

    def _apply_dynamic(self, v: Verdict, task: Task, roles: dict[str, RoleResult]) -> None:
        for role in roles.values():
            v.tests.extend(role.tests)
        functional = roles.get(str(TestRole.FUNCTIONAL))
        if functional is not None:
            label, reason = functional_label(functional)
            v.functional = label
            if reason:
                v.set_unknown("functional", reason)
        elif "functional" not in v.reasons:
            v.set_unknown("functional", "task has no functional tests")
        security = roles.get(str(TestRole.SECURITY))
        if security is not None:
            sec, reason = dynamic_security_label(security)
            v.security["dynamic"] = sec
            if reason:
                v.set_unknown("dynamic", reason)

    def _static(
        self, items: Sequence[JudgeItem], verdicts: list[Verdict], root: Path
    ) -> StaticReport:
        files: dict[str, Path] = {}
        for i, (item, v) in enumerate(zip(items, verdicts, strict=True)):
            if "static_cwe" in v.reasons:
                continue  # no code, syntax error, other language
            path = root / "static" / str(i) / Path(item.task.module_name).name
            path.parent.mkdir(parents=True)
            path.write_text(item.code)
            files[str(i)] = path
        return analyze(files, self._analyzers)

    def _apply_static(self, v: Verdict, task: Task, key: str, report: StaticReport) -> None:
        if "static_cwe" in v.reasons:
            return
        if not self._analyzers:
            for src in ("static_cwe", "static_any"):
                v.set_unknown(src, "static analysis disabled")
            return
        v.findings = report.findings.get(key, [])
        if report.errors:
            reason = "static analyzer failed: " + "; ".join(
                f"{name}: {err}" for name, err in sorted(report.errors.items())
            )
            for src in ("static_cwe", "static_any"):
                v.set_unknown(src, reason[:500])
            return
        cwe, any_ = static_labels(v.findings, task.cwes, self.config.static_any_min_severity)
        v.security["static_cwe"] = cwe
        v.security["static_any"] = any_


def _all_missing(job: PyJob, reason: str) -> dict[str, RoleResult]:
    return {
        str(role): RoleResult(str(role), "crash", message=reason)
        for role in (TestRole.FUNCTIONAL, TestRole.SECURITY)
        if job.task.tests_for(role)
    }


def _chunks(seq: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]
