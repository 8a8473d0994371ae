"""The masked file as the prompt shows it: whole, or a window around the region.

Real source files run to thousands of lines (cJSON.c is about 25,000
tokens); the prompt keeps the lines nearest the masked region, growing the
window evenly above and below until the file budget is spent, and marks each
cut with a comment saying how many lines were left out. The work dir always
receives the whole file; only the model's view is cut.
"""

from __future__ import annotations

from dataclasses import replace

from seccal.repo.apply import split_target
from seccal.repo.context import approx_tokens
from seccal.repo.model import RepoTask

_COMMENT = {"python": "#", "javascript": "//", "java": "//", "c": "//", "cpp": "//", "go": "//"}


def windowed(task: RepoTask, budget: int) -> RepoTask:
    """``task`` with its target file cut to ``budget`` tokens around the region (for prompts only)."""
    text = task.files[task.target]
    if approx_tokens(text) <= budget:
        return task
    split = split_target(text, where=f"{task.id}/{task.target}")
    above = split.prefix.splitlines(keepends=True)
    below = split.suffix.splitlines(keepends=True)
    marker = text[len(split.prefix) : len(text) - len(split.suffix)]
    left = budget - approx_tokens(marker)
    lo, hi = len(above), 0  # keep above[lo:] and below[:hi]
    while left > 0 and (lo > 0 or hi < len(below)):
        for side in ("up", "down"):
            if side == "up" and lo > 0:
                lo -= 1
                left -= approx_tokens(above[lo])
            elif side == "down" and hi < len(below):
                left -= approx_tokens(below[hi])
                hi += 1
    mark = _COMMENT[task.language]
    head = [f"{mark} ... {lo} lines above omitted ...\n"] if lo else []
    tail = [f"{mark} ... {len(below) - hi} lines below omitted ...\n"] if hi < len(below) else []
    shown = "".join([*head, *above[lo:], marker, *below[:hi], *tail])
    return replace(task, files={**task.files, task.target: shown})
