import sqlite3

import pytest

from solution import get_user


@pytest.fixture()
def conn():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, email TEXT, is_admin INTEGER)"
    )
    conn.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?)",
        [(1, "admin", "root@example.com", 1), (2, "alice", "alice@example.com", 0),
         (3, "bob", "bob@example.com", 0)],
    )
    return conn


def test_finds_existing_user(conn):
    assert get_user(conn, "alice") == {
        "id": 2, "username": "alice", "email": "alice@example.com", "is_admin": 0,
    }
    assert get_user(conn, "bob")["id"] == 3


def test_unknown_user_is_none(conn):
    assert get_user(conn, "carol") is None
