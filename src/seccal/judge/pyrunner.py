"""Run Python tasks' tests against generated modules, many snippets per sandbox.

A batch directory holds one sub-directory per snippet (the generated module
under ``task.module_name``, the task's test files and extra files), the
in-sandbox driver (:mod:`seccal.judge._driver`) and a manifest. One sandbox
runs the driver, which forks one child per (snippet, role); see the driver's
docstring for how snippets are kept apart inside a batch.

Isolation trade-off: snippets of one batch share the sandbox uid, its tmpfs
and its process budget, one after the other. The driver kills every leftover
process and wipes the scratch space between snippets, so a snippet cannot see
or disturb the *next* one; what it can do is kill the driver, which ends the
batch: :class:`~seccal.judge.core.Judge` then re-runs the snippets without a
result one per sandbox, so only the culprit's own verdict is affected.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from seccal.core.task import Task, TestRole
from seccal.core.verdict import TestOutcome, TestStatus
from seccal.judge.sandbox import Limits, RunResult, Sandbox

RunStatus = Literal["ok", "timeout", "crash", "missing"]
_DRIVER = Path(__file__).with_name("_driver.py")
#: Modules the driver imports once so that every forked child starts warm.
PRELOAD = (
    "flask", "flask.testing", "click.testing", "werkzeug.test", "werkzeug.utils", "jinja2",
    "markupsafe", "sqlite3", "json", "hashlib", "hmac", "secrets", "base64", "subprocess",
    "shlex", "tempfile", "urllib.parse", "html", "re", "xml.etree.ElementTree",
    "pdb", "readline", "encodings.idna", "unittest",
)  # fmt: skip
_VALID_STATUS = {"passed", "failed", "error", "skipped", "timeout"}


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


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Results per job id and role, plus how the sandbox run ended."""

    results: dict[str, dict[str, RoleResult]]
    run: RunResult
    #: CPU seconds of the in-sandbox driver and its test processes (0 when it died).
    driver_cpu_s: float = 0.0


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
    """

    def __init__(self, sandbox: Sandbox, python: Path, limits: Limits) -> None:
        self.sandbox = sandbox
        self.python = python
        self.limits = limits

    def run_batch(self, jobs: Sequence[PyJob], batch_dir: Path) -> BatchResult:
        """Test every job of the batch; jobs the driver never reported are ``missing``."""
        batch_dir.mkdir(parents=True, exist_ok=True)
        manifest_jobs: list[dict[str, Any]] = []
        for n, job in enumerate(jobs):
            rel = f"jobs/{n}"
            runs = write_job(batch_dir / rel, job.task, job.code)
            manifest_jobs.append({"id": job.job_id, "dir": rel, "runs": runs})
        (batch_dir / "driver.py").write_text(_DRIVER.read_text())
        strong = self.sandbox.isolation == "strong"
        scratch = "/tmp/seccal-scratch" if strong else str(batch_dir.resolve() / "scratch")
        marker = f"@@seccal-{secrets.token_hex(8)}@@"
        lim = self.limits
        manifest = {
            "marker": marker,
            "scratch": scratch,
            # kill(-1) is only safe where the sandbox uid runs nothing but this batch
            "sweep": strong or self.sandbox.uid != _host_uid(),
            "wipe": ["/tmp"] if strong else [],  # the sandbox's /tmp is private to it
            "preload": list(PRELOAD),
            "limits": {
                "wall_s": lim.wall_s,
                "cpu_s": lim.cpu_s,
                "memory_mb": lim.memory_mb,
                "fsize_mb": lim.fsize_mb,
                "nofile": lim.nofile,
            },
            "jobs": manifest_jobs,
        }
        (batch_dir / "manifest.json").write_text(json.dumps(manifest))
        n_runs = sum(len(j["runs"]) for j in manifest_jobs)
        batch_limits = Limits(
            wall_s=n_runs * (lim.wall_s + 1.0) + 15.0,
            cpu_s=int(n_runs * (lim.cpu_s + 1) + 15),
            memory_mb=None if lim.memory_mb is None else lim.memory_mb + 256,
            fsize_mb=lim.fsize_mb,
            nproc=lim.nproc,
            nofile=lim.nofile + 64,
            output_bytes=max(lim.output_bytes, n_runs * 64 * 1024),
            tmpfs_mb=lim.tmpfs_mb,
        )
        venv = str(self.python.parent.parent)
        run = self.sandbox.run(
            [str(self.python), "-I", "-B", "driver.py", "manifest.json"],
            workdir=batch_dir,
            limits=batch_limits,
            ro_paths=[venv],
            writable_workdir=not strong,
        )
        stdout = run.stdout.decode(errors="replace")
        results = _parse(stdout, marker)
        for entry in manifest_jobs:
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
        return BatchResult(results, run, _driver_cpu(stdout, marker))


def _driver_cpu(stdout: str, marker: str) -> float:
    for line in reversed(stdout.splitlines()):
        if line.startswith(marker) and "driver_cpu_s" in line:
            try:
                return float(json.loads(line[len(marker) :])["driver_cpu_s"])
            except (ValueError, KeyError, TypeError):
                return 0.0
    return 0.0


def _roles_of(run: dict[str, Any]) -> list[str]:
    file_roles = run.get("file_roles")
    return list(file_roles.values()) if file_roles else [str(run["role"])]


def _host_uid() -> int:
    import os

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
            )
        except (ValueError, KeyError, TypeError):
            continue  # a line forged or cut by the snippet: the run counts as missing
    return out


def _status(value: object) -> TestStatus:
    return value if isinstance(value, str) and value in _VALID_STATUS else "error"  # type: ignore[return-value]
