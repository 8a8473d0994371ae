"""Run untrusted programs (any language) in a bubblewrap sandbox.

Isolation, strongest first:

``strong``
    ``bwrap --unshare-all`` (no network, own PID/IPC/UTS namespaces), started as
    an unprivileged uid so ``RLIMIT_NPROC`` holds; read-only ``/usr`` and a
    minimal ``/etc``; a size-capped tmpfs ``/tmp``; the work dir bound at
    ``/work``; cleared environment; new session; dies with its parent; the
    PID namespace takes every leftover process (daemons) with it.
``weak``
    bubblewrap or user namespaces unavailable: rlimits, a new process group
    killed as a whole, an unprivileged uid when started as root (all of that
    uid's processes are killed after each run). No network or file-system
    isolation. A loud warning is logged once per process.

Every run has rlimits (CPU time, address space, file size, processes, open
files, no core dumps), a wall-clock timeout that SIGKILLs the whole process
group, stdin from ``/dev/null`` unless given, and capped stdout/stderr (a run
that exceeds the cap is killed: infinite output must not cost wall time).

Why one module of ~590 lines: this is the security boundary of the judge. The probe, the
bubblewrap arguments, the uid switch, the rlimits, the cgroup entry before exec, the output
caps and the kill of every leftover process each close a hole the others leave open, so they are kept where one
reading can audit them together; the pure data (limits, results) lives in :mod:`.limits`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from seccal.judge import cgroup
from seccal.judge.limits import IsolationLevel, Limits, RunResult

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_UID_BASE",
    "SANDBOX_WORKDIR",
    "IsolationLevel",
    "Limits",
    "RunResult",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "Started",
    "default_uid_base",
]


#: Inside path of the work dir in ``strong`` mode (``weak`` mode uses the host path).
SANDBOX_WORKDIR = "/work"
#: Lowest uid used for sandboxed processes when seccal runs as root.
DEFAULT_UID_BASE = 61000
#: uids reserved per process (one per concurrent sandbox of a judge).
UID_SLOTS = 8
#: Environment variable naming where work dirs (judge batches, builds) are made.
WORK_ROOT_ENV = "SECCAL_WORK_ROOT"
#: Free bytes ``/dev/shm`` needs to be the default work root.
SHM_MIN_FREE = 1 << 30


def default_work_root() -> Path | None:
    """Parent folder for work dirs: ``$SECCAL_WORK_ROOT``, else ``/dev/shm`` when usable.

    A judge batch writes every snippet's files (SALLM tasks: five or more each) and a
    build writes many small files (a seeded Go cache, class files, binaries); on this
    machine's disk a file costs about 1 ms of CPU to create, on a RAM file system
    0.03 ms. ``None`` means the system temp dir.
    """
    env = os.environ.get(WORK_ROOT_ENV)
    if env:
        return Path(env)
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return None
    try:
        st = os.statvfs(shm)
    except OSError:
        return None
    # a container's default /dev/shm (64 MiB) would fill up with a batch's assets
    return shm if st.f_bavail * st.f_frsize >= SHM_MIN_FREE else None


def default_uid_base() -> int:
    """A block of :data:`UID_SLOTS` uids derived from the process id.

    Sandboxes of different seccal processes then rarely share a uid, so one
    process's fork bomb does not eat another's ``RLIMIT_NPROC`` budget.
    """
    return DEFAULT_UID_BASE + UID_SLOTS * (os.getpid() % 512)


_ETC_ENTRIES = (
    "passwd", "group", "hosts", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
    "localtime", "alternatives", "ssl", "ca-certificates", "mime.types", "java-17-openjdk",
    "java-21-openjdk", "gai.conf", "protocols", "services",
)  # fmt: skip
_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"


class SandboxError(RuntimeError):
    """The sandbox could not be set up for a run (bad work dir, missing binary)."""


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """How to sandbox.

    Attributes
    ----------
    bwrap:
        Path or name of the bubblewrap binary.
    uid:
        Uid that runs sandboxed processes when seccal runs as root (default
        :func:`default_uid_base`); ignored otherwise (the current uid is used).
        Give concurrent sandboxes distinct uids so that their ``RLIMIT_NPROC``
        budgets and clean-up sweeps stay apart.
    ro_paths:
        Host paths bound read-only at the same path in every run (interpreters,
        virtual environments, toolchains outside ``/usr``).
    force_weak:
        Skip bubblewrap even when it works (for tests and debugging).
    """

    bwrap: str = "bwrap"
    uid: int = field(default_factory=default_uid_base)
    ro_paths: tuple[str, ...] = ()
    force_weak: bool = False


_warned_weak = False
_probe_cache: dict[tuple[str, int], tuple[IsolationLevel, str]] = {}
_probe_lock = threading.Lock()


def _warn_weak(reason: str) -> None:
    global _warned_weak
    if not _warned_weak:
        _warned_weak = True
        msg = (
            "!!! SECCAL SANDBOX IS WEAK: %s. Untrusted code runs with rlimits and "
            "process-group kill only: NO network or file-system isolation. Every verdict "
            "is marked isolation='weak'. !!!"
        )
        log.warning(msg, reason)


@dataclass(frozen=True, slots=True)
class Started:
    """A process of :meth:`Sandbox.start`: its pipes are ``proc.stdin/stdout/stderr``."""

    proc: subprocess.Popen[bytes]
    memgroup: cgroup.MemoryCgroup | None = None


@dataclass
class _Capture:
    limit: int
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    exceeded: bool = False

    def data(self) -> bytes:
        return b"".join(self.chunks)[: self.limit]


class Sandbox:
    """Runs commands under the strongest isolation this machine offers.

    Parameters
    ----------
    config:
        Sandbox settings; defaults probe ``bwrap`` on ``PATH``.

    Examples
    --------
    >>> sb = Sandbox()
    >>> r = sb.run(["/bin/echo", "hi"], workdir=Path("/tmp"), writable_workdir=False)
    >>> r.stdout
    b'hi\\n'
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._root = os.geteuid() == 0
        self.uid = self.config.uid if self._root else os.getuid()
        self.isolation, self.probe_reason = self._probe()
        if self.isolation == "weak":
            _warn_weak(self.probe_reason)

    # -- probing ------------------------------------------------------------
    def _probe(self) -> tuple[IsolationLevel, str]:
        if self.config.force_weak:
            return "weak", "strong isolation disabled by configuration"
        key = (self.config.bwrap, self.uid)
        with _probe_lock:
            if key not in _probe_cache:
                _probe_cache[key] = self._probe_uncached()
            return _probe_cache[key]

    def _probe_uncached(self) -> tuple[IsolationLevel, str]:
        exe = shutil.which(self.config.bwrap)
        if exe is None:
            return "weak", f"bubblewrap ({self.config.bwrap}) not found"
        argv = [exe, *self._bwrap_args(None, Limits(), {}, writable=False), "/bin/true"]
        try:
            user, group, extra = self._ids()
            proc = subprocess.run(
                argv, capture_output=True, timeout=20, user=user, group=group, extra_groups=extra
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return "weak", f"bubblewrap probe failed: {exc}"
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip()[:300]
            return "weak", f"bubblewrap probe failed (user namespaces off?): {err}"
        return "strong", "bubblewrap works"

    # -- running ------------------------------------------------------------
    def workdir_path(self, workdir: Path) -> str:
        """Where ``workdir`` appears to the sandboxed command."""
        return SANDBOX_WORKDIR if self.isolation == "strong" else str(workdir)

    def run(
        self,
        argv: Sequence[str],
        *,
        workdir: Path,
        limits: Limits | None = None,
        env: Mapping[str, str] | None = None,
        stdin: bytes | None = None,
        ro_paths: Sequence[str] = (),
        writable_workdir: bool = True,
        tmpfs: Sequence[str] = (),
    ) -> RunResult:
        """Run ``argv`` in the sandbox with ``workdir`` as its current directory.

        Parameters
        ----------
        argv:
            Command; refer to files in the work dir by relative path (the
            work dir is ``/work`` inside a strong sandbox).
        workdir:
            Host directory, readable by the sandbox uid (its parents must be
            searchable by others). When ``writable_workdir``, it is chowned to
            the sandbox uid and the command's writes land there; otherwise it
            is read-only and only ``/tmp`` is writable.
        limits:
            Resource limits (defaults: :class:`Limits`).
        env:
            Extra environment variables; the environment is otherwise cleared
            (``PATH``, ``HOME=/tmp``, ``TMPDIR=/tmp``, ``LANG=C.UTF-8`` only).
        stdin:
            Bytes fed to stdin; ``None`` gives ``/dev/null``.
        ro_paths:
            Extra host paths bound read-only at the same path.
        tmpfs:
            Absolute paths that get an empty writable tmpfs (``limits.tmpfs_mb``
            each) in a strong sandbox, e.g. a benchmark image's ``WORKDIR``;
            ignored by a weak one, which cannot make them.

        Returns
        -------
        RunResult
            Never raises for anything the command does.

        Raises
        ------
        SandboxError
            When the work dir does not exist or is not reachable by the sandbox uid.
        """
        lim = limits or Limits()
        cmd, cwd, popen_env = self._command(
            argv, workdir, lim, env, ro_paths, writable_workdir, tmpfs
        )
        return self._execute(cmd, cwd, popen_env, lim, stdin)

    def start(
        self,
        argv: Sequence[str],
        *,
        workdir: Path,
        limits: Limits,
        ro_paths: Sequence[str] = (),
        tmpfs: Sequence[str] = (),
    ) -> Started:
        """Start ``argv`` as :meth:`run` would (read-only ``workdir``), with pipes to talk to it.

        For a long-lived sandboxed server (:mod:`seccal.judge.session`): the caller
        writes to its stdin, reads its stdout and stderr, bounds its time itself and
        ends it with :meth:`stop`. The limits apply as in :meth:`run` except the
        wall clock and the output caps, which are the caller's. Strong isolation
        only (a weak sandbox kills every process of its uid after each run).

        Raises
        ------
        SandboxError
            When the sandbox is weak, or as :meth:`run`.
        """
        if self.isolation != "strong":
            raise SandboxError("a long-lived sandboxed process needs strong isolation")
        cmd, cwd, env = self._command(argv, workdir, limits, None, ro_paths, False, tmpfs)
        proc, memgroup, _ = self._spawn(cmd, cwd, env, limits, piped_stdin=True)
        return Started(proc, memgroup)

    def stop(self, started: Started) -> int:
        """End a process of :meth:`start` and everything it started; its exit status."""
        self._kill_all(started.proc.pid)
        returncode = started.proc.wait()
        for stream in (started.proc.stdin, started.proc.stdout, started.proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if started.memgroup is not None:
            started.memgroup.remove()
        return self._status(returncode)

    def _status(self, returncode: int) -> int:
        """The command's exit status (negative: its signal), as :mod:`subprocess` gives it."""
        if self.isolation == "strong" and 128 < returncode < 128 + 65:
            # bwrap reports a child killed by signal N as exit status 128 + N
            return 128 - returncode
        return returncode

    def _command(
        self,
        argv: Sequence[str],
        workdir: Path,
        lim: Limits,
        env: Mapping[str, str] | None,
        ro_paths: Sequence[str],
        writable_workdir: bool,
        tmpfs: Sequence[str],
    ) -> tuple[list[str], str | None, dict[str, str] | None]:
        """(command, cwd, environment) of a run: bubblewrap's arguments when strong."""
        workdir = workdir.resolve()
        self._prepare_workdir(workdir, writable_workdir)
        full_env = {
            "PATH": _DEFAULT_PATH,
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            **(env or {}),
        }
        extra_ro = [*self.config.ro_paths, *ro_paths]
        if self.isolation == "strong":
            exe = shutil.which(self.config.bwrap) or self.config.bwrap
            cmd = [
                exe,
                *self._bwrap_args(workdir, lim, full_env, writable_workdir, extra_ro, tmpfs),
            ]
            cmd += ["--", *argv]
            cwd: str | None = None
            popen_env: dict[str, str] | None = {}
        else:
            cmd, cwd, popen_env = list(argv), str(workdir), full_env
        return cmd, cwd, popen_env

    def _prepare_workdir(self, workdir: Path, writable: bool) -> None:
        if not workdir.is_dir():
            raise SandboxError(f"sandbox work dir {workdir} does not exist")
        if self._root:
            st = workdir.stat()
            if st.st_mode & 0o005 != 0o005:
                workdir.chmod(st.st_mode | 0o755)
            for parent in workdir.parents:
                if parent.stat().st_mode & 0o001 == 0:
                    raise SandboxError(
                        f"sandbox work dir {workdir}: parent {parent} is not searchable by "
                        f"the sandbox uid {self.uid} (chmod o+x it or use another location)"
                    )
            if writable:
                for path in (workdir, *workdir.rglob("*")):
                    os.lchown(path, self.uid, self.uid)

    def _ids(self) -> tuple[int | None, int | None, list[int] | None]:
        """(user, group, extra_groups) for :mod:`subprocess`: drop to the sandbox uid as root."""
        if not self._root:
            return None, None, None
        return self.uid, self.uid, []

    def _bwrap_args(
        self,
        workdir: Path | None,
        lim: Limits,
        env: Mapping[str, str],
        writable: bool,
        ro_paths: Sequence[str] = (),
        tmpfs: Sequence[str] = (),
    ) -> list[str]:
        args = ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
        args += ["--hostname", "sandbox"]
        for top in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = Path("/") / top
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), f"/{top}"]
            elif host.is_dir():
                args += ["--ro-bind", str(host), f"/{top}"]
        for name in _ETC_ENTRIES:
            if os.path.exists(f"/etc/{name}"):
                args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", str(lim.tmpfs_mb << 20), "--tmpfs", "/tmp"]
        for path in ro_paths:
            if os.path.exists(path):
                args += ["--ro-bind", path, path]
        for path in tmpfs:
            args += ["--size", str(lim.tmpfs_mb << 20), "--tmpfs", path]
        if workdir is not None:
            args += ["--bind" if writable else "--ro-bind", str(workdir), SANDBOX_WORKDIR]
            args += ["--chdir", SANDBOX_WORKDIR]
        for key, value in env.items():
            args += ["--setenv", key, value]
        args += ["--remount-ro", "/"]  # the sandbox's own root (its /etc, /) stays read-only
        return args

    def _execute(
        self,
        cmd: list[str],
        cwd: str | None,
        env: dict[str, str] | None,
        lim: Limits,
        stdin: bytes | None,
    ) -> RunResult:
        start = time.monotonic()
        proc, memgroup, memory_note = self._spawn(cmd, cwd, env, lim, stdin is not None)
        over = threading.Event()
        caps = [_Capture(lim.output_bytes), _Capture(lim.output_bytes)]
        assert proc.stdout is not None and proc.stderr is not None
        readers = [
            threading.Thread(target=_drain, args=(s, c, over), daemon=True)
            for s, c in zip((proc.stdout, proc.stderr), caps, strict=True)
        ]
        for t in readers:
            t.start()
        if stdin is not None and proc.stdin is not None:
            threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True).start()
        timed_out = False
        deadline = start + lim.wall_s
        while proc.poll() is None:
            if over.wait(timeout=min(0.05, max(0.0, deadline - time.monotonic()))):
                break
            if time.monotonic() >= deadline:
                timed_out = proc.poll() is None
                break
        self._kill_all(proc.pid)
        returncode = proc.wait()
        oom_killed = False
        if memgroup is not None:
            oom_killed = memgroup.oom_kills() > 0
            memgroup.remove()
        returncode = self._status(returncode)
        wall = time.monotonic() - start
        for t in readers:
            t.join(timeout=2.0)
        return RunResult(
            returncode=returncode,
            stdout=caps[0].data(),
            stderr=caps[1].data(),
            timed_out=timed_out,
            output_exceeded=any(c.exceeded for c in caps),
            wall_s=wall,
            isolation=self.isolation,
            oom_killed=oom_killed,
            memory_limit=memory_note,
        )

    def _spawn(
        self,
        cmd: list[str],
        cwd: str | None,
        env: dict[str, str] | None,
        lim: Limits,
        piped_stdin: bool,
    ) -> tuple[subprocess.Popen[bytes], cgroup.MemoryCgroup | None, str]:
        """Start ``cmd`` as the sandbox uid, in its session, rlimits and cgroup set."""
        user, group, extra = self._ids()
        memgroup, memory_note = _memory_group(lim)
        join_fd = memgroup.open_procs() if memgroup is not None else None
        try:
            proc = subprocess.Popen(
                cmd,
                cwd=cwd,
                env=env,
                stdin=subprocess.PIPE if piped_stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                preexec_fn=_child_setup(lim, join_fd),
                close_fds=True,
                user=user,
                group=group,
                extra_groups=extra,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            if memgroup is not None:
                memgroup.remove()
            raise SandboxError(f"cannot start sandboxed command {cmd[0]}: {exc}") from exc
        finally:
            if join_fd is not None:
                os.close(join_fd)
        return proc, memgroup, memory_note

    def _kill_all(self, pgid: int) -> None:
        """Kill the run's process group and, as root, every process of the sandbox uid."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        if self._root and self.isolation == "weak":
            # Daemons that called setsid() left our process group; kill(-1) as the
            # sandbox uid reaches every process that uid owns, and nothing else.
            user, group, extra = self._ids()
            subprocess.run(
                ["/bin/kill", "-KILL", "-1"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
                user=user,
                group=group,
                extra_groups=extra,
            )


def _memory_group(lim: Limits) -> tuple[cgroup.MemoryCgroup | None, str]:
    """The run's memory cgroup (None without one) and what bounds its memory, in words."""
    rlimit = f"rlimit address space {lim.memory_mb} MiB" if lim.memory_mb else "no rlimit"
    if lim.cgroup_memory_mb is None:
        return None, rlimit
    support = cgroup.probe()
    if not support.usable:
        return None, f"{rlimit}; cgroup memory limit not available: {support.reason}"
    try:
        group = cgroup.MemoryCgroup(support, lim.cgroup_memory_mb)
    except cgroup.CgroupError as exc:
        return None, f"{rlimit}; cgroup memory limit not available: {exc.strerror}"
    return group, f"cgroup {support.version} memory {lim.cgroup_memory_mb} MiB"


def _child_setup(lim: Limits, join_fd: int | None) -> Callable[[], None]:
    """What the child does between fork and exec: join its memory cgroup, set rlimits."""
    set_rlimits = _rlimit_setter(lim)

    def apply() -> None:
        if join_fd is not None:
            cgroup.join(join_fd)  # first: nothing of the program runs outside its limit
        set_rlimits()

    return apply


def _rlimit_setter(lim: Limits) -> Callable[[], None]:
    def apply() -> None:
        # soft CPU limit first (SIGXCPU: a clear reason), SIGKILL one second later
        resource.setrlimit(resource.RLIMIT_CPU, (lim.cpu_s, lim.cpu_s + 1))
        pairs = [
            (resource.RLIMIT_FSIZE, lim.fsize_mb << 20),
            (resource.RLIMIT_NPROC, lim.nproc),
            (resource.RLIMIT_NOFILE, lim.nofile),
            (resource.RLIMIT_CORE, 0),
        ]
        if lim.memory_mb is not None:
            pairs.append((resource.RLIMIT_AS, lim.memory_mb << 20))
        for which, value in pairs:
            resource.setrlimit(which, (value, value))

    return apply


def _drain(stream: IO[bytes], cap: _Capture, over: threading.Event) -> None:
    while chunk := stream.read1(65536):  # type: ignore[attr-defined]
        if cap.size < cap.limit:
            cap.chunks.append(chunk)
        cap.size += len(chunk)
        if cap.size > cap.limit and not cap.exceeded:
            cap.exceeded = True
            over.set()
            break
    stream.close()


def _feed(stream: IO[bytes], data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except OSError:
        pass  # the program closed stdin or died: not our failure
