"""The task table of the ``realrepo`` suite: what each task is, and whether it is valid.

A task is *valid* when, through the repository judge and its sandbox, the
fixed region builds, passes the functional checks and resists the exploit,
and the vulnerable region builds, passes the functional checks and falls to
it. A task that cannot be prepared (download, hash, patch or prebuild
failure) is ``unknown`` with that reason, never silently dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from seccal.errors import InputError
from seccal.repo.apply import masked_target
from seccal.repo.context import approx_tokens, build_prompt
from seccal.repo.judge import Validation, validate_task
from seccal.repo.realrepo.fetch import FetchError
from seccal.repo.realrepo.prepare import Prepared, prepare
from seccal.repo.realrepo.spec import TaskSpec
from seccal.repo.realrepo.window import windowed

Status = Literal["valid", "invalid", "unknown"]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the task table."""

    id: str
    project: str
    versions: str
    cve: str
    cwe: str
    language: str
    functional: str
    region_lines: int | None = None
    masked_file_tokens: int | None = None
    context_tokens: int | None = None
    prompt_tokens: int | None = None
    status: Status = "unknown"
    reason: str = ""
    prepare_s: float = 0.0
    validate_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {k: getattr(self, k) for k in self.__slots__}


def describe(spec: TaskSpec) -> Row:
    """The table row of ``spec`` before anything is fetched."""
    src = spec.source
    versions = (
        f"{src.vulnerable} -> {src.fixed}"
        if src.vulnerable is not None
        else f"{src.fixed} without {', '.join(src.patches)}"
    )
    return Row(
        id=spec.id,
        project=f"{src.registry}:{src.package}",
        versions=versions,
        cve=", ".join(spec.cve),
        cwe=", ".join(spec.cwes),
        language=spec.language,
        functional="project tests"
        if spec.functional == "project"
        else f"ours: {spec.functional_why}",
    )


def _sizes(p: Prepared) -> dict[str, int]:
    prompt = build_prompt(windowed(p.task, p.spec.file_budget))
    return {
        "region_lines": p.fixed.size,
        "masked_file_tokens": approx_tokens(masked_target(p.task)),
        "context_tokens": sum(approx_tokens(s.text) for s in prompt.context),
        "prompt_tokens": approx_tokens(prompt.text),
    }


def _verdict(v: Validation) -> tuple[Status, str]:
    if v.ok is None:
        return "unknown", "; ".join(v.problems)
    return ("valid", "") if v.ok else ("invalid", "; ".join(v.problems))


def validate_one(
    spec: TaskSpec,
    *,
    offline: bool = False,
    check: Callable[[Prepared], Validation] | None = None,
) -> Row:
    """Prepare and validate one task; preparation problems become ``unknown`` with the reason."""
    row = describe(spec)
    start = time.monotonic()
    try:
        p = prepare(spec, offline=offline)
    except (FetchError, InputError) as exc:
        return _replace(
            row, status="unknown", reason=f"not prepared: {exc}", prepare_s=time.monotonic() - start
        )
    prepared_at = time.monotonic()
    v = check(p) if check is not None else validate_task(p.task)
    status, reason = _verdict(v)
    return _replace(
        row,
        **_sizes(p),
        status=status,
        reason=reason,
        prepare_s=round(prepared_at - start, 2),
        validate_s=round(v.seconds, 2),
    )


def _replace(row: Row, **changes: Any) -> Row:
    return Row(**{**row.to_dict(), **changes})


def validate_specs(
    specs: Sequence[TaskSpec],
    *,
    offline: bool = False,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Validate ``specs`` in order; ``on_row`` sees each row as soon as it is done."""
    rows = []
    for spec in specs:
        row = validate_one(spec, offline=offline)
        if on_row is not None:
            on_row(row)
        rows.append(row)
    return rows


def summary(rows: Sequence[Row]) -> dict[str, Any]:
    """Counts per status and language, and the share valid among all tasks."""
    by_lang: dict[str, dict[str, int]] = {}
    for r in rows:
        counts = by_lang.setdefault(r.language, {"valid": 0, "invalid": 0, "unknown": 0})
        counts[r.status] += 1
    valid = sum(r.status == "valid" for r in rows)
    return {
        "tasks": len(rows),
        "valid": valid,
        "valid_share": valid / len(rows) if rows else float("nan"),
        "by_language": by_lang,
        "validate_s": round(sum(r.validate_s for r in rows), 1),
        "prepare_s": round(sum(r.prepare_s for r in rows), 1),
    }
