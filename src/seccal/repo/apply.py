"""Masking the target region and writing a generation into a work dir.

The snapshot's target file holds :data:`REGION_MARKER` on a line of its own.
Applying a generation copies the snapshot, replaces that line by the code
(re-indented to the marker's indentation), and then *verifies* the result:
the target must be exactly prefix + code + suffix and every other file must
be byte-identical to the snapshot, so a bug in applying can never be
mistaken for the model's fault.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from seccal.core.task import Language
from seccal.errors import InputError
from seccal.repo.model import REGION_MARKER, RepoTask

_COMMENT = {
    "python": "#",
    "javascript": "//",
    "java": "//",
    "c": "//",
    "cpp": "//",
    "go": "//",
}
_FENCE = re.compile(r"```[\w+#.-]*[ \t]*\n(.*?)```", re.DOTALL)


class ApplyError(RuntimeError):
    """Writing the region went wrong (a harness problem, never the model's)."""


@dataclass(frozen=True, slots=True)
class SplitTarget:
    """The target file around its region marker."""

    prefix: str
    indent: str
    suffix: str


def split_target(text: str, *, where: str = "target") -> SplitTarget:
    """Split a target file at its single marker line.

    Raises
    ------
    InputError
        If the marker is missing or occurs more than once (``where`` names
        the file in the message).
    """
    lines = text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.strip() == REGION_MARKER]
    if len(hits) != 1:
        raise InputError(f"{where}: expected exactly one line {REGION_MARKER!r}, found {len(hits)}")
    i = hits[0]
    line = lines[i]
    indent = line[: len(line) - len(line.lstrip())]
    return SplitTarget("".join(lines[:i]), indent, "".join(lines[i + 1 :]))


def split_lines(text: str, start: int, end: int, *, where: str = "target") -> SplitTarget:
    """Split a file around its 1-based, inclusive lines ``start..end`` (a region given by lines).

    The indent is that of the region's first non-blank line.

    Raises
    ------
    InputError
        If the lines are not inside the file (``where`` names it).
    """
    lines = text.splitlines(keepends=True)
    if not 1 <= start <= end <= len(lines):
        raise InputError(f"{where}: lines {start}-{end} are not inside its {len(lines)} lines")
    region = [ln for ln in lines[start - 1 : end] if ln.strip()]
    first = region[0] if region else ""
    indent = first[: len(first) - len(first.lstrip())]
    return SplitTarget("".join(lines[: start - 1]), indent, "".join(lines[end:]))


def fill_lines(text: str, start: int, end: int, code: str, *, where: str = "target") -> str:
    """``text`` with lines ``start..end`` replaced by ``code`` (see :func:`render_region`).

    Raises
    ------
    InputError
        If the lines are not inside the file.
    """
    split = split_lines(text, start, end, where=where)
    return split.prefix + render_region(code, split.indent) + split.suffix


def render_region(code: str, indent: str) -> str:
    """``code`` dedented, re-indented to ``indent`` and ending in one newline."""
    body = textwrap.dedent(code.strip("\n"))
    body = textwrap.indent(body, indent) if indent else body
    return body.rstrip() + "\n"


def masked_target(task: RepoTask) -> str:
    """The target file as the model sees it: the region replaced by a comment."""
    split = split_target(task.files[task.target], where=f"{task.id}/{task.target}")
    mark = _COMMENT[task.language]
    note = f"{split.indent}{mark} <MASKED REGION: write this part>\n"
    return split.prefix + note + split.suffix


def fill_target(task: RepoTask, code: str) -> str:
    """The target file text with ``code`` in the region."""
    split = split_target(task.files[task.target], where=f"{task.id}/{task.target}")
    return split.prefix + render_region(code, split.indent) + split.suffix


def extract_code(response: str, language: Language) -> str:
    """The code in a model response: the longest fenced block, else the text.

    Models often wrap code in Markdown fences or add a sentence around it;
    the region must receive code only.
    """
    blocks = _FENCE.findall(response)
    if blocks:
        return str(max(blocks, key=len))
    return response


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_workdir(
    task: RepoTask, code: str, workdir: Path, *, extra: Mapping[str, str] | None = None
) -> None:
    """Copy the snapshot, tests and ``extra`` files into ``workdir`` with ``code`` applied.

    Raises
    ------
    ApplyError
        If the written tree differs from what was intended.
    """
    planned: dict[str, str] = {**task.files, **task.test_files, **(extra or {})}
    filled = fill_target(task, code)
    planned[task.target] = filled
    for rel, text in planned.items():
        path = workdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (workdir / "build").mkdir(exist_ok=True)
    # Verify: re-read everything and compare digests; the target must still
    # hold the snapshot's text around the region.
    split = split_target(task.files[task.target], where=task.target)
    for rel, text in planned.items():
        got = (workdir / rel).read_bytes()
        if _digest(got) != _digest(text.encode("utf-8")):
            raise ApplyError(f"{rel}: written file differs from the planned text")
    written = (workdir / task.target).read_text(encoding="utf-8")
    if not (written.startswith(split.prefix) and written.endswith(split.suffix)):
        raise ApplyError(f"{task.target}: text around the region changed")
    region = written[len(split.prefix) : len(written) - len(split.suffix)]
    if region != render_region(code, split.indent):
        raise ApplyError(f"{task.target}: region does not hold the generation")
