"""The judge: dynamic tests in the sandbox plus static analysis, as verdicts.

Why ~540 lines in one module: :class:`Judge` is one flow (prechecks, overlapping
groups, batches on the work queue, the retry of a batch whose driver died, static
chunks, and the verdict assembled from both); its queue and its sandbox pool live
in :mod:`seccal.judge.workqueue`, its warm sandbox sessions in
:mod:`seccal.judge.session`.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import weakref
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import TypeVar

from seccal.core.labels import MEASURED_SOURCES
from seccal.core.task import Task, TestRole
from seccal.core.verdict import NO_TESTS_REASON, Isolation, Verdict
from seccal.judge.analyzers import Analyzer, Source, StaticReport, analyze_sources, create_analyzers
from seccal.judge.backends import Backend, JudgeItem, backend_for
from seccal.judge.config import DEFAULT_ENV, SANDBOX_ENV_KEY, JudgeConfig
from seccal.judge.labels import dynamic_security_label, functional_label
from seccal.judge.pyrunner import BatchResult, PyJob, PythonRunner, RoleResult
from seccal.judge.sandbox import Sandbox, SandboxConfig
from seccal.judge.session import SessionSlot
from seccal.judge.workqueue import YIELD_FILE, RankedPool, WorkQueue

_T = TypeVar("_T")

#: Why functional and dynamic labels are unknown in :meth:`Judge.judge_static`.
STATIC_ONLY_REASON = "not run: static analysis only"


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
        self._slots = [
            SessionSlot(
                Sandbox(
                    SandboxConfig(bwrap=cfg.bwrap, uid=cfg.uid_base + n, force_weak=cfg.force_weak)
                ),
                cfg.work_root,
            )
            for n in range(max(1, cfg.workers))
        ]
        self._sandboxes: RankedPool[SessionSlot] = RankedPool(self._slots)
        self.isolation = self._slots[0].sandbox.isolation
        # the warm drivers end with the judge (or at exit, whichever comes first)
        self._finalizer = weakref.finalize(self, _close_slots, list(self._slots))
        #: Running totals for benchmarks: wall seconds per stage, sandbox CPU seconds,
        #: batches run (``batches``) and sandboxes started for them (``sandboxes``: fewer
        #: with warm sessions), snippets a yielding batch handed back (``deferred``),
        #: CPU seconds of each analyzer's processes (``static_cpu_s.<analyzer>``).
        self.stats: dict[str, float] = defaultdict(float)
        self._stats_lock = threading.Lock()
        self._backends: dict[str, Backend] = {}
        self._analyzers: list[Analyzer] = create_analyzers(cfg)

    # -- public API ---------------------------------------------------------
    def close(self) -> None:
        """End the sandboxes' warm drivers (:mod:`seccal.judge.session`); idempotent.

        A judge that is not closed ends them when it is garbage-collected or at exit.
        It may judge again after ``close``: its sandboxes then start anew.
        """
        self._finalizer()
        self._finalizer = weakref.finalize(self, _close_slots, list(self._slots))

    def __enter__(self) -> Judge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def judge(self, item: JudgeItem) -> Verdict:
        """Judge one snippet (prefer :meth:`judge_many`: it batches)."""
        return self.judge_many([item])[0]

    def judge_many(
        self, items: Sequence[JudgeItem], drained: threading.Event | None = None
    ) -> list[Verdict]:
        """Judge ``items``; the result is in the same order. Never raises for bad code.

        ``snippet`` tasks are judged here; every other :attr:`Task.kind` goes, in one
        call per kind, to the backend registered for it (:mod:`seccal.judge.backends`).
        ``drained`` is set once a worker has nothing left to start (at the latest on
        return): :meth:`judge_groups` then starts the next group.
        """
        by_kind: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(items):
            by_kind[item.task.kind].append(i)
        out: list[Verdict | None] = [None] * len(items)
        try:
            for kind, idx in by_kind.items():
                part = [items[i] for i in idx]
                verdicts = (
                    self._judge_snippets(part, drained if len(by_kind) == 1 else None)
                    if kind == "snippet"
                    else self._backend(kind).judge_many(part)
                )
                for i, v in zip(idx, verdicts, strict=True):
                    out[i] = v
        finally:
            if drained is not None:
                drained.set()
        return [v for v in out if v is not None]

    def judge_static(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Static labels only (no code runs): the analyzers on each item, in order.

        Functional and dynamic labels are ``unknown`` ("not run: static analysis
        only"); used to measure the static label on reference code
        (:mod:`seccal.judge.static_quality`).
        """
        by_kind: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(items):
            by_kind[item.task.kind].append(i)
        out: list[Verdict | None] = [None] * len(items)
        for kind, idx in by_kind.items():
            part = [items[i] for i in idx]
            if kind == "snippet":
                verdicts = [self._precheck(item) for item in part]
                report, _, _ = self._static(part, verdicts, list(range(len(part))))
                for n, (item, v) in enumerate(zip(part, verdicts, strict=True)):
                    self._apply_static(v, item.task, str(n), report)
            else:
                verdicts = self._backend(kind).judge_static(part)
            for i, v in zip(idx, verdicts, strict=True):
                for key in ("functional", "dynamic"):
                    if key not in v.reasons:
                        v.set_unknown(key, STATIC_ONLY_REASON)
                out[i] = v
        return [v for v in out if v is not None]

    def _backend(self, kind: str) -> Backend:
        if kind not in self._backends:
            self._backends[kind] = backend_for(kind, self.config)
        return self._backends[kind]

    def _judge_snippets(
        self, items: Sequence[JudgeItem], drained: threading.Event | None = None
    ) -> list[Verdict]:
        """Judge self-contained snippets.

        Dynamic tests run in batches of ``batch_size`` snippets per sandbox,
        ``workers`` sandboxes at once, each batch holding tasks of one sandbox
        environment, snippets of one task side by side (``task_batches``) so that
        their shared heavy imports are paid once (:mod:`seccal.judge.warm`). When a
        worker finds no batch left, every running batch is asked to yield: it starts
        no further snippet and its rest is split among the idle workers at once (in a
        warm session, while its last snippet still runs), so that a slow task's
        snippets are shared by every worker to the end. Static analysis
        runs alongside, one Bandit and one Semgrep process per ``static_chunk`` snippets.
        """
        start = time.monotonic()
        verdicts = [self._precheck(item) for item in items]
        cfg = self.config
        everything = list(range(len(items)))
        batches = (
            (env, idx)
            for env, group in _by_env(items, by_task=cfg.task_batches).items()
            for idx in _chunks(group, max(1, cfg.batch_size))
        )
        work = WorkQueue(batches, drained)
        workers = max(1, cfg.workers)
        with ThreadPoolExecutor(max_workers=workers + 1) as pool:
            static_future = pool.submit(
                lambda: [
                    self._static(items, verdicts, idx)
                    for idx in _chunks(everything, max(1, cfg.static_chunk))
                ]
            )
            dynamic_futures = [
                pool.submit(self._dynamic_worker, items, verdicts, work) for _ in range(workers)
            ]
            for fut in dynamic_futures:
                for results, isolation, per_item in fut.result():
                    for i, roles in results.items():
                        self._apply_dynamic(verdicts[i], items[i].task, roles)
                        verdicts[i].isolation = isolation
                    for i in per_item:
                        verdicts[i].timings["dynamic"] = per_item[i]
            for report, idx, per_snippet in static_future.result():
                for i in idx:
                    self._apply_static(verdicts[i], items[i].task, str(i), report)
                    verdicts[i].timings["static"] = per_snippet
        total = (time.monotonic() - start) / max(1, len(items))
        for verdict in verdicts:
            verdict.timings["total"] = total
            verdict.check()
        return verdicts

    def iter_judge(self, items: Iterable[JudgeItem]) -> Iterator[list[Verdict]]:
        """Judge ``items`` group by group, yielding each group's verdicts in order.

        See :meth:`judge_groups`.
        """
        for _, verdicts in self.judge_groups(items):
            yield verdicts

    def judge_groups(
        self, items: Iterable[JudgeItem]
    ) -> Iterator[tuple[list[JudgeItem], list[Verdict]]]:
        """Judge ``items`` (read lazily) in groups of :meth:`group_sizes`: each group
        with its verdicts, in order.

        The next group is judged while the last batches of the one before still run:
        both share the workers' sandboxes, so no worker idles at a group's end (SALLM's
        910 references in a study's groups: both cores busy 94-96% of the time, not 86-88%).
        A caller that stores each group as it comes (the CLI, a study) loses at most two
        groups when interrupted.
        """
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="seccal-group") as pool:
            pending: deque[tuple[list[JudgeItem], Future[list[Verdict]], threading.Event]]
            pending = deque()
            for group in self.groups(items):
                if pending:  # start when the group before has a worker with nothing left
                    pending[-1][2].wait()
                drained = threading.Event()
                pending.append((group, pool.submit(self.judge_many, group, drained), drained))
                if len(pending) == 2:
                    done, fut, _ = pending.popleft()
                    yield done, fut.result()
            while pending:
                done, fut, _ = pending.popleft()
                yield done, fut.result()

    def groups(self, items: Iterable[_T]) -> Iterator[list[_T]]:
        """``items`` cut lazily into consecutive groups of :meth:`group_sizes`."""
        it = iter(items)
        for size in self.group_sizes():
            group = list(islice(it, size))
            if not group:
                return
            yield group

    def group_sizes(self) -> Iterator[int]:
        """Snippets per :meth:`judge_many` call of :meth:`judge_groups`, group after group.

        The first group is one batch per worker, so that the first verdicts come
        early; then four batches per worker, so that the analyzers start once per
        hundreds of snippets (SALLM's references as a study judges them: 11.0
        snippets/s in groups of one batch per worker, 14.8/s in groups of four).
        """
        one = max(1, self.config.batch_size) * max(1, self.config.workers)
        yield one
        while True:
            yield 4 * one

    def _count(self, key: str, value: float) -> None:
        with self._stats_lock:
            self.stats[key] += value

    def _count_batch(self, batch: BatchResult) -> None:
        self._count("sandbox_cpu_s", batch.driver_cpu_s)
        self._count("batches", 1)
        self._count("sandboxes", batch.sandboxes)
        for stage, seconds in batch.stages.items():
            self._count(f"{stage}_s", seconds)

    # -- dynamic: one batch per sandbox ---------------------------------------
    def _dynamic_worker(
        self, items: Sequence[JudgeItem], verdicts: list[Verdict], work: WorkQueue
    ) -> list[tuple[dict[int, dict[str, RoleResult]], Isolation, dict[int, float]]]:
        """Judge batches from ``work`` until none is left; a batch's deferred rest goes back."""
        done = []
        while (batch := work.take()) is not None:
            env, idx = batch
            deferred: list[int] = []
            try:
                results, isolation, per_item, deferred = self._dynamic_batch(
                    items, verdicts, idx, env, work
                )
                done.append((results, isolation, per_item))
            finally:
                work.finish((env, deferred) if deferred else None)
        return done

    def _dynamic_batch(
        self,
        items: Sequence[JudgeItem],
        verdicts: list[Verdict],
        idx: list[int],
        env: str,
        work: WorkQueue,
    ) -> tuple[dict[int, dict[str, RoleResult]], Isolation, dict[int, float], list[int]]:
        slot = self._sandboxes.get(work.rank)
        sandbox = slot.sandbox
        sessions = self.config.sandbox_sessions and sandbox.isolation == "strong"
        handed_back: list[int] = []  # left while the batch still ran: queued already

        def hand_back(local_ids: tuple[str, ...]) -> None:
            rest = [idx[int(k)] for k in local_ids]
            handed_back.extend(rest)
            work.hand_back((env, rest))

        t0 = time.monotonic()
        try:
            with tempfile.TemporaryDirectory(
                prefix="seccal-judge-", dir=slot.root if sessions else self.config.work_root
            ) as tmp:
                root = Path(tmp)
                root.chmod(0o711)  # the sandbox uid must reach its batch dir
                local, left = self._dynamic(
                    sandbox,
                    [items[i] for i in idx],
                    [verdicts[i] for i in idx],
                    root,
                    env,
                    work,
                    slot if sessions else None,
                    hand_back,
                )
                if self.config.keep_workdirs:
                    shutil.copytree(root, Path(tempfile.mkdtemp(prefix="seccal-kept-")) / "b")
        finally:
            self._sandboxes.put(slot)
        self._count("dynamic_wall_s", time.monotonic() - t0)
        later = {idx[int(k)] for k in left}
        ran = [i for i in idx if i not in later]
        per_item = (time.monotonic() - t0) / max(1, len(ran))
        results = {idx[int(k)]: roles for k, roles in local.items()}
        handed = set(handed_back)
        deferred = [idx[int(k)] for k in left if idx[int(k)] not in handed]
        return results, sandbox.isolation, dict.fromkeys(ran, per_item), deferred

    def _precheck(self, item: JudgeItem) -> Verdict:
        v = Verdict(generation_id=item.generation_id, task_key=item.task.key)
        task = item.task
        if not item.code.strip():
            for key in ("functional", *MEASURED_SOURCES):
                v.set_unknown(key, "no code extracted")
            return v
        if task.language != "python":
            reason = (
                f"missing toolchain: {task.language} snippets are judged by the repository judge"
            )
            for key in ("functional", *MEASURED_SOURCES):
                v.set_unknown(key, reason)
            return v
        try:
            compile(item.code, task.module_name, "exec")
        except (SyntaxError, ValueError) as exc:
            # Broken code does not work (functional fail) but proves nothing either
            # way about security: no exploit ran and the analyzers cannot parse it.
            reason = f"syntax error: {exc}"[:300]
            v.parse_error = True
            v.functional = "fail"
            v.reasons["functional"] = reason
            for key in MEASURED_SOURCES:
                v.set_unknown(key, reason)
            return v
        if task.static_only or not task.tests:
            why = str(task.metadata.get("static_only_reason") or NO_TESTS_REASON)
            v.set_unknown("functional", why)
            v.set_unknown("dynamic", why)
        elif not task.tests_for(TestRole.SECURITY):
            v.set_unknown("dynamic", "task has no security tests")
        return v

    def _dynamic(
        self,
        sandbox: Sandbox,
        items: Sequence[JudgeItem],
        verdicts: list[Verdict],
        root: Path,
        env: str,
        work: WorkQueue,
        slot: SessionSlot | None = None,
        hand_back: Callable[[tuple[str, ...]], None] | None = None,
    ) -> tuple[dict[str, dict[str, RoleResult]], list[str]]:
        """Results per job id, and the ids a yielding batch left for another batch
        (``hand_back`` gets them as soon as the driver names them)."""
        jobs = [
            PyJob(str(i), item.task, item.code)
            for i, (item, v) in enumerate(zip(items, verdicts, strict=True))
            # nothing decided yet, or only "no security tests": functional tests still run
            if not v.reasons or v.reasons.keys() == {"dynamic"}
        ]
        if not jobs:
            return {}, []
        try:
            python = self.config.python_for(env)
        except ValueError as exc:  # the task names an impossible environment
            return {j.job_id: _all_missing(j, f"bad task: {exc}") for j in jobs}, []
        if not python.exists():
            # Never fall back to another environment: other package versions would
            # give other labels, silently.
            reason = (
                f"sandbox environment missing: {python} (run scripts/setup.d/20-sandbox.sh)"
                if env == DEFAULT_ENV
                else f"sandbox environment {env!r} missing: run make setup ({python})"
            )
            for job in jobs:
                v = verdicts[int(job.job_id)]
                v.set_unknown("functional", reason)
                v.set_unknown("dynamic", v.reasons.get("dynamic", reason))
            return {}, []
        for job in jobs:
            verdicts[int(job.job_id)].sandbox_env = env
        runner = PythonRunner(
            sandbox, python, self.config.test_limits, on_demand=self.config.task_batches, slot=slot
        )
        try:
            batch_dir = root / "batch"
            batch_dir.mkdir(parents=True)
            with work.running(batch_dir / YIELD_FILE):
                batch = runner.run_batch(
                    jobs, batch_dir, yield_file=YIELD_FILE, on_deferred=hand_back
                )
            self._count_batch(batch)
        except ValueError as exc:  # unsafe task file names: the task, not the code, is bad
            return {j.job_id: _all_missing(j, f"bad task: {exc}") for j in jobs}, []
        results = batch.results
        deferred = list(batch.deferred)
        self._count("deferred", len(deferred))
        jobs = [j for j in jobs if j.job_id not in batch.deferred]
        attempt = 0
        while len(jobs) > 1:
            missing = [j for j in jobs if _has_missing(results[j.job_id])]
            if not missing:
                break
            # The driver died during the first snippet without a result (the driver
            # runs snippets in order): that one is re-run alone, so that only the
            # culprit's own verdict is affected, and the rest as a fresh batch.
            attempt += 1
            culprit, jobs = missing[0], missing[1:]
            solo = runner.run_batch([culprit], root / f"retry-{attempt}-solo")
            self._count_batch(solo)
            results[culprit.job_id] = solo.results[culprit.job_id]
            if jobs:
                rest = runner.run_batch(jobs, root / f"retry-{attempt}-rest")
                self._count_batch(rest)
                results.update(rest.results)
        return results, deferred

    def _apply_dynamic(self, v: Verdict, task: Task, roles: dict[str, RoleResult]) -> None:
        for role in roles.values():
            v.tests.extend(role.tests)
        # the CPU of the snippet's own test processes; the roles of one merged run
        # carry that run's wall and CPU time each, so a run is counted once
        v.timings["test_cpu"] = sum(cpu for _, cpu in {(r.wall_s, r.cpu_s) for r in roles.values()})
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
            sec, reason = dynamic_security_label(security, task.cwes)
            v.security["dynamic"] = sec
            if reason:
                v.set_unknown("dynamic", reason)

    def _static(
        self, items: Sequence[JudgeItem], verdicts: list[Verdict], idx: list[int]
    ) -> tuple[StaticReport, list[int], float]:
        t0 = time.monotonic()
        sources = [
            Source(str(i), Path(items[i].task.module_name).name, items[i].code)
            for i in idx
            if "static" not in verdicts[i].reasons  # no code, syntax error, other language
        ]
        report = analyze_sources(sources, self._analyzers, work_root=self.config.work_root)
        self._count("static_wall_s", time.monotonic() - t0)
        for name, cpu in report.cpu_s.items():
            self._count(f"static_cpu_s.{name}", cpu)
        return report, idx, (time.monotonic() - t0) / max(1, len(idx))

    def _apply_static(self, v: Verdict, task: Task, key: str, report: StaticReport) -> None:
        if "static" in v.reasons:
            return
        if not self._analyzers:
            v.set_unknown("static", "static analysis disabled")
            return
        report.apply(key, v, task.cwes, self.config.static_min_severity)


def _close_slots(slots: list[SessionSlot]) -> None:
    for slot in slots:
        slot.close()


def _has_missing(roles: dict[str, RoleResult]) -> bool:
    return any(r.status == "missing" for r in roles.values())


def _all_missing(job: PyJob, reason: str) -> dict[str, RoleResult]:
    return {
        str(role): RoleResult(str(role), "crash", message=reason)
        for role in (TestRole.FUNCTIONAL, TestRole.SECURITY)
        if job.task.tests_for(role)
    }


def _by_env(items: Sequence[JudgeItem], *, by_task: bool = False) -> dict[str, list[int]]:
    """Item indices grouped by the sandbox environment their task names, in order.

    ``by_task``: within an environment, the items of one task next to each other
    (in input order otherwise), so that batches cut from a group share their imports.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[str(item.task.metadata.get(SANDBOX_ENV_KEY) or DEFAULT_ENV)].append(i)
    if by_task:
        for env, idx in groups.items():
            first: dict[str, int] = {}
            for i in idx:
                first.setdefault(items[i].task.key, len(first))
            groups[env] = sorted(idx, key=lambda i: first[items[i].task.key])
    return groups


def _chunks(seq: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]
