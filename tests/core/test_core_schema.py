"""The store schema: a new file is current, a version-1 store migrates, a newer one is refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from seccal.core.schema import SCHEMA_VERSION, TABLES, SchemaError, connect, stored_version

_V1_VERDICTS = (
    "CREATE TABLE verdicts (gen_id TEXT PRIMARY KEY, functional TEXT NOT NULL, "
    "sec_dynamic TEXT NOT NULL, sec_static_cwe TEXT NOT NULL, sec_static_any TEXT NOT NULL, "
    "verdict_json TEXT NOT NULL, created REAL NOT NULL)"
)


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in db.execute(f"PRAGMA table_info({table})")]


def test_new_store_has_every_table_at_the_current_version(tmp_path: Path) -> None:
    db = connect(tmp_path / "run" / "store.sqlite")
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(TABLES) | {"meta"} <= names
    assert stored_version(db) == SCHEMA_VERSION
    assert "sec_static" in _columns(db, "verdicts") and "conf_reason" in _columns(db, "repairs")


def test_version_1_store_migrates_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db.execute(_V1_VERDICTS)
    body = {"findings": [{"analyzer": "bandit"}, {"analyzer": "semgrep"}]}
    db.execute(
        "INSERT INTO verdicts VALUES ('g', 'pass', 'secure', 'vulnerable', 'vulnerable', ?, 0)",
        (json.dumps(body),),
    )
    db.commit()
    db.close()
    db = connect(path)
    cols = _columns(db, "verdicts")
    assert "sec_static_cwe" not in cols and "sec_static_any" not in cols
    row = db.execute("SELECT sec_static, n_findings FROM verdicts WHERE gen_id = 'g'").fetchone()
    assert row == ("vulnerable", 2)
    assert stored_version(db) == SCHEMA_VERSION
    db.close()
    assert stored_version(connect(path)) == SCHEMA_VERSION  # reopening is a no-op


def test_store_from_a_newer_seccal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(SchemaError, match="newer than this seccal"):
        connect(path)


def _v2_store(path: Path) -> None:
    """A version-2 store: generations without gen_variant, repairs keyed without round."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    db.execute(
        "CREATE TABLE generations (gen_id TEXT PRIMARY KEY, model TEXT NOT NULL, "
        "provider TEXT NOT NULL, model_id TEXT NOT NULL, temperature REAL NOT NULL, "
        "sample INTEGER NOT NULL, suite TEXT NOT NULL, task_key TEXT NOT NULL, reply TEXT, "
        "code TEXT, extraction TEXT, parses INTEGER, extraction_note TEXT, finish_reason TEXT, "
        "error TEXT, seq_logprob REAL, n_tokens INTEGER, tokens_in INTEGER, tokens_out INTEGER, "
        "cost_usd REAL NOT NULL DEFAULT 0, temperature_applied INTEGER, cached INTEGER, "
        "created REAL NOT NULL)"
    )
    db.execute(
        "INSERT INTO generations (gen_id, model, provider, model_id, temperature, sample, "
        "suite, task_key, code, cost_usd, created) "
        "VALUES ('g', 'm', 'openai', 'm', 0.0, 0, 'builtin', 'builtin/t', 'x = 1', 0.5, 0)"
    )
    db.execute(
        "CREATE TABLE confidences (gen_id TEXT NOT NULL, method TEXT NOT NULL, "
        "variant TEXT NOT NULL, target TEXT NOT NULL, value REAL, raw TEXT, kind TEXT, "
        "reason TEXT, cost_usd REAL NOT NULL DEFAULT 0, created REAL NOT NULL, "
        "PRIMARY KEY (gen_id, method, variant, target)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE repairs (source_gen_id TEXT NOT NULL, variant TEXT NOT NULL, "
        "threshold REAL NOT NULL, reply TEXT, code TEXT, conf_after REAL, "
        "secure_after TEXT NOT NULL, correct_after TEXT NOT NULL, reason TEXT NOT NULL, "
        "created REAL NOT NULL, conf_reason TEXT, PRIMARY KEY (source_gen_id, variant))"
    )
    db.execute(
        "INSERT INTO repairs VALUES ('g', 'confidence', 0.5, 'r', 'y = 2', 0.7, 'secure', "
        "'pass', '', 0, '')"
    )
    db.commit()
    db.close()


def test_version_2_store_migrates_to_generation_variants_and_repair_rounds(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v2.sqlite"
    _v2_store(path)
    db = connect(path)
    assert stored_version(db) == SCHEMA_VERSION == 3
    # Old generations were all asked zero-shot; their cost is kept.
    assert db.execute("SELECT gen_variant, reasoning, cost_usd FROM generations").fetchall() == [
        ("zero_shot", None, 0.5)
    ]
    assert {"tokens_in", "tokens_out"} <= set(_columns(db, "confidences"))
    # The old repair is round 1, with its confidence and reason kept; round 2 now fits beside it.
    row = db.execute(
        "SELECT round, conf_after, conf_reason, cost_usd FROM repairs WHERE source_gen_id = 'g'"
    ).fetchall()
    assert row == [(1, 0.7, "", 0.0)]
    db.execute(
        "INSERT INTO repairs (source_gen_id, variant, threshold, secure_after, correct_after, "
        "reason, created, round) VALUES ('g', 'confidence', 0.5, 'secure', 'pass', '', 0, 2)"
    )
    assert db.execute("SELECT COUNT(*) FROM repairs").fetchone() == (2,)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "repairs_v2" not in names
    db.close()
    assert stored_version(connect(path)) == SCHEMA_VERSION
