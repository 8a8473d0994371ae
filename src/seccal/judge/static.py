"""Static analysis of many snippets per analyzer call: Bandit and Semgrep.

Each analyzer is started once per batch on all of the batch's files (a
Semgrep start costs seconds in its classic mode; ``--experimental`` is used,
which starts in a fraction of a second) and its findings are mapped back to
the snippet that owns each file. Every finding carries a CWE: Bandit reports
``issue_cwe``; our Semgrep rules carry ``metadata.cwe``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seccal.core.findings import Finding, Severity

RULES_DIR = Path(__file__).with_name("rules")
DEFAULT_RULES = RULES_DIR / "python.yaml"
_CWE_RE = re.compile(r"CWE-(\d+)", re.IGNORECASE)
_SEVERITY: dict[str, Severity] = {
    "HIGH": "high",
    "ERROR": "high",
    "CRITICAL": "high",
    "MEDIUM": "medium",
    "WARNING": "medium",
    "LOW": "low",
    "INFO": "low",
    "UNDEFINED": "low",
}


@dataclass(slots=True)
class StaticReport:
    """Findings per snippet key, and per analyzer the error that stopped it."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def normalize_cwe(value: object) -> str:
    """``"CWE-89"`` from ``89``, ``"CWE-89: SQL Injection"``, ``["CWE-89: ..."]`` or ``{"id": 89}``."""
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


def _run(argv: list[str], timeout: float) -> tuple[int, str, str]:
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    return proc.returncode, proc.stdout, proc.stderr


class Bandit:
    """Bandit over many files in one process."""

    name = "bandit"

    def __init__(self, python: str | None = None, timeout: float = 300.0) -> None:
        self.python = python or sys.executable
        self.timeout = timeout

    def scan(self, paths: Sequence[Path]) -> tuple[dict[Path, list[Finding]], str | None]:
        """Findings per file, or an error string when Bandit could not run."""
        argv = [self.python, "-m", "bandit", "-f", "json", "-q", *map(str, paths)]
        try:
            code, out, err = _run(argv, self.timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return {}, f"bandit failed: {exc}"
        try:
            data: dict[str, Any] = json.loads(out)
        except ValueError:
            return {}, f"bandit failed (exit {code}): {err.strip()[-300:] or 'no JSON output'}"
        found: dict[Path, list[Finding]] = {}
        for r in data.get("results", ()):
            found.setdefault(Path(r["filename"]).resolve(), []).append(
                Finding(
                    analyzer="bandit",
                    rule_id=str(r.get("test_id", "")),
                    cwe=normalize_cwe(r.get("issue_cwe", "")),
                    line=int(r.get("line_number", 0)),
                    message=str(r.get("issue_text", "")),
                    severity=_SEVERITY.get(str(r.get("issue_severity", "")).upper(), "medium"),
                )
            )
        return found, None


def _semgrep_exe() -> str | None:
    local = Path(sys.executable).with_name("semgrep")
    return str(local) if local.exists() else shutil.which("semgrep")


class Semgrep:
    """Semgrep with our CWE-tagged rule pack, many files per call."""

    name = "semgrep"

    def __init__(self, rules: Sequence[Path] = (DEFAULT_RULES,), timeout: float = 300.0) -> None:
        self.rules = tuple(rules)
        self.timeout = timeout

    def scan(self, paths: Sequence[Path]) -> tuple[dict[Path, list[Finding]], str | None]:
        """Findings per file, or an error string when Semgrep could not run."""
        exe = _semgrep_exe()
        if exe is None:
            return {}, "semgrep not installed"
        argv = [exe, "scan", "--experimental", "--metrics=off", "--disable-version-check"]
        argv += ["--json", "--quiet", "--no-git-ignore", "--timeout", "10"]
        for rule in self.rules:
            argv += ["--config", str(rule)]
        argv += [str(p) for p in paths]
        try:
            code, out, err = _run(argv, self.timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return {}, f"semgrep failed: {exc}"
        try:
            data: dict[str, Any] = json.loads(out)
        except ValueError:
            return {}, f"semgrep failed (exit {code}): {err.strip()[-300:] or 'no JSON output'}"
        found: dict[Path, list[Finding]] = {}
        for r in data.get("results", ()):
            extra = r.get("extra", {})
            found.setdefault(Path(r["path"]).resolve(), []).append(
                Finding(
                    analyzer="semgrep",
                    rule_id=str(r.get("check_id", "")).rsplit(".", 1)[-1],
                    cwe=normalize_cwe(extra.get("metadata", {}).get("cwe", "")),
                    line=int(r.get("start", {}).get("line", 0)),
                    message=str(extra.get("message", "")).strip(),
                    severity=_SEVERITY.get(str(extra.get("severity", "")).upper(), "medium"),
                )
            )
        return found, None


def analyze(files: Mapping[str, Path], analyzers: Sequence[Bandit | Semgrep]) -> StaticReport:
    """Run every analyzer once over all ``files`` (snippet key → file).

    Parameters
    ----------
    files:
        Snippet key to the file holding its code.
    analyzers:
        Analyzer instances; one that fails records its error in
        :attr:`StaticReport.errors` and contributes no findings.
    """
    report = StaticReport(findings={key: [] for key in files})
    if not files:
        return report
    owner = {path.resolve(): key for key, path in files.items()}
    for analyzer in analyzers:
        found, error = analyzer.scan(list(files.values()))
        if error is not None:
            report.errors[analyzer.name] = error
            continue
        for path, findings in found.items():
            key = owner.get(path)
            if key is not None:
                report.findings[key].extend(findings)
    for key in report.findings:
        report.findings[key].sort(key=lambda f: (f.line, f.analyzer, f.rule_id))
    return report
