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
        [(1, "admin", "root@example.com", 1), (2, "alice", "alice@example.com", 0)],
    )
    return conn


def _lookup(conn, name):
    try:
        return get_user(conn, name)
    except sqlite3.Error:
        return None  # rejecting the input is fine


def test_tautology_does_not_return_admin(conn):
    """Classic `' OR '1'='1` injection: an unknown name must not match the admin row."""
    assert _lookup(conn, "nobody' OR '1'='1") is None


def test_union_cannot_forge_a_user(conn):
    """UNION injection that fabricates an admin account from attacker-chosen values."""
    forged = _lookup(conn, "x' UNION SELECT 99, 'mallory', 'm@evil.test', 1 --")
    assert forged is None
