"""Adapter for SecurityEval's ``dataset.jsonl`` (prompts and insecure examples, no tests).

Each line is ``{"ID": "CWE-020_author_1.py", "Prompt": ..., "Insecure_code": ...}``.
SecurityEval carries no licence, so seccal ships none of it: users pass the path
of their own copy (``securityeval:/path/dataset.jsonl``). Its tasks have no
executable tests and load as ``static_only``; only static analysis labels them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from seccal.core.task import Task
from seccal.errors import ConfigError, InputError
from seccal.tasks._jsonl import iter_json_objects
from seccal.tasks._pydeps import third_party_distributions
from seccal.tasks.paths import benchmarks_root, resolve_data_path
from seccal.tasks.registry import register_suite

_ID_RE = re.compile(r"^CWE-0*([1-9][0-9]*)_")
DEFAULT_REL = "securityeval/dataset.jsonl"
STATIC_ONLY_REASON = "SecurityEval ships no executable tests; only static analysis can label it"


def _entry_point(prompt: str) -> str:
    names = re.findall(r"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", prompt, re.MULTILINE)
    return names[-1] if names else ""


def _task(row: dict[str, Any], line_no: int, path: Path) -> Task:
    for key in ("ID", "Prompt", "Insecure_code"):
        if not isinstance(row.get(key), str):
            raise InputError(f"{path}: line {line_no}: field {key!r} missing or not a string")
    ident = row["ID"]
    m = _ID_RE.match(ident)
    if m is None:
        raise InputError(
            f"{path}: line {line_no}: field 'ID': {ident!r} does not start with 'CWE-<n>_'"
        )
    task_id = ident[:-3] if ident.endswith(".py") else ident
    return Task(
        id=task_id,
        suite="securityeval",
        language="python",
        cwes=(f"CWE-{int(m.group(1))}",),
        prompt=row["Prompt"],
        module_name=ident if ident.endswith(".py") else f"{ident}.py",
        entry_point=_entry_point(row["Prompt"]),
        insecure_reference=row["Insecure_code"],
        dependencies=third_party_distributions(row["Insecure_code"]),
        static_only=True,
        metadata={
            "securityeval_id": ident,
            "static_only_reason": STATIC_ONLY_REASON,
            "path": str(path),
            "line": line_no,
        },
    )


def load_securityeval_file(path: Path) -> list[Task]:
    """Every line of a SecurityEval ``dataset.jsonl`` as a static-only task.

    Raises
    ------
    InputError
        On a malformed line or a duplicate ID (file, line, field).
    """
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for line_no, row in iter_json_objects(path):
        task = _task(row, line_no, path)
        if task.id in seen:
            raise InputError(
                f"{path}: line {line_no}: field 'ID': {row['ID']!r} repeats line {seen[task.id]}"
            )
        seen[task.id] = line_no
        tasks.append(task)
    return tasks


@register_suite("securityeval", help="SecurityEval, static-only (securityeval:PATH/dataset.jsonl)")
def load_securityeval(path: Path | None) -> list[Task]:
    """SecurityEval from ``path`` (a ``dataset.jsonl`` or the folder holding it)."""
    if path is None and not (benchmarks_root() / DEFAULT_REL).is_file():
        raise ConfigError(
            "SecurityEval is not shipped with seccal (its repository has no licence); "
            "pass your copy as 'securityeval:/path/to/dataset.jsonl' "
            f"(or place it at $SECCAL_BENCHMARKS/{DEFAULT_REL})"
        )
    target = resolve_data_path(path, DEFAULT_REL, suite="securityeval")
    if target.is_dir():
        target = target / "dataset.jsonl"
        if not target.is_file():
            raise ConfigError(f"no dataset.jsonl in {path}")
    return load_securityeval_file(target)
