"""cppcheck over many C/C++ files in one process, with the CWE cppcheck gives each warning."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from seccal.core.findings import Finding, Severity
from seccal.judge.analyzers.base import C_SUFFIXES, AnalyzerError, run_tool, tool_path
from seccal.judge.analyzers.registry import register_analyzer
from seccal.judge.config import JudgeConfig

_SEVERITY: dict[str, Severity] = {
    "error": "high",
    "warning": "medium",
    "portability": "low",
    "performance": "low",
    "style": "low",
    "information": "low",
}
_TEMPLATE = "{file}\t{line}\t{severity}\t{id}\t{cwe}\t{message}"


@register_analyzer("cppcheck")
class Cppcheck:
    """``cppcheck --enable=warning,portability`` (style notes would flag nearly every file)."""

    name = "cppcheck"
    suffixes = C_SUFFIXES

    def __init__(self, config: JudgeConfig | None = None, *, timeout: float = 300.0) -> None:
        self.timeout = timeout

    def scan(self, paths: Sequence[Path]) -> dict[Path, list[Finding]]:
        """Findings per file (see :class:`~seccal.judge.analyzers.base.Analyzer`)."""
        exe = tool_path("cppcheck")
        if exe is None:
            raise AnalyzerError("cppcheck is not installed (Debian package cppcheck)")
        argv = [exe, "--enable=warning,portability", "--inconclusive", "--quiet"]
        argv += [f"--template={_TEMPLATE}", *map(str, paths)]
        code, out, err = run_tool("cppcheck", argv, self.timeout)
        if code != 0:
            raise AnalyzerError(f"cppcheck failed (exit {code}): {(err or out).strip()[-300:]}")
        found: dict[Path, list[Finding]] = {}
        # cppcheck prints its findings on stderr; a line that does not fit the template is
        # a note (e.g. "nofile"), not a finding.
        for line in (err + "\n" + out).splitlines():
            parts = line.split("\t")
            if len(parts) != 6 or not parts[1].isdigit():
                continue
            cwe = f"CWE-{parts[4]}" if parts[4].isdigit() and parts[4] != "0" else ""
            severity = _SEVERITY.get(parts[2].lower(), "medium")
            finding = Finding("cppcheck", parts[3], cwe, int(parts[1]), parts[5], severity)
            found.setdefault(Path(parts[0]).resolve(), []).append(finding)
        return found
