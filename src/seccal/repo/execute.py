"""The one place where repository checks start processes.

Every build, test and exploit of a repository task runs through
:func:`run_command`, so switching from plain subprocesses to the judge's
sandbox is a change in this module only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Captured output beyond this many characters is cut (a looping program must
#: not fill memory or the store).
OUTPUT_CAP = 20_000


@dataclass(frozen=True, slots=True)
class CommandResult:
    """Outcome of one command."""

    argv: tuple[str, ...]
    returncode: int | None
    output: str
    seconds: float
    timed_out: bool = False
    launch_error: str | None = None


def _base_env(extra: Mapping[str, str]) -> dict[str, str]:
    # A cleared environment keeps the host's secrets (API keys) away from
    # untrusted code; PATH is kept so toolchains resolve.
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": "/tmp",
    }
    env.update(extra)
    return env


def run_command(
    argv: Sequence[str],
    *,
    workdir: Path,
    env: Mapping[str, str],
    timeout_s: float,
) -> CommandResult:
    """Run ``argv`` in ``workdir`` with a clean environment and a time limit.

    The process gets its own session so a timeout kills the whole process
    group (a forked child cannot outlive the check).

    Parameters
    ----------
    argv:
        Command and arguments; ``argv[0]`` is resolved on ``PATH`` or relative
        to ``workdir``.
    workdir:
        Working directory (the prepared copy of the snapshot).
    env:
        Extra environment variables on top of a minimal clean environment.
    timeout_s:
        Wall-clock limit in seconds.

    Returns
    -------
    CommandResult
        ``launch_error`` is set when the program could not be started.
    """
    full_env = _base_env(env)
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
    text = out.decode("utf-8", "replace")
    if len(text) > OUTPUT_CAP:
        text = text[: OUTPUT_CAP // 2] + "\n...[cut]...\n" + text[-OUTPUT_CAP // 2 :]
    return CommandResult(
        tuple(argv), proc.returncode, text, time.monotonic() - start, timed_out=timed_out
    )


def kill_group(pid: int) -> None:
    """Kill the process group led by ``pid``, ignoring one that is gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
