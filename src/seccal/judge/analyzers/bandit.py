"""Bandit over many Python files in one process; each finding carries Bandit's ``issue_cwe``."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

from seccal.core.findings import Finding, Severity
from seccal.judge.analyzers.base import (
    PYTHON_SUFFIXES,
    AnalyzerError,
    json_output,
    normalize_cwe,
    run_tool,
)
from seccal.judge.analyzers.registry import register_analyzer
from seccal.judge.config import JudgeConfig

_SEVERITY: dict[str, Severity] = {"HIGH": "high", "MEDIUM": "medium", "LOW": "low"}
#: Bandit tests not run: B413 flags every ``import Crypto`` as the dead pyCrypto library,
#: but pycryptodome (maintained) provides the same ``Crypto`` package, so the import
#: alone says nothing about a weakness (the cipher and mode rules do).
SKIPPED_TESTS = ("B413",)


@register_analyzer("bandit")
class Bandit:
    """Bandit (``python -m bandit``) in the interpreter given, by default this one."""

    name = "bandit"
    suffixes = PYTHON_SUFFIXES

    def __init__(
        self,
        config: JudgeConfig | None = None,
        *,
        python: str | None = None,
        timeout: float = 300.0,
    ) -> None:
        self.python = python or sys.executable
        self.timeout = timeout

    def scan(self, paths: Sequence[Path]) -> dict[Path, list[Finding]]:
        """Findings per file (see :class:`~seccal.judge.analyzers.base.Analyzer`)."""
        if self.python == sys.executable and importlib.util.find_spec("bandit") is None:
            raise AnalyzerError("bandit is not installed in this Python (pip install bandit)")
        argv = [self.python, "-m", "bandit", "-f", "json", "-q", "-s", ",".join(SKIPPED_TESTS)]
        argv += [str(p) for p in paths]
        data = json_output("bandit", *run_tool("bandit", argv, self.timeout))
        found: dict[Path, list[Finding]] = {}
        for r in data.get("results", ()):
            found.setdefault(Path(r["filename"]).resolve(), []).append(
                Finding(
                    analyzer="bandit",
                    rule_id=str(r.get("test_id", "")),
                    cwe=normalize_cwe(r.get("issue_cwe", "")),
                    line=int(r.get("line_number", 0)),
                    message=str(r.get("issue_text", "")),
                    severity=_SEVERITY.get(str(r.get("issue_severity", "")).upper(), "low"),
                )
            )
        return found
