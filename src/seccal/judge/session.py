"""A warm sandbox driver kept for batch after batch (one per judge worker).

A one-batch driver (``driver.py MANIFEST``) pays for the sandbox start and its
warm-up imports (Flask alone: about 0.3 s of CPU) in every batch. A session starts
``driver.py --serve`` once in a strong sandbox and sends it one manifest path per
batch on stdin; the driver forks a process per batch (:func:`seccal.judge._driver.serve`)
and ends each batch's records with a ``batch_end`` line. What a snippet sees is what
a one-batch driver gives it: a session is only reused for batches that would mount
the same folders (the same sandbox environment and task ``WORKDIR`` s) and import the
same things before forking (:class:`Signature`); another batch gets another session.

Isolation between batches is the same as between the snippets of one batch: the
driver is not dumpable, every process but the drivers is killed and the scratch
space wiped after each snippet. A batch that goes over its wall clock or output
budget, or whose driver dies, ends the session (the next batch starts a new one);
its snippets without a result are ``missing``, as in a one-batch run.

Processes are started from one long-lived thread: bubblewrap's ``--die-with-parent``
follows the *thread* that started it, and the judge's worker threads end with each
:meth:`~seccal.judge.core.Judge.judge_many` call.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TypeVar

from seccal.judge.limits import Limits, RunResult
from seccal.judge.sandbox import Sandbox, Started

__all__ = ["DriverSession", "SessionRun", "SessionSlot", "Signature"]

_T = TypeVar("_T")
#: What a session's driver may spend at most (its own CPU: each batch process gets its
#: batch's budget, each test process its run's limit).
SESSION_CPU_S = 24 * 3600
_STDERR_KEEP = 64 * 1024


class _Spawner:
    """Runs process starts on one thread that lives as long as this process."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue[tuple[Callable[[], object], Future[object]]]
        self._calls = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def call(self, fn: Callable[[], _T]) -> _T:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="seccal-sandbox-spawner", daemon=True
                )
                self._thread.start()
        done: Future[object] = Future()
        self._calls.put((fn, done))
        return done.result()  # type: ignore[return-value]

    def _loop(self) -> None:
        while True:
            fn, done = self._calls.get()
            try:
                done.set_result(fn())
            except BaseException as exc:  # handed to the caller
                done.set_exception(exc)


_SPAWNER = _Spawner()


@dataclass(frozen=True, slots=True)
class Signature:
    """What a session's sandbox mounts and its driver imports before forking a batch."""

    python: str
    workdirs: tuple[str, ...]
    preload: tuple[str, ...]
    pytest: bool


@dataclass(frozen=True, slots=True)
class SessionRun:
    """One batch of a session: how it ended, and the session driver's share of its cost."""

    run: RunResult
    #: CPU seconds of the session's driver itself since the batch before (its warm-up
    #: in the session's first batch).
    server_cpu_s: float = 0.0
    #: Wall seconds of the session driver's warm-up, in the session's first batch only.
    server_warm_s: float = 0.0


class DriverSession:
    """A ``driver.py --serve`` process in a strong sandbox; see the module docstring."""

    def __init__(
        self,
        sandbox: Sandbox,
        root: Path,
        signature: Signature,
        limits: Limits,
        driver: Path,
        name: str,
    ) -> None:
        self.signature = signature
        self.sandbox = sandbox
        spec = {"preload": list(signature.preload), "pytest": signature.pytest}
        (root / f"{name}.json").write_text(json.dumps(spec))
        shutil.copyfile(driver, root / "driver.py")
        session_limits = replace(limits, cpu_s=SESSION_CPU_S)
        venv = str(Path(signature.python).parent.parent)
        argv = [signature.python, "-I", "-B", "driver.py", "--serve", f"{name}.json"]
        self._started: Started = _SPAWNER.call(
            lambda: sandbox.start(
                argv,
                workdir=root,
                limits=session_limits,
                ro_paths=[venv],
                tmpfs=signature.workdirs,
            )
        )
        self._lines: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._stderr = bytearray()
        self._stderr_lock = threading.Lock()
        proc = self._started.proc
        assert proc.stdout is not None and proc.stderr is not None
        threading.Thread(target=self._read_lines, args=(proc.stdout,), daemon=True).start()
        threading.Thread(target=self._read_stderr, args=(proc.stderr,), daemon=True).start()
        self._dead = False
        self.returncode: int | None = None

    def _read_lines(self, stream: IO[bytes]) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                self._lines.put(line)
        self._lines.put(None)

    def _read_stderr(self, stream: IO[bytes]) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := stream.read1(65536):  # type: ignore[attr-defined]
                with self._stderr_lock:
                    self._stderr += chunk
                    del self._stderr[:-_STDERR_KEEP]

    @property
    def alive(self) -> bool:
        return not self._dead and self._started.proc.poll() is None

    def _take_stderr(self) -> bytes:
        with self._stderr_lock:
            data = bytes(self._stderr)
            self._stderr.clear()
        return data

    def run(
        self,
        manifest: str,
        marker: str,
        limits: Limits,
        on_line: Callable[[bytes], None] | None = None,
    ) -> SessionRun:
        """Run the batch whose manifest is ``manifest`` (relative to the session root).

        ``limits``: the batch's wall clock (``wall_s``) and output budget
        (``output_bytes``). ``on_line`` sees each output line of the batch as it
        comes (a yielding batch's ``deferred`` line, while its last job still runs).
        Returns when the driver printed ``marker`` + ``batch_end``, or when the batch
        went over a budget or the driver died (the session is then ended).
        """
        start = time.monotonic()
        deadline = start + limits.wall_s
        out: list[bytes] = []
        size = 0
        timed_out = exceeded = False
        end: dict[str, object] | None = None
        prefix = marker.encode()
        try:
            stdin = self._started.proc.stdin
            assert stdin is not None
            stdin.write(manifest.encode() + b"\n")
            stdin.flush()
        except (OSError, ValueError):
            self._dead = True
        while not self._dead:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                timed_out = True
                break
            if line is None:
                self._dead = True
                break
            if line.startswith(prefix) and b'"batch_end"' in line:
                with contextlib.suppress(ValueError):
                    rec = json.loads(line[len(prefix) :])
                    if isinstance(rec, dict) and "batch_end" in rec:
                        end = rec
                        break
            size += len(line)
            if size > limits.output_bytes:
                exceeded = True
                break
            out.append(line)
            if on_line is not None:
                on_line(line)
        returncode = 0
        if end is None:
            self.close()
            returncode = self.returncode if self.returncode is not None else -9
        else:
            with contextlib.suppress(TypeError, ValueError):
                returncode = os.waitstatus_to_exitcode(int(str(end["batch_end"])))
        run = RunResult(
            returncode=returncode,
            stdout=b"".join(out),
            stderr=self._take_stderr()[-limits.output_bytes :],
            timed_out=timed_out,
            output_exceeded=exceeded,
            wall_s=time.monotonic() - start,
            isolation=self.sandbox.isolation,
        )
        if end is None:
            return SessionRun(run)
        return SessionRun(run, _number(end.get("server_cpu_s")), _number(end.get("server_warm_s")))

    def close(self) -> None:
        """End the driver and every process of its sandbox."""
        if self.returncode is None:
            self._dead = True
            self.returncode = self.sandbox.stop(self._started)


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


class SessionSlot:
    """One worker sandbox's folder for batch dirs and its current :class:`DriverSession`.

    Batch dirs are made inside :attr:`root` (bound read-only at ``/work`` in every
    session of this slot). :meth:`session` keeps the current session while the
    signature stays the same and starts another when it changes.
    """

    def __init__(self, sandbox: Sandbox, work_root: Path | None) -> None:
        self.sandbox = sandbox
        self._work_root = work_root
        self._root: Path | None = None
        self._session: DriverSession | None = None
        #: Sessions started so far.
        self.started = 0

    @property
    def root(self) -> Path:
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="seccal-slot-", dir=self._work_root))
            self._root.chmod(0o711)  # the sandbox uid must reach its batch dirs
        return self._root

    def session(self, signature: Signature, limits: Limits, driver: Path) -> DriverSession:
        """The live session for ``signature`` (a new one when the last differs or died).

        Raises
        ------
        seccal.judge.sandbox.SandboxError
            When the sandbox cannot start it.
        """
        current = self._session
        if current is not None and (current.signature != signature or not current.alive):
            current.close()
            current = self._session = None
        if current is None:
            name = f"session-{self.started + 1}"
            current = self._session = DriverSession(
                self.sandbox, self.root, signature, limits, driver, name
            )
            self.started += 1
        return current

    def close(self) -> None:
        """End the session and delete the folder."""
        if self._session is not None:
            self._session.close()
            self._session = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None
