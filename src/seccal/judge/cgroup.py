"""A cgroup memory limit for one sandboxed run, where the machine offers one.

rlimits cannot bound memory well: ``RLIMIT_AS`` counts reserved address space, which Go,
the JVM, Node and AddressSanitizer reserve by the gigabyte, so repository steps run
without it. A cgroup limits what a run *uses*, for the whole process tree, and the
kernel's OOM killer says when it was hit.

:func:`probe` finds, once per process, which hierarchy is usable:

``v2``
    a cgroup2 mount whose memory controller is enabled for children of this process's
    cgroup (delegated), so a child group gets ``memory.max`` and ``memory.swap.max``;
``v1``
    a writable cgroup v1 ``memory`` hierarchy: ``memory.limit_in_bytes`` (and
    ``memory.memsw.limit_in_bytes`` where swap accounting is on);
``none``
    neither; the reason says why, and runs keep their rlimits only.

A :class:`MemoryCgroup` is made under this process's own cgroup (outer limits still
hold). The run's child joins it before it runs anything: the parent opens the group's
``cgroup.procs`` and the child writes ``0`` ("this process") to that descriptor between
fork and exec (:func:`join`), so no instruction of the untrusted program runs outside
the limit. The kernel checks the write against the credentials of whoever *opened* the
file, so the child may already have dropped to the sandbox uid; that uid cannot move
itself out again (every other ``cgroup.procs`` is root's, mode 644).
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import signal
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

CgroupVersion = Literal["v2", "v1", "none"]

_counter = itertools.count()
_MOUNTINFO = Path("/proc/self/mountinfo")
_SELF_CGROUP = Path("/proc/self/cgroup")


class CgroupError(OSError):
    """A cgroup could not be made, limited or removed."""


@dataclass(frozen=True, slots=True)
class CgroupSupport:
    """Which memory cgroup a run can get here.

    Attributes
    ----------
    version:
        ``v2``, ``v1`` or ``none``.
    parent:
        Directory under which run groups are made (``None`` with ``none``).
    reason:
        What the probe found, in words (why ``none``).
    """

    version: CgroupVersion
    parent: Path | None
    reason: str

    @property
    def usable(self) -> bool:
        """A memory cgroup can be made."""
        return self.version != "none"


def _mounts(mountinfo: str) -> list[tuple[str, str, set[str]]]:
    """(mount point, fs type, super options) of each cgroup mount in ``mountinfo``."""
    out = []
    for line in mountinfo.splitlines():
        pre, sep, post = line.partition(" - ")
        if not sep:
            continue
        fields, tail = pre.split(), post.split()
        if len(fields) < 5 or len(tail) < 3 or tail[0] not in ("cgroup", "cgroup2"):
            continue
        out.append((fields[4], tail[0], set(tail[2].split(","))))
    return out


def _own_paths(proc_cgroup: str) -> dict[str, str]:
    """Controller (``""`` for the v2 line) to this process's cgroup path."""
    paths = {}
    for line in proc_cgroup.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for ctrl in parts[1].split(",") if parts[1] else [""]:
                paths[ctrl] = parts[2]
    return paths


def _writable_dir(path: Path) -> str:
    """Empty when a child group can be made and removed in ``path``, else why not."""
    probe_dir = path / f"seccal-probe-{os.getpid()}-{next(_counter)}"
    try:
        probe_dir.mkdir()
    except OSError as exc:
        return f"cannot create a cgroup in {path}: {exc.strerror}"
    try:
        probe_dir.rmdir()
    except OSError as exc:
        return f"cannot remove the probe cgroup {probe_dir}: {exc.strerror}"
    return ""


def probe_from(mountinfo: str, proc_cgroup: str) -> CgroupSupport:
    """The memory cgroup support described by these ``/proc/self`` files (probes the dirs)."""
    mounts, own = _mounts(mountinfo), _own_paths(proc_cgroup)
    notes = []
    for point, fstype, _ in mounts:
        if fstype != "cgroup2":
            continue
        base = Path(point) / own.get("", "/").lstrip("/")
        try:
            enabled = (base / "cgroup.subtree_control").read_text().split()
            available = (Path(point) / "cgroup.controllers").read_text().split()
        except OSError as exc:
            notes.append(f"cgroup v2 at {point}: {exc.strerror}")
            continue
        if "memory" not in enabled:
            where = "is not enabled" if "memory" in available else "is not available"
            notes.append(f"cgroup v2 at {point}: memory controller {where} for {base}")
            continue
        why = _writable_dir(base)
        if not why:
            return CgroupSupport("v2", base, f"cgroup v2 memory controller delegated at {base}")
        notes.append(f"cgroup v2: {why}")
    for point, fstype, opts in mounts:
        if fstype != "cgroup" or "memory" not in opts:
            continue
        base = Path(point) / own.get("memory", "/").lstrip("/")
        if not (base / "memory.limit_in_bytes").exists():
            notes.append(f"cgroup v1 memory: {base} has no memory.limit_in_bytes")
            continue
        why = _writable_dir(base)
        if not why:
            return CgroupSupport("v1", base, f"cgroup v1 memory hierarchy writable at {base}")
        notes.append(f"cgroup v1: {why}")
    return CgroupSupport("none", None, "; ".join(notes) or "no cgroup file system mounted")


@cache
def probe() -> CgroupSupport:
    """This machine's memory cgroup support (probed once per process)."""
    try:
        return probe_from(_MOUNTINFO.read_text(), _SELF_CGROUP.read_text())
    except OSError as exc:
        return CgroupSupport("none", None, f"cannot read /proc/self: {exc.strerror}")


class MemoryCgroup:
    """One run's cgroup with a memory limit; :meth:`remove` it when the run is over.

    Examples
    --------
    >>> support = probe()
    >>> if support.usable:
    ...     group = MemoryCgroup(support, 64)
    ...     group.remove()
    ...     assert not group.path.exists()
    """

    def __init__(self, support: CgroupSupport, limit_mb: int) -> None:
        if support.parent is None:
            raise CgroupError(errno.ENOTSUP, f"no memory cgroup: {support.reason}")
        self.version = support.version
        self.limit_mb = limit_mb
        name = f"seccal-{os.getpid()}-{threading.get_ident() % 10**6}-{next(_counter)}"
        self.path = support.parent / name
        try:
            self.path.mkdir()
        except OSError as exc:
            raise CgroupError(exc.errno, f"cannot create cgroup {self.path}: {exc}") from exc
        try:
            self._limit(limit_mb << 20)
        except OSError as exc:
            self.remove()
            raise CgroupError(exc.errno, f"cannot limit cgroup {self.path}: {exc}") from exc

    def _limit(self, nbytes: int) -> None:
        if self.version == "v2":
            (self.path / "memory.max").write_text(str(nbytes))
            swap = self.path / "memory.swap.max"
            if swap.exists():
                swap.write_text("0")
            return
        (self.path / "memory.limit_in_bytes").write_text(str(nbytes))
        memsw = self.path / "memory.memsw.limit_in_bytes"
        if memsw.exists():  # memory + swap: the same figure means no swap
            memsw.write_text(str(nbytes))

    def open_procs(self) -> int:
        """A write descriptor of ``cgroup.procs`` for :func:`join` (close it after the fork)."""
        return os.open(self.path / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC)

    def oom_kills(self) -> int:
        """How many processes of the group the OOM killer killed."""
        name = "memory.events" if self.version == "v2" else "memory.oom_control"
        try:
            text = (self.path / name).read_text()
        except OSError:
            return 0
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and value.strip().isdigit():
                return int(value)
        return 0

    def limit_hits(self) -> int:
        """How often usage reached the limit (v1 ``memory.failcnt``, v2 ``max`` events)."""
        if self.version == "v2":
            with contextlib.suppress(OSError):
                for line in (self.path / "memory.events").read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "max" and value.strip().isdigit():
                        return int(value)
            return 0
        try:
            return int((self.path / "memory.failcnt").read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def pids(self) -> list[int]:
        """Processes still in the group."""
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def remove(self, *, timeout_s: float = 5.0) -> None:
        """Kill what is left in the group and delete it.

        Raises
        ------
        CgroupError
            When the group still exists after ``timeout_s`` (a process that will not die).
        """
        if not self.path.exists():
            return
        deadline = time.monotonic() + timeout_s
        kill_file = self.path / "cgroup.kill"
        while True:
            if kill_file.exists():
                with contextlib.suppress(OSError):
                    kill_file.write_text("1")
            for pid in self.pids():
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError as exc:
                if time.monotonic() >= deadline:
                    raise CgroupError(
                        exc.errno, f"cannot remove cgroup {self.path}: {exc}"
                    ) from exc
                time.sleep(0.02)


def join(fd: int) -> None:
    """Move the calling process into the group whose ``cgroup.procs`` ``fd`` is open on.

    Meant for the child between fork and exec (``preexec_fn``); raises ``OSError`` when
    the kernel refuses, so the program never starts outside its limit.
    """
    os.write(fd, b"0")
