import sqlite3

import pytest

from solution import list_orders


@pytest.fixture()
def conn():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, created TEXT, total REAL)")
    conn.execute("CREATE TABLE users (name TEXT, password TEXT)")
    conn.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?)",
        [(1, 7, "2024-03-01", 30.0), (2, 7, "2024-01-15", 99.5), (4, 7, "2024-02-20", 12.0)],
    )
    conn.execute("INSERT INTO users VALUES ('admin', 's3cr3t')")
    return conn


def _probe(conn, guess):
    payload = (
        "CASE WHEN (SELECT substr(password, 1, 1) FROM users WHERE name = 'admin') = "
        f"'{guess}' THEN total ELSE -total END"
    )
    try:
        return list_orders(conn, 7, payload)
    except (ValueError, sqlite3.Error):
        return "rejected"


def test_blind_injection_in_order_by_leaks_nothing(conn):
    """Boolean-blind ORDER BY injection: the row order reveals the admin password's first letter."""
    assert _probe(conn, "s") == _probe(conn, "x")


def test_subquery_sort_key_is_rejected(conn):
    """A sort key that is an arbitrary SQL expression must not be executed."""
    with pytest.raises((ValueError, sqlite3.Error)):
        list_orders(conn, 7, "(SELECT password FROM users)")
