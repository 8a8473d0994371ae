"""Where repository checks start processes: trusted tools, and untrusted code in the sandbox.

``run_untrusted`` is the one path for anything that executes or builds
generated code (builds, tests, exploits): it goes through the judge's
:class:`~seccal.judge.sandbox.Sandbox` (bubblewrap when available, else
rlimits and process-group kill, marked ``weak``). ``run_trusted`` runs our own
tools on the host (static analyzers, container engines, module probes).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from seccal.judge.sandbox import (
    UID_SLOTS,
    Limits,
    Sandbox,
    SandboxConfig,
    SandboxError,
    default_uid_base,
    default_work_root,
)

#: Captured output beyond this many characters is cut (a looping program must
#: not fill memory or the store).
OUTPUT_CAP = 20_000
#: Sandbox uid of repository runs: the last uid of this process's block, apart
#: from the judge's worker uids and from other seccal processes, so that a weak
#: sandbox's clean-up sweep (``kill -1`` as that uid) never reaches another run.
REPO_UID = default_uid_base() + UID_SLOTS - 1
#: ``{workdir}`` in an environment value becomes the work dir as the command sees it.
WORKDIR_PLACEHOLDER = "{workdir}"

#: Memory of one build or test step (its whole process tree), enforced by a cgroup
#: where the machine allows (:mod:`seccal.judge.cgroup`).
STEP_MEMORY_MB = 2048

_sandboxes: dict[bool, Sandbox] = {}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class CommandResult:
    """Outcome of one command."""

    argv: tuple[str, ...]
    returncode: int | None
    output: str
    seconds: float
    timed_out: bool = False
    launch_error: str | None = None
    isolation: str = "none"
    oom_killed: bool = False
    memory_limit: str = ""
    #: The ``markers`` asked for that occur anywhere in the whole output (before any cut).
    markers_seen: tuple[str, ...] = ()


def _cap(text: str) -> str:
    if len(text) > OUTPUT_CAP:
        return text[: OUTPUT_CAP // 2] + "\n...[cut]...\n" + text[-OUTPUT_CAP // 2 :]
    return text


def work_root() -> str | None:
    """Parent folder for work dirs (:func:`seccal.judge.sandbox.default_work_root`)."""
    root = default_work_root()
    return None if root is None else str(root)


def sandbox(*, force_weak: bool = False) -> Sandbox:
    """The shared sandbox for repository runs (probed once per process)."""
    with _lock:
        if force_weak not in _sandboxes:
            _sandboxes[force_weak] = Sandbox(SandboxConfig(uid=REPO_UID, force_weak=force_weak))
        return _sandboxes[force_weak]


def untrusted_limits(timeout_s: float) -> Limits:
    """Limits of one build or test step.

    No address-space limit: Go, the JVM, Node and AddressSanitizer reserve
    huge virtual ranges; what the step *uses* is bounded by a cgroup memory limit
    (:data:`STEP_MEMORY_MB`) where the machine offers one, and otherwise by the
    JVM's ``-Xmx``, the CPU time, wall clock, process count and the tmpfs size.
    """
    return Limits(
        wall_s=timeout_s,
        cpu_s=int(timeout_s * 2) + 5,  # javac and go use several threads
        memory_mb=None,
        fsize_mb=128,
        nproc=512,
        nofile=1024,
        output_bytes=1 << 20,
        tmpfs_mb=512,
        cgroup_memory_mb=STEP_MEMORY_MB,
    )


def run_untrusted(
    argv: Sequence[str],
    *,
    workdir: Path,
    env: Mapping[str, str],
    timeout_s: float,
    ro_paths: Sequence[str] = (),
    force_weak: bool = False,
) -> CommandResult:
    """Run ``argv`` (generated code, its build or its tests) in the sandbox.

    Parameters
    ----------
    argv:
        Command; files in the work dir by relative path.
    workdir:
        Host work dir (writable by the command).
    env:
        Extra environment; ``{workdir}`` in a value is replaced by the work
        dir as seen inside the sandbox.
    timeout_s:
        Wall-clock limit.
    ro_paths:
        Host paths to bind read-only (an interpreter's environment).
    force_weak:
        Skip bubblewrap (tests, debugging).
    """
    exe = argv[0]
    if "/" not in exe and shutil.which(exe) is None:
        return CommandResult(tuple(argv), None, "", 0.0, launch_error=f"{exe} not found on PATH")
    sb = sandbox(force_weak=force_weak)
    inside = sb.workdir_path(workdir)
    full_env = {k: v.replace(WORKDIR_PLACEHOLDER, inside) for k, v in env.items()}
    try:
        res = sb.run(
            argv,
            workdir=workdir,
            limits=untrusted_limits(timeout_s),
            env=full_env,
            ro_paths=ro_paths,
        )
    except SandboxError as exc:
        return CommandResult(tuple(argv), None, "", 0.0, launch_error=str(exc))
    out = (res.stdout + res.stderr).decode("utf-8", "replace")
    if res.output_exceeded:
        out += "\n[output limit exceeded: run killed]"
    if res.oom_killed:
        out += f"\n[out of memory: killed at its limit ({res.memory_limit})]"
    # A program the sandbox could not exec (bwrap: "execvp ...: No such file")
    # is a harness problem, not a failing test.
    if res.returncode == 1 and "bwrap: execvp" in out:
        return CommandResult(
            tuple(argv),
            None,
            _cap(out),
            res.wall_s,
            launch_error=out.strip()[-300:],
            isolation=res.isolation,
            memory_limit=res.memory_limit,
        )
    return CommandResult(
        tuple(argv),
        res.returncode,
        _cap(out),
        res.wall_s,
        timed_out=res.timed_out,
        isolation=res.isolation,
        oom_killed=res.oom_killed,
        memory_limit=res.memory_limit,
    )


def run_trusted(
    argv: Sequence[str],
    *,
    workdir: Path,
    env: Mapping[str, str],
    timeout_s: float,
    markers: Sequence[str] = (),
) -> CommandResult:
    """Run one of our own tools on the host with a clean environment and a time limit.

    The process gets its own session so a timeout kills its whole group. ``markers``
    are looked for in the whole output (stdout and stderr), which is then cut to
    :data:`OUTPUT_CAP` characters; output up to a timeout counts.
    """
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", "/tmp"),
        **env,
    }
    exe = argv[0]
    if "/" not in exe and shutil.which(exe, path=full_env["PATH"]) is None:
        return CommandResult(tuple(argv), None, "", 0.0, launch_error=f"{exe} not found on PATH")
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=workdir,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return CommandResult(tuple(argv), None, "", 0.0, launch_error=str(exc))
    timed_out = False
    try:
        out, _ = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc.pid)
        out, _ = proc.communicate()
    seen = tuple(m for m in markers if m.encode() in out)
    text = out.decode("utf-8", "replace")
    return CommandResult(
        tuple(argv),
        proc.returncode,
        _cap(text),
        time.monotonic() - start,
        timed_out=timed_out,
        markers_seen=seen,
    )


def kill_group(pid: int) -> None:
    """Kill the process group led by ``pid``, ignoring one that is gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
