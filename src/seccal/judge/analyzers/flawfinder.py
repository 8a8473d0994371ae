"""flawfinder over many C/C++ files in one process (CSV output, with its CWE list per hit)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from seccal.core.findings import Finding, Severity
from seccal.judge.analyzers.base import (
    C_SUFFIXES,
    AnalyzerError,
    normalize_cwe,
    run_tool,
    tool_path,
)
from seccal.judge.analyzers.registry import register_analyzer
from seccal.judge.config import JudgeConfig

#: Risk levels 0-5 to severities.
_SEVERITY: dict[str, Severity] = {"5": "high", "4": "high", "3": "medium"}
#: Lower levels flag nearly every call to a string function.
DEFAULT_MIN_LEVEL = 4


@register_analyzer("flawfinder")
class Flawfinder:
    """flawfinder hits of at least ``min_level``."""

    name = "flawfinder"
    suffixes = C_SUFFIXES

    def __init__(
        self,
        config: JudgeConfig | None = None,
        *,
        min_level: int = DEFAULT_MIN_LEVEL,
        timeout: float = 300.0,
    ) -> None:
        self.min_level = min_level
        self.timeout = timeout

    def scan(self, paths: Sequence[Path]) -> dict[Path, list[Finding]]:
        """Findings per file (see :class:`~seccal.judge.analyzers.base.Analyzer`)."""
        exe = tool_path("flawfinder")
        if exe is None:
            raise AnalyzerError("flawfinder is not installed (Debian package flawfinder)")
        argv = [exe, "--csv", "--quiet", "--dataonly", f"--minlevel={self.min_level}"]
        code, out, err = run_tool("flawfinder", [*argv, *map(str, paths)], self.timeout)
        if code != 0:
            raise AnalyzerError(f"flawfinder failed (exit {code}): {err.strip()[-300:]}")
        found: dict[Path, list[Finding]] = {}
        for row in csv.DictReader(io.StringIO(out)):
            if not str(row.get("Line", "")).isdigit():
                continue
            finding = Finding(
                "flawfinder",
                row.get("Name", ""),
                normalize_cwe(row.get("CWEs", "")),
                int(row["Line"]),
                row.get("Warning", ""),
                _SEVERITY.get(str(row.get("Level", "")), "low"),
            )
            found.setdefault(Path(row["File"]).resolve(), []).append(finding)
        return found
