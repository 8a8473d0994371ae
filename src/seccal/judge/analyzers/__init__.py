"""Static analyzers: one wrapper per tool, one registry, one scan over many sources.

Shipped: ``bandit`` (Python, Bandit's own CWE per finding), ``semgrep`` (seccal's own
rule packs in ``seccal/judge/rules/<language>.yaml``, Python, C, C++, Go, JavaScript,
Java), ``cppcheck`` and ``flawfinder`` (C and C++). Each reads only files of its
languages and runs once per batch. Findings become the ``static`` label through the one
rule, :func:`seccal.core.findings.static_label`.

Examples
--------
>>> from seccal.judge.config import JudgeConfig
>>> analyzers = create_analyzers(JudgeConfig(analyzers=("bandit",)))   # doctest: +SKIP
>>> analyze_sources([Source("g1", "app.py", code)], analyzers).findings["g1"]  # doctest: +SKIP
"""

from seccal.judge.analyzers.base import Analyzer, AnalyzerError, normalize_cwe
from seccal.judge.analyzers.registry import (
    analyzer_names,
    create_analyzer,
    create_analyzers,
    register_analyzer,
)
from seccal.judge.analyzers.scan import Source, StaticReport, analyze_files, analyze_sources

__all__ = [
    "Analyzer",
    "AnalyzerError",
    "Source",
    "StaticReport",
    "analyze_files",
    "analyze_sources",
    "analyzer_names",
    "create_analyzer",
    "create_analyzers",
    "normalize_cwe",
    "register_analyzer",
]
