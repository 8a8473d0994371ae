"""The run store: one SQLite database (WAL) per run folder.

Every stage writes its records here before the next stage reads them, keyed
so that writing a record twice is a no-op (``INSERT OR IGNORE`` on natural
keys). A run killed at any point therefore resumes by asking the store what
is done and doing the rest; nothing is lost, duplicated or paid twice (paid
calls are written the moment they return, one transaction each).

The tables and their migrations are defined in :mod:`seccal.core.schema`.
API keys never reach the store: strings written are passed through the
redactor given at open time (the values of the study's key variables).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from seccal.core.schema import connect
from seccal.core.task import Task, task_from_dict


@dataclass(frozen=True, slots=True)
class GenerationRecord:
    """One generated snippet (the code may be ``None`` when the call failed)."""

    gen_id: str
    model: str
    provider: str
    model_id: str
    temperature: float
    sample: int
    suite: str
    task_key: str
    reply: str | None = None
    code: str | None = None
    extraction: str | None = None
    parses: bool | None = None
    extraction_note: str | None = None
    finish_reason: str | None = None
    error: str | None = None
    seq_logprob: float | None = None
    n_tokens: int | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: float = 0.0
    temperature_applied: bool | None = None
    cached: bool | None = None
    gen_variant: str = "zero_shot"
    reasoning: str | None = None


@dataclass(frozen=True, slots=True)
class ConfidenceRecord:
    """One elicited confidence (``value`` ``None`` = unknown, with ``reason``)."""

    gen_id: str
    method: str
    variant: str
    target: str
    value: float | None
    raw: str | None = None
    kind: str | None = None
    reason: str | None = None
    cost_usd: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0


@dataclass(frozen=True, slots=True)
class VerdictRecord:
    """The judge's labels for one generation (``secure``/``vulnerable``/``unknown``)."""

    gen_id: str
    functional: str
    sec_dynamic: str
    sec_static: str
    n_findings: int
    verdict_json: str


_FIELDS: dict[type, tuple[str, ...]] = {}


def _insert(table: str, record_type: Any) -> str:
    """``INSERT OR IGNORE`` naming the columns: migrated tables append new columns last."""
    names = [*record_type.__dataclass_fields__, "created"]
    cols = ", ".join(names)
    return f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({', '.join('?' * len(names))})"


class Redactor:
    """Replaces secret values (API keys) in strings before they are stored."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Short values would redact ordinary words; real keys are long.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 8}, key=len, reverse=True)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self._secrets:
                value = value.replace(secret, "***")
        return value


class RunStore:
    """SQLite run store of one study run.

    Parameters
    ----------
    path:
        Database file (created with its parent folder).
    redact:
        Secret values that must never be written.
    """

    def __init__(self, path: str | Path, *, redact: Iterable[str] = ()) -> None:
        self.path = Path(path)
        self._redact = Redactor(redact)
        self._db = connect(self.path)

    def _row(self, record: Any, now: float) -> tuple[Any, ...]:
        # Flat records: getattr per field is ~10x faster than dataclasses.asdict.
        names = _FIELDS.get(type(record))
        if names is None:
            names = _FIELDS[type(record)] = tuple(f.name for f in fields(record))
        redact = self._redact
        return (*(redact(getattr(record, n)) for n in names), now)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- meta ---------------------------------------------------------------------

    def set_meta(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value under ``key`` (overwrites)."""
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, self._redact(json.dumps(value)))
            )

    def get_meta(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default``."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    # --- tasks --------------------------------------------------------------------

    def put_tasks(self, tasks: Sequence[Task]) -> None:
        """Record the study's tasks (first write wins)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO tasks VALUES (?, ?, ?, ?, ?)",
                [
                    (t.key, t.suite, t.id, json.dumps(list(t.cwes)), json.dumps(t.to_dict()))
                    for t in tasks
                ],
            )

    def tasks(self) -> dict[str, Task]:
        """Every stored task by key."""
        rows = self._db.execute("SELECT task_key, task_json FROM tasks").fetchall()
        return {key: task_from_dict(json.loads(text)) for key, text in rows}

    def task_cwes(self) -> dict[str, list[str]]:
        """CWE list per task key (cheap: no task bodies)."""
        rows = self._db.execute("SELECT task_key, cwes FROM tasks").fetchall()
        return {key: json.loads(cwes) for key, cwes in rows}

    # --- generations --------------------------------------------------------------

    def put_generations(self, records: Sequence[GenerationRecord]) -> int:
        """Write generations; returns how many were new."""
        now = time.time()
        rows = [self._row(r, now) for r in records]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(_insert("generations", GenerationRecord), rows)
            return db.total_changes - before

    def generation_ids(self) -> set[str]:
        """Ids of every stored generation (the resume set of the generate stage)."""
        return {r[0] for r in self._db.execute("SELECT gen_id FROM generations")}

    def generations(
        self, *, ids: Iterable[str] | None = None, unjudged: bool = False
    ) -> list[GenerationRecord]:
        """Stored generations (all, those in ``ids``, or those not judged).

        Ordered by model, temperature, suite, task, sample: the same order however
        the answers arrived (local or Ray, resumed or not), so downstream sums and
        exports are identical to the bit.
        """
        names = list(GenerationRecord.__dataclass_fields__)
        sql = f"SELECT {', '.join(names)} FROM generations"
        args: tuple[str, ...] = ()
        if ids is not None:
            sql += " WHERE gen_id IN (SELECT value FROM json_each(?))"
            args = (json.dumps(sorted(ids)),)
        elif unjudged:
            sql += " WHERE gen_id NOT IN (SELECT gen_id FROM verdicts)"
        out = []
        order = " ORDER BY model, temperature, suite, gen_variant, task_key, sample, gen_id"
        for row in self._db.execute(sql + order, args):
            d = dict(zip(names, row, strict=True))
            for flag in ("parses", "temperature_applied", "cached"):
                if d[flag] is not None:
                    d[flag] = bool(d[flag])
            out.append(GenerationRecord(**d))
        return out

    def generation_index(self) -> list[tuple[str, str]]:
        """``(gen_id, model)`` of every generation: cheap, no text."""
        return list(self._db.execute("SELECT gen_id, model FROM generations ORDER BY rowid"))

    def spent_usd(self) -> float:
        """Total cost recorded so far (generation, elicitation and repair calls)."""
        total = 0.0
        for table in ("generations", "confidences", "repairs"):
            (cost,) = self._db.execute(f"SELECT COALESCE(SUM(cost_usd), 0) FROM {table}").fetchone()
            total += float(cost)
        return total

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query (for summaries across tables, e.g. cost per stage)."""
        return list(self._db.execute(sql, tuple(args)))

    # --- confidences --------------------------------------------------------------

    def put_confidences(self, records: Sequence[ConfidenceRecord]) -> int:
        """Write confidences (all targets of one call together); returns how many were new."""
        now = time.time()
        rows = [self._row(r, now) for r in records]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(_insert("confidences", ConfidenceRecord), rows)
            return db.total_changes - before

    def elicited_keys(self) -> set[tuple[str, str, str, str]]:
        """``(gen_id, method, variant, target)`` of every stored confidence.

        Targets count apart: verbal security and functional confidence share a method
        and variant but are separate calls, so a run killed between them still owes one.
        """
        return set(self._db.execute("SELECT gen_id, method, variant, target FROM confidences"))

    def confidences(self) -> list[ConfidenceRecord]:
        """Every stored confidence."""
        names = list(ConfidenceRecord.__dataclass_fields__)
        rows = self._db.execute(
            f"SELECT {', '.join(names)} FROM confidences ORDER BY gen_id, method, variant, target"
        )
        return [ConfidenceRecord(**dict(zip(names, row, strict=True))) for row in rows]

    # --- verdicts -----------------------------------------------------------------

    def put_verdicts(self, records: Sequence[VerdictRecord]) -> int:
        """Write verdicts; returns how many were new."""
        now = time.time()
        rows = [self._row(r, now) for r in records]
        with self.transaction() as db:
            before = db.total_changes
            db.executemany(_insert("verdicts", VerdictRecord), rows)
            return db.total_changes - before

    def judged_ids(self) -> set[str]:
        """Ids of every judged generation."""
        return {r[0] for r in self._db.execute("SELECT gen_id FROM verdicts")}

    def verdicts(self) -> dict[str, VerdictRecord]:
        """Every stored verdict by generation id."""
        names = list(VerdictRecord.__dataclass_fields__)
        rows = self._db.execute(f"SELECT {', '.join(names)} FROM verdicts")
        return {row[0]: VerdictRecord(**dict(zip(names, row, strict=True))) for row in rows}

    # --- metrics ------------------------------------------------------------------

    def replace_metrics(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace all analysis results (the analyze stage recomputes them all)."""
        with self.transaction() as db:
            db.execute("DELETE FROM metrics")
            db.executemany(
                "INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r["model"],
                        r["temperature"],
                        r["suite"],
                        r["target"],
                        r["confidence"],
                        r["label_source"],
                        json.dumps(r["metrics"]),
                    )
                    for r in rows
                ],
            )

    def metrics(self) -> list[dict[str, Any]]:
        """Stored analysis results."""
        cols = ("model", "temperature", "suite", "target", "confidence", "label_source")
        out = []
        for row in self._db.execute(f"SELECT {', '.join(cols)}, metrics_json FROM metrics"):
            d: dict[str, Any] = dict(zip(cols, row[:-1], strict=True))
            d["metrics"] = json.loads(row[-1])
            out.append(d)
        return out

    def counts(self) -> dict[str, int]:
        """Row count per table."""
        return {
            table: int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("tasks", "generations", "confidences", "verdicts", "repairs", "metrics")
        }
