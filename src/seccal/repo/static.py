"""Static analysis of generated regions: Semgrep (our rules), cppcheck, flawfinder, Bandit.

Findings count only inside the generated region (the rest of the snapshot
is trusted project code), and feed the ``static_cwe`` label (a finding whose
CWE is one of the task's) and the ``static_any`` label (any finding). Many
regions are analysed per analyzer call, since each call costs start-up time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from seccal.repo.apply import fill_target, split_target
from seccal.repo.execute import run_command
from seccal.repo.model import RepoTask

_CWE_NUM = re.compile(r"CWE-(\d+)", re.IGNORECASE)
_C_LIKE = (".c", ".h", ".cpp", ".cc", ".hpp")


@dataclass(frozen=True, slots=True)
class Finding:
    """One analyzer finding."""

    analyzer: str
    rule_id: str
    cwe: str | None
    path: str
    line: int
    message: str
    severity: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (the judge's Finding fields plus the path)."""
        return {
            "analyzer": self.analyzer,
            "rule_id": self.rule_id,
            "cwe": self.cwe,
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "severity": self.severity,
        }


def rules_dir() -> Path:
    """Folder of seccal's Semgrep rules for JavaScript, Java, C/C++ and Go."""
    return Path(str(resources.files("seccal.repo").joinpath("rules")))


def _first_cwe(text: str) -> str | None:
    m = _CWE_NUM.search(text)
    return f"CWE-{int(m.group(1))}" if m else None


def semgrep(paths: Sequence[Path], *, root: Path) -> list[Finding]:
    """Findings of our rule pack on ``paths`` (one Semgrep process for all of them)."""
    if not paths:
        return []
    exe = str(Path(sys.executable).with_name("semgrep"))
    argv = (
        exe,
        "scan",
        "--experimental",
        "--metrics=off",
        "--disable-version-check",
        "--quiet",
        "--json",
        "--config",
        str(rules_dir()),
        *map(str, paths),
    )
    res = run_command(argv, workdir=root, env={"SEMGREP_ENABLE_VERSION_CHECK": "0"}, timeout_s=300)
    if res.launch_error or res.timed_out:
        raise RuntimeError(f"semgrep could not run: {res.launch_error or 'timed out'}")
    start = res.output.find("{")
    data = json.loads(res.output[start:]) if start >= 0 else {}
    out = []
    for r in data.get("results", []):
        meta = r.get("extra", {}).get("metadata", {})
        cwe = meta.get("cwe")
        cwe_text = " ".join(cwe) if isinstance(cwe, list) else str(cwe or "")
        out.append(
            Finding(
                "semgrep",
                r["check_id"],
                _first_cwe(cwe_text),
                str(Path(r["path"]).resolve()),
                int(r["start"]["line"]),
                r.get("extra", {}).get("message", ""),
                str(r.get("extra", {}).get("severity", "")).lower(),
            )
        )
    return out


def cppcheck(paths: Sequence[Path], *, root: Path) -> list[Finding]:
    """cppcheck warnings (with their CWE numbers) on C/C++ files."""
    files = [p for p in paths if p.suffix in _C_LIKE]
    if not files:
        return []
    template = "{file}\t{line}\t{severity}\t{id}\t{cwe}\t{message}"
    argv = (
        "cppcheck",
        "--enable=warning,portability",
        "--quiet",
        "--inconclusive",
        f"--template={template}",
        *map(str, files),
    )
    res = run_command(argv, workdir=root, env={}, timeout_s=300)
    if res.launch_error:
        return []
    out = []
    for line in res.output.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not parts[1].isdigit():
            continue
        cwe = f"CWE-{parts[4]}" if parts[4].isdigit() and parts[4] != "0" else None
        out.append(
            Finding(
                "cppcheck",
                parts[3],
                cwe,
                str(Path(parts[0]).resolve()),
                int(parts[1]),
                parts[5],
                parts[2],
            )
        )
    return out


def flawfinder(paths: Sequence[Path], *, root: Path, min_level: int = 4) -> list[Finding]:
    """flawfinder hits of at least ``min_level`` (lower levels flag nearly every call)."""
    files = [p for p in paths if p.suffix in _C_LIKE]
    if not files:
        return []
    argv = (
        "flawfinder",
        "--csv",
        "--quiet",
        "--dataonly",
        f"--minlevel={min_level}",
        *map(str, files),
    )
    res = run_command(argv, workdir=root, env={}, timeout_s=300)
    if res.launch_error:
        return []
    out = []
    for row in csv.DictReader(io.StringIO(res.output)):
        if not row.get("Line", "").isdigit():
            continue
        out.append(
            Finding(
                "flawfinder",
                row.get("Name", ""),
                _first_cwe(row.get("CWEs", "")),
                str(Path(row["File"]).resolve()),
                int(row["Line"]),
                row.get("Warning", ""),
                f"level{row.get('Level', '')}",
            )
        )
    return out


def bandit(paths: Sequence[Path], *, root: Path) -> list[Finding]:
    """Bandit findings (with issue_cwe) on Python files."""
    files = [p for p in paths if p.suffix == ".py"]
    if not files:
        return []
    argv = (sys.executable, "-m", "bandit", "-q", "-f", "json", *map(str, files))
    res = run_command(argv, workdir=root, env={}, timeout_s=300)
    start = res.output.find("{")
    if res.launch_error or start < 0:
        return []
    data = json.loads(res.output[start:])
    return [
        Finding(
            "bandit",
            r["test_id"],
            f"CWE-{r['issue_cwe']['id']}" if r.get("issue_cwe") else None,
            str(Path(r["filename"]).resolve()),
            int(r["line_number"]),
            r["issue_text"],
            r["issue_severity"].lower(),
        )
        for r in data.get("results", [])
    ]


def analyze_regions(items: Sequence[tuple[RepoTask, str]]) -> list[list[Finding]]:
    """Findings inside each generated region, for many (task, code) pairs at once.

    Every filled target file is written to one temporary tree and each
    analyzer runs once over all of them; findings are then mapped back to the
    region's line range of their own file.
    """
    with tempfile.TemporaryDirectory(prefix="seccal-static-") as tmp:
        root = Path(tmp).resolve()
        spans: list[tuple[Path, int, int]] = []
        for i, (task, code) in enumerate(items):
            text = fill_target(task, code)
            path = root / str(i) / task.target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            split = split_target(task.files[task.target], where=task.target)
            first = split.prefix.count("\n") + 1
            last = len(text.splitlines()) - split.suffix.count("\n")
            spans.append((path, first, last))
        paths = [p for p, _, _ in spans]
        found = (
            semgrep(paths, root=root)
            + cppcheck(paths, root=root)
            + flawfinder(paths, root=root)
            + bandit(paths, root=root)
        )
        out: list[list[Finding]] = []
        for (task, _), (path, first, last) in zip(items, spans, strict=True):
            # Report the path inside the repository, not the temporary one.
            out.append(
                [
                    Finding(
                        f.analyzer, f.rule_id, f.cwe, task.target, f.line, f.message, f.severity
                    )
                    for f in found
                    if f.path == str(path) and first <= f.line <= last
                ]
            )
        return out


def static_labels(
    task: RepoTask, findings: Sequence[Finding]
) -> dict[str, Literal["secure", "vulnerable"]]:
    """``static_cwe`` and ``static_any`` labels from a region's findings."""
    cwes = set(task.cwes)
    return {
        "static_cwe": "vulnerable" if any(f.cwe in cwes for f in findings) else "secure",
        "static_any": "vulnerable" if findings else "secure",
    }
