"""The run store's schema: every table of ``store.sqlite``, and its migrations.

This module is the one place that knows the tables. :func:`connect` opens (or
creates) a store file and brings it to :data:`SCHEMA_VERSION`, so the run store,
the repair stage, bundles and reports all see the same, current layout.

Tables
------
``meta``         key/value: study config, digest, seccal version, ``schema_version``
``tasks``        one row per task of the study
``generations``  one row per (model, temperature, task, sample, generation variant)
``confidences``  one row per (generation, method, variant, target)
``verdicts``     one row per judged generation: labels per measured source
                 (:data:`seccal.core.labels.MEASURED_SOURCES`) and the finding count
``metrics``      analysis results, recomputed on every analyze stage
``repairs``      one row per (repaired generation, repair variant, round)

Versions
--------
1  the first layout (verdict columns ``sec_static_cwe`` and ``sec_static_any``)
2  one static label: ``sec_static_cwe`` renamed ``sec_static``, ``sec_static_any``
   replaced by ``n_findings``; ``repairs`` owned here, with ``conf_reason``
3  prompting is an axis of generation: ``generations.gen_variant`` (old rows
   ``zero_shot``) and ``generations.reasoning`` (a CoT reply's reasoning, never judged);
   tokens per elicitation call (``confidences.tokens_in/tokens_out``); repair rounds
   (``repairs.round`` joins the key), the repaired code's findings and the repair's
   cost and tokens
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Final

#: The store's file name inside a run folder.
STORE_FILENAME: Final = "store.sqlite"
SCHEMA_VERSION: Final = 3
#: The tables a bundle copies, in dependency order.
TABLES: Final = ("tasks", "generations", "confidences", "verdicts", "metrics", "repairs")

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    task_key TEXT PRIMARY KEY, suite TEXT NOT NULL, task_id TEXT NOT NULL,
    cwes TEXT NOT NULL, task_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS generations (
    gen_id TEXT PRIMARY KEY,
    model TEXT NOT NULL, provider TEXT NOT NULL, model_id TEXT NOT NULL,
    temperature REAL NOT NULL, sample INTEGER NOT NULL,
    suite TEXT NOT NULL, task_key TEXT NOT NULL,
    reply TEXT, code TEXT, extraction TEXT, parses INTEGER, extraction_note TEXT,
    finish_reason TEXT, error TEXT, seq_logprob REAL, n_tokens INTEGER,
    tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL NOT NULL DEFAULT 0,
    temperature_applied INTEGER, cached INTEGER, created REAL NOT NULL,
    gen_variant TEXT NOT NULL DEFAULT 'zero_shot', reasoning TEXT
);
CREATE INDEX IF NOT EXISTS generations_cond ON generations (model, temperature, suite);
CREATE TABLE IF NOT EXISTS confidences (
    gen_id TEXT NOT NULL, method TEXT NOT NULL, variant TEXT NOT NULL, target TEXT NOT NULL,
    value REAL, raw TEXT, kind TEXT, reason TEXT, cost_usd REAL NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    tokens_in INTEGER NOT NULL DEFAULT 0, tokens_out INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (gen_id, method, variant, target)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS verdicts (
    gen_id TEXT PRIMARY KEY, functional TEXT NOT NULL, sec_dynamic TEXT NOT NULL,
    sec_static TEXT NOT NULL, n_findings INTEGER NOT NULL DEFAULT 0,
    verdict_json TEXT NOT NULL, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS metrics (
    model TEXT NOT NULL, temperature REAL NOT NULL, suite TEXT NOT NULL,
    target TEXT NOT NULL, confidence TEXT NOT NULL, label_source TEXT NOT NULL,
    metrics_json TEXT NOT NULL,
    PRIMARY KEY (model, temperature, suite, target, confidence, label_source)
);
CREATE TABLE IF NOT EXISTS repairs (
    source_gen_id TEXT NOT NULL, variant TEXT NOT NULL, threshold REAL NOT NULL,
    reply TEXT, code TEXT, conf_after REAL, secure_after TEXT NOT NULL,
    correct_after TEXT NOT NULL, reason TEXT NOT NULL, created REAL NOT NULL,
    conf_reason TEXT,
    round INTEGER NOT NULL DEFAULT 1, findings_after TEXT,
    cost_usd REAL NOT NULL DEFAULT 0,
    tokens_in INTEGER NOT NULL DEFAULT 0, tokens_out INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_gen_id, variant, round)
);
"""
# repairs.conf_reason: NULL while the repaired code's confidence was never asked;
# otherwise why conf_after is unknown ('' when it is known).


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(r[1]) for r in db.execute(f"PRAGMA table_info({table})")}


def _to_v2(db: sqlite3.Connection) -> None:
    tables = _tables(db)
    if "verdicts" in tables:
        cols = _columns(db, "verdicts")
        if "sec_static_cwe" in cols:
            db.execute("ALTER TABLE verdicts RENAME COLUMN sec_static_cwe TO sec_static")
        if "sec_static_any" in cols:
            db.execute("ALTER TABLE verdicts DROP COLUMN sec_static_any")
        if "n_findings" not in cols:
            db.execute("ALTER TABLE verdicts ADD COLUMN n_findings INTEGER NOT NULL DEFAULT 0")
            db.execute(
                "UPDATE verdicts SET n_findings = "
                "COALESCE(json_array_length(verdict_json, '$.findings'), 0)"
            )
    # Repair tables made before conf_reason existed: their repairs get asked again.
    if "repairs" in tables and "conf_reason" not in _columns(db, "repairs"):
        db.execute("ALTER TABLE repairs ADD COLUMN conf_reason TEXT")


_REPAIR_V2_COLUMNS = (
    "source_gen_id, variant, threshold, reply, code, conf_after, secure_after, "
    "correct_after, reason, created, conf_reason"
)


def _to_v3(db: sqlite3.Connection) -> None:
    tables = _tables(db)
    if "generations" in tables:
        cols = _columns(db, "generations")
        if "gen_variant" not in cols:
            # Before generation variants every snippet was asked for zero-shot.
            db.execute(
                "ALTER TABLE generations ADD COLUMN gen_variant TEXT NOT NULL DEFAULT 'zero_shot'"
            )
        if "reasoning" not in cols:
            db.execute("ALTER TABLE generations ADD COLUMN reasoning TEXT")
    if "confidences" in tables:
        cols = _columns(db, "confidences")
        for col in ("tokens_in", "tokens_out"):
            if col not in cols:
                db.execute(f"ALTER TABLE confidences ADD COLUMN {col} INTEGER NOT NULL DEFAULT 0")
    if "repairs" in tables and "round" not in _columns(db, "repairs"):
        # The key gains the round: SQLite rebuilds the table to change a primary key.
        db.execute("ALTER TABLE repairs RENAME TO repairs_v2")
        create = SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS repairs") :]
        db.execute(create[: create.index(";")])
        db.execute(
            f"INSERT INTO repairs ({_REPAIR_V2_COLUMNS}) "
            f"SELECT {_REPAIR_V2_COLUMNS} FROM repairs_v2"
        )
        db.execute("DROP TABLE repairs_v2")


def _tables(db: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


#: ``MIGRATIONS[v]`` brings a store from version ``v`` to ``v + 1``.
MIGRATIONS: Final[dict[int, Callable[[sqlite3.Connection], None]]] = {1: _to_v2, 2: _to_v3}


class SchemaError(RuntimeError):
    """A store written by a newer seccal, or one that cannot be migrated."""


def stored_version(db: sqlite3.Connection) -> int | None:
    """The schema version a store file records (``None`` when it records none)."""
    if "meta" not in _tables(db):
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else int(str(row[0]).strip('"'))


def migrate(db: sqlite3.Connection) -> int:
    """Create missing tables and apply every pending migration, in one transaction.

    Returns the version the store had before (0 for a new file).

    Raises
    ------
    SchemaError
        When the store is newer than this seccal.
    """
    before = stored_version(db)
    if before is None and _tables(db) & set(TABLES):
        before = 1  # tables written before the store recorded its version
    if before is not None and before > SCHEMA_VERSION:
        raise SchemaError(
            f"store schema version {before} is newer than this seccal's ({SCHEMA_VERSION}): "
            "upgrade seccal to read it"
        )
    db.execute("BEGIN IMMEDIATE")
    try:
        version = before or SCHEMA_VERSION
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](db)
            version += 1
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return before or 0


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a store file in WAL mode (creating it and its folder) at the current schema."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(p, timeout=30.0, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives a process kill (only an OS crash can lose the last
    # commits), at a fraction of FULL's fsync cost.
    db.execute("PRAGMA synchronous=NORMAL")
    migrate(db)
    return db
