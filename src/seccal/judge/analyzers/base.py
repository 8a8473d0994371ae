"""What every analyzer wrapper shares: the protocol, its error, CWE and process helpers.

An analyzer wrapper does one job: run its tool once over many files and parse the
output into :class:`~seccal.core.findings.Finding` records, each with a CWE and a
severity. A tool that cannot run raises :class:`AnalyzerError` with a message that
says which tool and why; :func:`seccal.judge.analyzers.scan.analyze` turns that into
an ``unknown`` static label for the files that tool would have read.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from seccal.core.findings import Finding

_CWE_RE = re.compile(r"CWE-(\d+)", re.IGNORECASE)
#: Environment every tool gets on top of ours: Semgrep never phones home.
QUIET_ENV = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
PYTHON_SUFFIXES = frozenset({".py"})
C_SUFFIXES = frozenset({".c", ".h", ".cpp", ".cc", ".cxx", ".hpp", ".hh"})


class AnalyzerError(RuntimeError):
    """An analyzer could not run or its output could not be read."""


class Analyzer(Protocol):
    """One static analyzer: many files per call, findings per file."""

    #: Registry name, also :attr:`Finding.analyzer` of its findings.
    name: str
    #: File name suffixes (``.py``, ``.c``, ...) this analyzer reads.
    suffixes: frozenset[str]

    def scan(self, paths: Sequence[Path]) -> dict[Path, list[Finding]]:
        """Findings per (resolved) file path.

        Raises
        ------
        AnalyzerError
            When the tool is missing, fails, times out or prints no readable result.
        """
        ...


def normalize_cwe(value: object) -> str:
    """``"CWE-89"`` from ``89``, ``"CWE-89: SQL Injection"``, ``["CWE-89: ..."]`` or ``{"id": 89}``.

    Examples
    --------
    >>> normalize_cwe("CWE-078: OS Command Injection"), normalize_cwe(0)
    ('CWE-78', '')
    """
    if isinstance(value, Mapping):
        value = value.get("id", "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, int):
        return f"CWE-{value}" if value > 0 else ""
    m = _CWE_RE.search(str(value))
    if m:
        return f"CWE-{int(m.group(1))}"
    text = str(value).strip()
    return f"CWE-{int(text)}" if text.isdigit() and int(text) > 0 else ""


def tool_path(name: str) -> str | None:
    """The executable ``name``: beside the running interpreter (its venv) first, then ``PATH``."""
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else shutil.which(name)


_THREAD = threading.local()


def thread_tool_cpu() -> float:
    """CPU seconds (user + system) of every tool :func:`run_tool` ran in this thread so far,
    each with the processes it waited for (Semgrep's engine, for one)."""
    return float(getattr(_THREAD, "cpu_s", 0.0))


def run_tool(tool: str, argv: Sequence[str], timeout: float) -> tuple[int, str, str]:
    """Run ``argv``: (exit code, stdout, stderr). Its CPU time adds to :func:`thread_tool_cpu`.

    The tool runs in a session of its own; at the timeout that whole session is killed.

    Raises
    ------
    AnalyzerError
        When it cannot start or runs past ``timeout`` seconds.
    """
    env = {**os.environ, **QUIET_ENV}
    try:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise AnalyzerError(f"{tool} could not start: {exc}") from exc
    deadline = time.monotonic() + timeout
    out, err, finished = _read_until(proc, deadline)
    # a tool that closed its output is exiting: give it until the deadline (not reaped yet)
    exiting = os.WEXITED | os.WNOHANG | os.WNOWAIT
    while finished and os.waitid(os.P_PID, proc.pid, exiting) is None:
        finished = time.monotonic() < deadline
        time.sleep(0.005)
    if not finished:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    # reaped here, not by Popen, so that its resource use can be read
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    _THREAD.cpu_s = thread_tool_cpu() + usage.ru_utime + usage.ru_stime
    if not finished:
        raise AnalyzerError(f"{tool} timed out after {timeout:g} s")
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def _read_until(proc: subprocess.Popen[bytes], deadline: float) -> tuple[bytes, bytes, bool]:
    """Both output streams of ``proc`` until they close or ``deadline``; whether they closed."""
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    with selectors.DefaultSelector() as sel:
        for fd in chunks:
            sel.register(fd, selectors.EVENT_READ)
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for key, _ in sel.select(left):
                data = os.read(key.fd, 65536)
                if data:
                    chunks[key.fd].append(data)
                else:
                    sel.unregister(key.fd)
        finished = not sel.get_map()
    proc.stdout.close()
    proc.stderr.close()
    return b"".join(chunks[out_fd]), b"".join(chunks[err_fd]), finished


def json_output(tool: str, code: int, out: str, err: str) -> dict[str, Any]:
    """The JSON object a tool printed (text before the first ``{`` is ignored).

    Raises
    ------
    AnalyzerError
        Naming the tool, its exit code and the end of its error output.
    """
    start = out.find("{")
    try:
        data = json.loads(out[start:]) if start >= 0 else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        tail = err.strip()[-300:] or "no JSON output"
        raise AnalyzerError(f"{tool} failed (exit {code}): {tail}")
    return data


def of_suffix(paths: Sequence[Path], suffixes: frozenset[str]) -> list[Path]:
    """The paths an analyzer with ``suffixes`` reads."""
    return [p for p in paths if p.suffix.lower() in suffixes]
