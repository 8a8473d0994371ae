"""Run analyzers over many sources at once and map their findings back to each source.

Every kind of task ends here: a Python snippet is a :class:`Source` of its module
file; a repository region or a CWEval native program is a :class:`Source` of the
whole file with the line span that was generated (findings outside the span are in
trusted code and do not count). Each analyzer runs once over all the files it reads.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from seccal.core.findings import Finding, Severity
from seccal.core.verdict import Verdict
from seccal.judge.analyzers.base import Analyzer, AnalyzerError, of_suffix, thread_tool_cpu


@dataclass(frozen=True, slots=True)
class Source:
    """One text to analyse.

    Attributes
    ----------
    key:
        Caller's id for it (unique within one call).
    filename:
        Relative file name to write it under; its suffix decides which analyzers read it.
    text:
        The file's content.
    first_line, last_line:
        The 1-based inclusive line span whose findings count (``last_line=0``: to the end).
    """

    key: str
    filename: str
    text: str
    first_line: int = 1
    last_line: int = 0

    def counts(self, line: int) -> bool:
        """Whether a finding on ``line`` lies in the span (line 0, unknown, counts)."""
        if line <= 0:
            return True
        return self.first_line <= line and (self.last_line <= 0 or line <= self.last_line)


@dataclass(slots=True)
class StaticReport:
    """Findings per source key, and per key the errors of analyzers that should have read it."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    #: CPU seconds each analyzer's processes used (a run that failed included).
    cpu_s: dict[str, float] = field(default_factory=dict)

    def error_for(self, key: str) -> str:
        """``"static analyzer failed: ..."`` for ``key``, or ``""`` when every analyzer ran."""
        errs = self.errors.get(key) or {}
        if not errs:
            return ""
        text = "; ".join(f"{name}: {msg}" for name, msg in sorted(errs.items()))
        return f"static analyzer failed: {text}"[:500]

    def apply(
        self, key: str, verdict: Verdict, task_cwes: Sequence[str], min_severity: Severity
    ) -> None:
        """Give ``verdict`` the findings of ``key`` and its static label from them, or
        ``unknown`` with the analyzer's error when one that should have read it failed."""
        verdict.findings.extend(self.findings.get(key, []))
        error = self.error_for(key)
        if error:
            verdict.set_unknown("static", error)
        else:
            verdict.set_static(task_cwes, min_severity)


def analyze_files(
    files: Mapping[str, Path],
    analyzers: Sequence[Analyzer],
    spans: Mapping[str, Source] | None = None,
) -> StaticReport:
    """Run every analyzer once over the ``files`` it reads (key → file).

    Parameters
    ----------
    files:
        Source key to the file holding it.
    analyzers:
        Analyzer instances. One that fails records its error for each key it would
        have read (:meth:`StaticReport.error_for`) and contributes no findings.
    spans:
        Per key, the :class:`Source` whose line span filters that key's findings.
    """
    report = StaticReport(findings={key: [] for key in files})
    owner = {path.resolve(): key for key, path in files.items()}
    for analyzer in analyzers:
        mine = of_suffix(list(files.values()), analyzer.suffixes)
        if not mine:
            continue
        cpu0 = thread_tool_cpu()
        try:
            found = analyzer.scan(mine)
        except AnalyzerError as exc:
            for path in mine:
                report.errors.setdefault(owner[path.resolve()], {})[analyzer.name] = str(exc)
            continue
        finally:
            report.cpu_s[analyzer.name] = (
                report.cpu_s.get(analyzer.name, 0.0) + thread_tool_cpu() - cpu0
            )
        for path, findings in found.items():
            key = owner.get(path.resolve())
            if key is None:
                continue
            source = (spans or {}).get(key)
            report.findings[key].extend(
                f for f in findings if source is None or source.counts(f.line)
            )
    for key in report.findings:
        report.findings[key].sort(key=lambda f: (f.line, f.analyzer, f.rule_id))
    return report


def analyze_sources(
    sources: Sequence[Source], analyzers: Sequence[Analyzer], *, work_root: Path | None = None
) -> StaticReport:
    """Write ``sources`` to a temporary tree (one folder each) and :func:`analyze_files` them.

    Identical sources (same file name, text and span: the samples of a task at low
    temperature often are) are analysed once; each key gets its own copy of the result.

    Raises
    ------
    ValueError
        When a file name is absolute or leaves its folder (``..``).
    """
    first: dict[tuple[str, str, int, int], str] = {}
    same: dict[str, str] = {}  # key -> key of the first identical source
    for src in sources:
        rel = PurePosixPath(src.filename)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"source {src.key!r}: unsafe file name {src.filename!r}")
        ident = (src.filename, src.text, src.first_line, src.last_line)
        if ident in first:
            same[src.key] = first[ident]
        else:
            first[ident] = src.key
    unique = [src for src in sources if src.key not in same]
    with tempfile.TemporaryDirectory(prefix="seccal-static-", dir=work_root) as tmp:
        root = Path(tmp).resolve()
        files: dict[str, Path] = {}
        for n, src in enumerate(unique):
            path = root / str(n) / src.filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(src.text, encoding="utf-8")
            files[src.key] = path
        report = analyze_files(files, analyzers, {s.key: s for s in unique})
    for key, original in same.items():
        report.findings[key] = list(report.findings[original])
        if original in report.errors:
            report.errors[key] = dict(report.errors[original])
    return report
