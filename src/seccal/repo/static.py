"""Static analysis of generated regions: the region's file, with the span that was generated.

The analyzers are :mod:`seccal.judge.analyzers` (one wrapper each); this module only
knows where a repository task's region lies. Findings count only inside the generated
region (the rest of the snapshot is trusted project code) and feed the one ``static``
label (:func:`seccal.core.findings.static_label`).
"""

from __future__ import annotations

from collections.abc import Sequence

from seccal.judge.analyzers import Analyzer, Source, StaticReport, analyze_sources
from seccal.repo.apply import fill_target, split_target
from seccal.repo.model import RepoTask


def region_source(key: str, task: RepoTask, code: str) -> Source:
    """The task's target file with ``code`` in its region, and the region's line span.

    Raises
    ------
    ApplyError
        When the target has no region markers.
    """
    text = fill_target(task, code)
    split = split_target(task.files[task.target], where=task.target)
    first = split.prefix.count("\n") + 1
    last = len(text.splitlines()) - split.suffix.count("\n")
    return Source(key, task.target, text, first, last)


def analyze_regions(
    items: Sequence[tuple[RepoTask, str]], analyzers: Sequence[Analyzer]
) -> StaticReport:
    """Findings inside each generated region (key: the item's index), every analyzer run once."""
    sources = [region_source(str(i), task, code) for i, (task, code) in enumerate(items)]
    return analyze_sources(sources, analyzers)
