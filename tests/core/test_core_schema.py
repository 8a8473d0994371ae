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
