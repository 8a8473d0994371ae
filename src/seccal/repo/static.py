"""Static analysis of generated regions: Semgrep (our rules), cppcheck, flawfinder, Bandit.

Findings count only inside the generated region (the rest of the snapshot
is trusted project code), and feed the one ``static`` label
(:func:`seccal.core.findings.static_label`). Many
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
from importlib import resources
from pathlib import Path

from seccal.core.findings import Finding, Severity
from seccal.repo.apply import fill_target, split_target
from seccal.repo.execute import run_trusted
from seccal.repo.model import RepoTask

_CWE_NUM = re.compile(r"CWE-(\d+)", re.IGNORECASE)
_C_LIKE = (".c", ".h", ".cpp", ".cc", ".hpp")


#: A finding with the (absolute) path of the file it is in.
Located = tuple[str, Finding]

_SEVERITY: dict[str, Severity] = {
    "error": "high", "warning": "medium", "info": "low", "style": "low", "portability": "low",
    "performance": "low", "high": "high", "medium": "medium", "low": "low",
    "level5": "high", "level4": "high", "level3": "medium", "level2": "low", "level1": "low",
}  # fmt: skip


def _severity(text: str) -> Severity:
    return _SEVERITY.get(text.lower(), "medium")


def rules_dir() -> Path:
    """Folder of seccal's Semgrep rules for JavaScript, Java, C/C++ and Go."""
    return Path(str(resources.files("seccal.repo").joinpath("rules")))


def _first_cwe(text: str) -> str:
    m = _CWE_NUM.search(text)
    return f"CWE-{int(m.group(1))}" if m else ""


def semgrep(paths: Sequence[Path], *, root: Path) -> list[Located]:
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
    res = run_trusted(argv, workdir=root, env={"SEMGREP_ENABLE_VERSION_CHECK": "0"}, timeout_s=300)
    if res.launch_error or res.timed_out:
        raise RuntimeError(f"semgrep could not run: {res.launch_error or 'timed out'}")
    start = res.output.find("{")
    data = json.loads(res.output[start:]) if start >= 0 else {}
    out = []
    for r in data.get("results", []):
        meta = r.get("extra", {}).get("metadata", {})
        cwe = meta.get("cwe")
        cwe_text = " ".join(cwe) if isinstance(cwe, list) else str(cwe or "")
        extra = r.get("extra", {})
        finding = Finding(
            "semgrep",
            r["check_id"],
            _first_cwe(cwe_text),
            int(r["start"]["line"]),
            extra.get("message", ""),
            _severity(str(extra.get("severity", ""))),
        )
        out.append((str(Path(r["path"]).resolve()), finding))
    return out


def cppcheck(paths: Sequence[Path], *, root: Path) -> list[Located]:
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
    res = run_trusted(argv, workdir=root, env={}, timeout_s=300)
    if res.launch_error:
        return []
    out = []
    for line in res.output.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not parts[1].isdigit():
            continue
        cwe = f"CWE-{parts[4]}" if parts[4].isdigit() and parts[4] != "0" else ""
        finding = Finding("cppcheck", parts[3], cwe, int(parts[1]), parts[5], _severity(parts[2]))
        out.append((str(Path(parts[0]).resolve()), finding))
    return out


def flawfinder(paths: Sequence[Path], *, root: Path, min_level: int = 4) -> list[Located]:
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
    res = run_trusted(argv, workdir=root, env={}, timeout_s=300)
    if res.launch_error:
        return []
    out = []
    for row in csv.DictReader(io.StringIO(res.output)):
        if not row.get("Line", "").isdigit():
            continue
        finding = Finding(
            "flawfinder",
            row.get("Name", ""),
            _first_cwe(row.get("CWEs", "")),
            int(row["Line"]),
            row.get("Warning", ""),
            _severity(f"level{row.get('Level', '')}"),
        )
        out.append((str(Path(row["File"]).resolve()), finding))
    return out


def bandit(paths: Sequence[Path], *, root: Path) -> list[Located]:
    """Bandit findings (with issue_cwe) on Python files."""
    files = [p for p in paths if p.suffix == ".py"]
    if not files:
        return []
    argv = (sys.executable, "-m", "bandit", "-q", "-f", "json", *map(str, files))
    res = run_trusted(argv, workdir=root, env={}, timeout_s=300)
    start = res.output.find("{")
    if res.launch_error or start < 0:
        return []
    data = json.loads(res.output[start:])
    return [
        (
            str(Path(r["filename"]).resolve()),
            Finding(
                "bandit",
                r["test_id"],
                f"CWE-{r['issue_cwe']['id']}" if r.get("issue_cwe") else "",
                int(r["line_number"]),
                r["issue_text"],
                _severity(r["issue_severity"]),
            ),
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
        # Keep findings inside each region of its own file only.
        return [
            [f for p, f in found if p == str(path) and first <= f.line <= last]
            for path, first, last in spans
        ]
