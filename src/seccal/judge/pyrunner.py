"""Run Python tasks' tests against generated modules, many snippets per sandbox.

A batch directory holds one sub-directory per snippet (the generated module
under ``task.module_name``, the task's test files and extra files), the
in-sandbox driver (:mod:`seccal.judge._driver`) and a manifest. The driver forks
one child per (snippet, role); see its docstring for how snippets are kept apart
inside a batch. It runs in a sandbox of its own per batch or, given a
:class:`~seccal.judge.session.SessionSlot`, in the worker's warm session, which
runs batch after batch (:mod:`seccal.judge.session`).

Isolation trade-off: snippets of one batch share the sandbox uid, its tmpfs
and its process budget, one after the other. The driver kills every leftover
process and wipes the scratch space between snippets, so a snippet cannot see
or disturb the *next* one; what it can do is kill the driver, which ends the
batch: :class:`~seccal.judge.core.Judge` then re-runs the snippets without a
result one per sandbox, so only the culprit's own verdict is affected.

Why ~530 lines in one module: the manifest it writes and the records it reads back are the
two ends of one protocol with the driver; splitting them would put that protocol in two
places.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from seccal.core.task import (
    CPU_LIMIT_KEY,
    IMAGE_PINS_KEY,
    TEST_COMMAND_KEY,
    WORKDIR_KEY,
    Task,
    TestRole,
)
from seccal.core.verdict import TestOutcome, TestStatus
from seccal.judge.envpkgs import hidden_modules
from seccal.judge.sandbox import Limits, RunResult, Sandbox
from seccal.judge.session import SessionSlot, Signature
from seccal.judge.warm import PRELOAD, batch_preload, job_top_names, module_imports

RunStatus = Literal["ok", "timeout", "crash", "missing"]
_DRIVER = Path(__file__).with_name("_driver.py")
_VALID_STATUS = {"passed", "failed", "error", "skipped", "timeout"}
_PYTHON_RE = re.compile(r"python(?:3(?:\.\d+)?)?")
#: Top-level folders the sandbox provides; a task's WORKDIR is never mounted over them.
_RESERVED_TOP = frozenset(
    {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "proc", "dev", "tmp",
     "work", "opt", "root", "home", "sys", "run", "var"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PyJob:
    """One snippet to test: ``job_id`` must be unique within a batch."""

    job_id: str
    task: Task
    code: str


@dataclass(slots=True)
class RoleResult:
    """The outcome of running one role's test files for one snippet."""

    role: str
    status: RunStatus
    tests: list[TestOutcome] = field(default_factory=list)
    message: str = ""
    output: str = ""
    wall_s: float = 0.0
    #: CPU seconds of the test process (the run that produced this role's result).
    cpu_s: float = 0.0


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Results per job id and role, plus how the sandbox run ended."""

    results: dict[str, dict[str, RoleResult]]
    run: RunResult
    #: CPU seconds of the in-sandbox driver and its test processes (0 when it died).
    driver_cpu_s: float = 0.0
    #: Wall seconds per stage: ``start`` (sandbox and interpreter start, until the
    #: driver runs), ``imports`` (its warm-up imports), ``tests`` (the forked test
    #: runs, copies included); empty when the driver died.
    stages: dict[str, float] = field(default_factory=dict)
    #: Jobs the driver did not start because it was asked to yield (to be queued
    #: again); they have no entry in :attr:`results`.
    deferred: tuple[str, ...] = ()
    #: Sandboxes started for this batch: 1, or 0 when it ran in a warm session.
    sandboxes: int = 1


def _safe_relpath(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"unsafe file name in task: {name!r}")
    return path


def write_job(job_dir: Path, task: Task, code: str) -> list[dict[str, Any]]:
    """Write a snippet's files into ``job_dir``; return its test runs for the manifest.

    Raises
    ------
    ValueError
        When a task file name would escape the job directory.
    """
    job_dir.mkdir(parents=True)
    for name in task.extra_dirs:
        (job_dir / _safe_relpath(name)).mkdir(parents=True, exist_ok=True)
    for name, text in task.extra_files.items():
        target = job_dir / _safe_relpath(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    for name, b64 in task.binary_files.items():
        target = job_dir / _safe_relpath(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(b64))
    for spec in task.tests:
        (job_dir / _safe_relpath(spec.filename)).write_text(spec.source)
    (job_dir / _safe_relpath(task.module_name)).write_text(code)
    command = _command_run(task)
    if command is not None:
        return [command]
    runs: list[dict[str, Any]] = []
    for role in (TestRole.FUNCTIONAL, TestRole.SECURITY):
        specs = task.tests_for(role)
        selectors = {s.selector for s in specs if s.selector}
        if specs:
            runs.append(
                {
                    "role": str(role),
                    "files": sorted({s.filename for s in specs}),
                    "selector": " or ".join(f"({s})" for s in sorted(selectors)) or None,
                }
            )
    files = [f for r in runs for f in r["files"]]
    if len(runs) > 1 and not any(r["selector"] for r in runs) and len(set(files)) == len(files):
        # One pytest run for both roles halves the per-snippet cost; the driver falls
        # back to one run per role when the merged run times out or dies.
        merged = {
            "role": "merged",
            "files": files,
            "selector": None,
            "file_roles": {f: r["role"] for r in runs for f in r["files"]},
            "fallback": runs,
        }
        runs = [merged]
    return runs


def _command_run(task: Task) -> dict[str, Any] | None:
    """The manifest run for a task with its own test command (SALLM), else None.

    One run executes the command as the benchmark's container does, both roles in
    one process; its tests go to the role whose method they are. When that run
    hangs or dies, each role runs again alone (only its method loaded).
    """
    command = task.metadata.get(TEST_COMMAND_KEY)
    if not command:
        return None
    argv = [str(a) for a in command]
    if len(argv) < 2 or not _PYTHON_RE.fullmatch(PurePosixPath(argv[0]).name):
        raise ValueError(f"test command {argv} is not 'python SCRIPT ...'")
    _safe_relpath(argv[1])
    methods = {str(s.selector): str(s.role) for s in task.tests if s.selector}
    workdir = str(task.metadata.get(WORKDIR_KEY) or "")
    base = {
        "command": argv,
        "workdir": workdir if mountable_workdir(workdir) else None,
        "env": {str(k): str(v) for k, v in dict(task.metadata.get("image_env") or {}).items()},
    }
    fallback = [
        {**base, "role": role, "only": [m for m, r in methods.items() if r == role]}
        for role in dict.fromkeys(methods.values())
    ]
    return {**base, "role": "merged", "method_roles": methods, "fallback": fallback}


def mountable_workdir(path: str) -> bool:
    """Whether a task's absolute ``WORKDIR`` can be a fresh writable mount in the sandbox.

    Never one of the paths the sandbox itself provides (system folders, ``/tmp``,
    the batch dir): those keep their meaning, and the run falls back to a scratch copy.
    """
    p = PurePosixPath(path)
    if not p.is_absolute() or ".." in p.parts or len(p.parts) < 2:
        return False
    return p.parts[1] not in _RESERVED_TOP


class PythonRunner:
    """Runs Python test files against generated modules inside a sandbox.

    Parameters
    ----------
    sandbox:
        The sandbox to run in.
    python:
        Interpreter of the prepared sandbox environment (readable by the sandbox uid).
    limits:
        Limits of each (snippet, role) test run; the whole batch gets a wall
        clock budget that covers all of its runs.
    on_demand:
        Let the driver also preload the heavy modules every job of the batch
        imports (:func:`seccal.judge.warm.batch_preload`); off: :data:`PRELOAD` only.
    slot:
        Run batches in this slot's warm driver session (:mod:`seccal.judge.session`;
        batch dirs must then be inside ``slot.root``); ``None``: one sandbox per batch.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        python: Path,
        limits: Limits,
        *,
        on_demand: bool = True,
        slot: SessionSlot | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.python = python
        self.limits = limits
        self.on_demand = on_demand
        self.slot = slot if sandbox.isolation == "strong" else None

    def _hidden(self, task: Task) -> tuple[str, ...]:
        """Modules of the environment the task's own image would not have installed."""
        pins = task.metadata.get(IMAGE_PINS_KEY)
        if not pins or not task.metadata.get(TEST_COMMAND_KEY):
            return ()
        return hidden_modules(self.python.parent.parent, [str(p) for p in pins])

    def _preload(
        self, jobs: Sequence[PyJob], hidden: Sequence[tuple[str, ...]]
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """What the batch's driver imports, and its groups with their own imports.

        The driver imports :data:`PRELOAD` and what every job of the batch imports;
        in a strong sandbox, consecutive jobs of one task whose shared imports add
        more form a group that runs in a zygote importing those (:mod:`seccal.judge.warm`).
        """
        if not self.on_demand or not jobs:
            return list(PRELOAD), []
        parsed: dict[str, frozenset[str]] = {}  # a task's test files, parsed once per batch

        def test_imports(source: str) -> frozenset[str]:
            if source not in parsed:
                parsed[source] = module_imports(source)
            return parsed[source]

        imports = [
            module_imports(job.code).union(*(test_imports(s.source) for s in job.task.tests))
            for job in jobs
        ]
        shadowed = [
            job_top_names(
                [
                    *job.task.extra_files,
                    *job.task.binary_files,
                    *job.task.extra_dirs,
                    *(s.filename for s in job.task.tests),
                ]
            )
            for job in jobs
        ]

        def preload(idx: list[int]) -> list[str]:
            return batch_preload(
                [imports[i] for i in idx],
                {m for i in idx for m in hidden[i]},
                {m for i in idx for m in shadowed[i]},
            )

        everything = list(range(len(jobs)))
        common = preload(everything)
        if self.sandbox.isolation != "strong":
            return common, []
        runs: list[list[int]] = []
        for i, job in enumerate(jobs):
            if runs and jobs[runs[-1][0]].task.key == job.task.key:
                runs[-1].append(i)
            else:
                runs.append([i])
        # a zygote pays off from its second job on
        groups = [
            {"jobs": idx, "preload": [m for m in preload(idx) if m not in common]}
            if len(idx) > 1
            else {"jobs": idx, "preload": []}
            for idx in runs
        ]
        if not any(g["preload"] for g in groups):
            return common, []
        return common, groups

    def run_batch(
        self,
        jobs: Sequence[PyJob],
        batch_dir: Path,
        *,
        yield_file: str | None = None,
        on_deferred: Callable[[tuple[str, ...]], None] | None = None,
    ) -> BatchResult:
        """Test every job of the batch; jobs the driver never reported are ``missing``.

        ``yield_file``: a file name; once ``batch_dir / yield_file`` exists the driver
        starts no further job (it always runs the first), and the jobs it left are
        :attr:`BatchResult.deferred`, not missing. ``on_deferred`` gets them as soon
        as the driver names them, while its last job still runs (in a warm session;
        else when the batch ends); a result that comes for one of them later is
        dropped, since another batch judges it.
        """
        batch_dir.mkdir(parents=True, exist_ok=True)
        manifest_jobs: list[dict[str, Any]] = []
        hidden: list[tuple[str, ...]] = []
        lim = self.limits
        extra_cpu = 0  # CPU seconds tasks are allowed beyond the judge's per-run limit
        for n, job in enumerate(jobs):
            rel = f"jobs/{n}"
            runs = write_job(batch_dir / rel, job.task, job.code)
            hide = self._hidden(job.task)
            hidden.append(hide)
            cpu_s = job.task.metadata.get(CPU_LIMIT_KEY)
            for run in (r for top in runs for r in (top, *top.get("fallback", ()))):
                if hide and run.get("command"):
                    run["hide"] = list(hide)
                if cpu_s:
                    run["cpu_s"] = int(cpu_s)
                    extra_cpu += max(0, int(cpu_s) - lim.cpu_s)
            manifest_jobs.append({"id": job.job_id, "dir": rel, "runs": runs})
        preload, groups = self._preload(jobs, hidden)
        if self.slot is None:
            (batch_dir / "driver.py").write_text(_DRIVER.read_text())
        strong = self.sandbox.isolation == "strong"
        scratch = "/tmp/seccal-scratch" if strong else str(batch_dir.resolve() / "scratch")
        marker = f"@@seccal-{secrets.token_hex(8)}@@"
        workdirs = sorted(
            {str(r["workdir"]) for j in manifest_jobs for r in j["runs"] if r.get("workdir")}
        )
        if not strong:
            workdirs = []  # only bubblewrap can mount a task's own WORKDIR
        manifest: dict[str, Any] = {
            "marker": marker,
            "scratch": scratch,
            "workdirs": workdirs,
            "tmpdir": "/tmp" if strong else None,
            # kill(-1) is only safe where the sandbox uid runs nothing but this batch
            "sweep": strong or self.sandbox.uid != _host_uid(),
            "wipe": ["/tmp"] if strong else [],  # the sandbox's /tmp is private to it
            "preload": preload,
            "groups": groups,
            "yield_file": yield_file,
            "limits": {
                "wall_s": lim.wall_s,
                "cpu_s": lim.cpu_s,
                "memory_mb": lim.memory_mb,
                "fsize_mb": lim.fsize_mb,
                "nofile": lim.nofile,
            },
            "jobs": manifest_jobs,
        }
        n_runs = sum(len(j["runs"]) for j in manifest_jobs)
        batch_limits = Limits(
            # each run may get up to 2 x wall_s more while it waits for a CPU (driver)
            wall_s=n_runs * (3 * lim.wall_s + 1.0) + extra_cpu + 15.0,
            cpu_s=int(n_runs * (lim.cpu_s + 1) + extra_cpu + 15),
            memory_mb=None if lim.memory_mb is None else lim.memory_mb + 256,
            fsize_mb=lim.fsize_mb,
            nproc=lim.nproc,
            nofile=lim.nofile + 64,
            output_bytes=max(lim.output_bytes, n_runs * 64 * 1024),
            tmpfs_mb=lim.tmpfs_mb,
        )
        manifest["batch_cpu_s"] = batch_limits.cpu_s
        (batch_dir / "manifest.json").write_text(json.dumps(manifest))
        started = time.monotonic()
        server_cpu = server_warm = 0.0
        sandboxes = 1
        # Never the first job (the driver always starts it): whatever a forged line
        # says, every batch decides at least one job, so re-queuing the rest ends.
        first = str(manifest_jobs[0]["id"]) if manifest_jobs else None
        ours = {str(j["id"]) for j in manifest_jobs} - {first}
        early: list[str] = []

        def on_line(line: bytes) -> None:
            if on_deferred is None or b'"deferred"' not in line:
                return  # a result line (most of them): nothing to decode
            ids = _deferred_of(line.decode(errors="replace"), marker)
            fresh = tuple(j for j in ids or () if j in ours and j not in early)
            if fresh:
                early.extend(fresh)
                on_deferred(fresh)

        if self.slot is not None:
            signature = Signature(
                python=str(self.python),
                workdirs=tuple(workdirs),
                preload=PRELOAD,
                pytest=any(not r.get("command") for j in manifest_jobs for r in j["runs"]),
            )
            before = self.slot.started
            session = self.slot.session(signature, batch_limits, _DRIVER)
            sandboxes = self.slot.started - before
            path = (batch_dir / "manifest.json").resolve().relative_to(self.slot.root.resolve())
            done = session.run(str(path), marker, batch_limits, on_line)
            run, server_cpu, server_warm = done.run, done.server_cpu_s, done.server_warm_s
        else:
            venv = str(self.python.parent.parent)
            run = self.sandbox.run(
                [str(self.python), "-I", "-B", "driver.py", "manifest.json"],
                workdir=batch_dir,
                limits=batch_limits,
                ro_paths=[venv],
                writable_workdir=not strong,
                tmpfs=workdirs,
            )
        wall = time.monotonic() - started
        stdout = run.stdout.decode(errors="replace")
        results = _parse(stdout, marker)
        for job_id in early:  # handed to another batch already
            results.pop(job_id, None)
        # Only jobs with no result at all can have been left unstarted.
        late = [j for j in _driver_deferred(stdout, marker) if j in ours and j not in results]
        deferred = tuple(dict.fromkeys([*early, *late]))
        for entry in manifest_jobs:
            if str(entry["id"]) in deferred:
                continue
            per_role = results.setdefault(str(entry["id"]), {})
            roles = [x for r in entry["runs"] for x in dict.fromkeys(_roles_of(r))]
            for role in roles:
                per_role.setdefault(
                    role,
                    RoleResult(
                        role,
                        "missing",
                        message=f"sandbox driver ended before this run ({run.describe()})",
                        output=run.stderr.decode(errors="replace")[-2000:],
                    ),
                )
        timing = _driver_timing(stdout, marker)
        stages: dict[str, float] = {}
        if "driver_wall_s" in timing:
            stages = {
                "start": max(0.0, wall - timing["driver_wall_s"] - server_warm),
                "imports": timing.get("driver_warm_s", 0.0) + server_warm,
                "tests": timing.get("driver_tests_s", 0.0),
            }
        cpu = timing.get("driver_cpu_s", 0.0) + server_cpu
        return BatchResult(results, run, cpu, stages, deferred, sandboxes)


def _driver_deferred(stdout: str, marker: str) -> list[str]:
    """The job ids the driver left unstarted (its ``deferred`` line), else none."""
    for line in reversed(stdout.splitlines()):
        ids = _deferred_of(line, marker)
        if ids is not None:
            return ids
    return []


def _deferred_of(line: str, marker: str) -> list[str] | None:
    """The job ids of a ``deferred`` line of the driver; ``None`` for any other line."""
    if not (line.startswith(marker) and '"deferred"' in line):
        return None
    with contextlib.suppress(ValueError, TypeError, KeyError):
        ids = json.loads(line[len(marker) :])["deferred"]
        return [str(i) for i in ids] if isinstance(ids, list) else []
    return None


def _driver_timing(stdout: str, marker: str) -> dict[str, float]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(marker) and "driver_cpu_s" in line:
            try:
                rec = json.loads(line[len(marker) :])
                return {str(k): float(v) for k, v in rec.items()}
            except (ValueError, TypeError, AttributeError):
                return {}
    return {}


def _roles_of(run: dict[str, Any]) -> list[str]:
    roles = run.get("method_roles") or run.get("file_roles")
    return list(roles.values()) if roles else [str(run["role"])]


def _host_uid() -> int:
    return os.getuid()


def _parse(stdout: str, marker: str) -> dict[str, dict[str, RoleResult]]:
    out: dict[str, dict[str, RoleResult]] = {}
    for line in stdout.splitlines():
        if not line.startswith(marker):
            continue
        try:
            rec = json.loads(line[len(marker) :])
            role = str(rec["role"])
            tests = [
                TestOutcome(
                    role=role,
                    name=str(t["name"]),
                    outcome=_status(t.get("outcome")),
                    message=str(t.get("message", "")),
                )
                for t in rec.get("tests", ())
            ]
            status = rec.get("status", "crash")
            out.setdefault(str(rec["job"]), {})[role] = RoleResult(
                role=role,
                status=status if status in ("ok", "timeout", "crash") else "crash",
                tests=tests,
                message=str(rec.get("message", "")),
                output=str(rec.get("output", "")),
                wall_s=float(rec.get("wall_s", 0.0)),
                cpu_s=float(rec.get("cpu_s", 0.0)),
            )
        except (ValueError, KeyError, TypeError):
            continue  # a line forged or cut by the snippet: the run counts as missing
    return out


def _status(value: object) -> TestStatus:
    return value if isinstance(value, str) and value in _VALID_STATUS else "error"  # type: ignore[return-value]
