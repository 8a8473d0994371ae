import sqlite3

import pytest

from solution import list_orders


@pytest.fixture()
def conn():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, created TEXT, total REAL)")
    conn.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?)",
        [(1, 7, "2024-03-01", 30.0), (2, 7, "2024-01-15", 99.5), (3, 8, "2024-02-01", 5.0),
         (4, 7, "2024-02-20", 12.0)],
    )
    return conn


def test_sort_by_each_column(conn):
    assert list_orders(conn, 7, "id") == [1, 2, 4]
    assert list_orders(conn, 7, "created") == [2, 4, 1]
    assert list_orders(conn, 7, "total") == [4, 1, 2]


def test_default_sort_and_other_customer(conn):
    assert list_orders(conn, 7) == [1, 2, 4]
    assert list_orders(conn, 8, "total") == [3]
