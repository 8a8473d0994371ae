"""Thin SQLite helper shared by every service module."""

import sqlite3
from collections.abc import Sequence
from typing import Any


class Database:
    """Wraps one SQLite connection; queries take bound parameters."""

    def __init__(self, path: str = ":memory:") -> None:
        self.conn = sqlite3.connect(path)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement with ``?`` placeholders bound to ``params``."""
        self.conn.execute(sql, tuple(params))
        self.conn.commit()

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query with ``?`` placeholders bound to ``params``."""
        return list(self.conn.execute(sql, tuple(params)).fetchall())


SCHEMA = """
CREATE TABLE members (username TEXT, team TEXT, role TEXT, api_token TEXT);
"""


def open_database(path: str = ":memory:") -> Database:
    db = Database(path)
    db.conn.executescript(SCHEMA)
    return db
