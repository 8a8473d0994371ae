"""Read bring-your-own generations (JSONL) and resume a verdict file.

A generation line holds ``task_id`` and ``code``, optionally ``id``, ``model``,
``temperature`` and ``sample``. Malformed lines are reported with their line
number and skipped; they never stop the run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seccal.core.task import Task
from seccal.core.verdict import Verdict
from seccal.errors import InputError


@dataclass(frozen=True, slots=True)
class GenerationRecord:
    """One line of a generations file."""

    generation_id: str
    task_id: str
    code: str
    meta: Mapping[str, Any] = field(default_factory=dict)


def generation_id_of(row: Mapping[str, Any]) -> str:
    """The line's ``id``, else a stable hash of task, model, temperature, sample and code."""
    if row.get("id") not in (None, ""):
        return str(row["id"])
    key = json.dumps(
        [row.get("task_id"), row.get("model"), row.get("temperature"), row.get("sample"),
         row.get("code")],
        sort_keys=True,
    )  # fmt: skip
    return "g-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def read_generations(
    path: Path, tasks: Mapping[str, Task]
) -> tuple[list[tuple[GenerationRecord, Task]], list[str]]:
    """Parse ``path``; return the usable records with their task, and one warning per bad line.

    ``tasks`` maps both ``task.id`` and ``task.key`` to the task.

    Raises
    ------
    InputError
        When the file cannot be read at all.
    """
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read generations: {exc}") from exc
    good: list[tuple[GenerationRecord, Task]] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            warnings.append(f"{where}: not JSON ({exc.args[0] if exc.args else exc}); skipped")
            continue
        if not isinstance(row, dict):
            warnings.append(f"{where}: not a JSON object; skipped")
            continue
        problem = _problem(row)
        if problem:
            warnings.append(f"{where}: {problem}; skipped")
            continue
        task = tasks.get(row["task_id"])
        if task is None:
            warnings.append(f"{where}: field 'task_id': unknown task {row['task_id']!r}; skipped")
            continue
        gid = generation_id_of(row)
        if gid in seen:
            warnings.append(f"{where}: duplicate generation id {gid!r}; skipped")
            continue
        seen.add(gid)
        meta = {k: row[k] for k in ("model", "temperature", "sample") if k in row}
        good.append((GenerationRecord(gid, row["task_id"], row["code"], meta), task))
    return good, warnings


def _problem(row: Mapping[str, Any]) -> str | None:
    for name in ("task_id", "code"):
        if name not in row:
            return f"field {name!r} missing"
        if not isinstance(row[name], str):
            return f"field {name!r} must be a string"
    if "temperature" in row and not isinstance(row["temperature"], int | float | None):
        return "field 'temperature' must be a number"
    if "sample" in row and not isinstance(row["sample"], int | None):
        return "field 'sample' must be an integer"
    if "id" in row and not isinstance(row["id"], str | int | None):
        return "field 'id' must be a string"
    return None


def done_ids(out: Path) -> tuple[set[str], list[str]]:
    """Generation ids already in a verdict file, and warnings for its unreadable lines.

    A last line cut short by a crash is removed from the file so that new
    lines are appended after a clean newline.
    """
    if not out.exists():
        return set(), []
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        with out.open("r+b") as fh:
            fh.truncate(cut)
        data = data[:cut]
    ids: set[str] = set()
    warnings: list[str] = []
    for number, line in enumerate(data.decode(errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ids.add(str(json.loads(line)["generation_id"]))
        except (ValueError, KeyError, TypeError):
            warnings.append(f"{out}:{number}: unreadable verdict line; ignored")
    return ids, warnings


def output_row(record: GenerationRecord, verdict: Verdict) -> dict[str, Any]:
    """The JSON object written per judged generation."""
    return {
        "generation_id": record.generation_id,
        "task_id": record.task_id,
        **record.meta,
        "verdict": verdict.to_dict(),
    }


def append_rows(out: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    """Append rows and fsync, so a crash after this call loses none of them."""
    with out.open("a") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def iter_task_file(path: Path) -> Iterator[Task]:
    """Tasks from a JSONL file of ``Task.to_dict()`` objects.

    Raises
    ------
    InputError
        On the first bad line (tasks are the ground truth: no silent skipping).
    """
    from seccal.core.task import task_from_dict

    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read tasks: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield task_from_dict(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number}: not a task record: {exc!r}") from exc
