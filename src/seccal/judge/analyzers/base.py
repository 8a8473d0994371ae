"""What every analyzer wrapper shares: the protocol, its error, CWE and process helpers.

An analyzer wrapper does one job: run its tool once over many files and parse the
output into :class:`~seccal.core.findings.Finding` records, each with a CWE and a
severity. A tool that cannot run raises :class:`AnalyzerError` with a message that
says which tool and why; :func:`seccal.judge.analyzers.scan.analyze` turns that into
an ``unknown`` static label for the files that tool would have read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
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


def run_tool(tool: str, argv: Sequence[str], timeout: float) -> tuple[int, str, str]:
    """Run ``argv``: (exit code, stdout, stderr).

    Raises
    ------
    AnalyzerError
        When it cannot start or runs past ``timeout`` seconds.
    """
    env = {**os.environ, **QUIET_ENV}
    try:
        proc = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise AnalyzerError(f"{tool} timed out after {timeout:g} s") from exc
    except OSError as exc:
        raise AnalyzerError(f"{tool} could not start: {exc}") from exc
    return proc.returncode, proc.stdout, proc.stderr


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
