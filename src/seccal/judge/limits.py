"""Resource limits of a sandboxed run and what the run did (plain data)."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from typing import Literal

IsolationLevel = Literal["strong", "weak"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits of one sandboxed run.

    Attributes
    ----------
    wall_s:
        Wall-clock timeout; the whole process group is killed after it.
    cpu_s:
        ``RLIMIT_CPU`` seconds (per process).
    memory_mb:
        ``RLIMIT_AS`` in MiB, or ``None`` for no address-space limit (Go, Java
        and Node reserve large virtual ranges: give them ``None`` and bound
        their heap with their own flags).
    fsize_mb:
        ``RLIMIT_FSIZE``: largest file a process may write.
    nproc:
        ``RLIMIT_NPROC``: processes of the sandbox uid (fork bombs stop here).
    nofile:
        ``RLIMIT_NOFILE``.
    output_bytes:
        Cap on each of stdout and stderr; more output kills the run.
    tmpfs_mb:
        Size of the ``/tmp`` tmpfs (strong mode).
    cgroup_memory_mb:
        Memory (RAM, no swap) of the whole run in a cgroup of its own
        (:mod:`seccal.judge.cgroup`), where the machine offers one; ``None``: no cgroup.
        Without a usable cgroup the run keeps its rlimits and
        :attr:`RunResult.memory_limit` says the cgroup limit was not available.
    """

    wall_s: float = 30.0
    cpu_s: int = 30
    memory_mb: int | None = 2048
    fsize_mb: int = 64
    nproc: int = 256
    nofile: int = 256
    output_bytes: int = 1 << 20
    tmpfs_mb: int = 256
    cgroup_memory_mb: int | None = None


@dataclass(frozen=True, slots=True)
class RunResult:
    """What a sandboxed run did.

    Attributes
    ----------
    returncode:
        Exit status (negative: killed by that signal, as in :mod:`subprocess`).
    stdout, stderr:
        Captured output, at most ``Limits.output_bytes`` each.
    timed_out:
        The wall-clock limit was hit and the run was killed.
    output_exceeded:
        Output went over the cap and the run was killed.
    wall_s:
        Seconds from start to exit.
    isolation:
        ``strong`` or ``weak``.
    oom_killed:
        The kernel killed a process of the run for going over its cgroup memory limit.
    memory_limit:
        What bounded the run's memory, in words (``cgroup v1 memory 2048 MiB``, or the
        rlimit and why no cgroup limit was available).
    """

    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool
    output_exceeded: bool
    wall_s: float
    isolation: IsolationLevel
    oom_killed: bool = False
    memory_limit: str = ""

    @property
    def ok(self) -> bool:
        """Exited with status 0 within its limits."""
        return (
            self.returncode == 0
            and not self.timed_out
            and not self.output_exceeded
            and not self.oom_killed
        )

    def describe(self) -> str:
        """One line saying how the run ended (used as an ``unknown`` reason)."""
        if self.oom_killed:
            return f"out of memory: killed at its limit ({self.memory_limit})"
        if self.timed_out:
            return "timeout (wall-clock limit)"
        if self.output_exceeded:
            return "output limit exceeded"
        if self.returncode < 0:
            try:
                name = signal.Signals(-self.returncode).name
            except ValueError:
                name = str(-self.returncode)
            return f"killed by signal {name}"
        return f"exit status {self.returncode}"
