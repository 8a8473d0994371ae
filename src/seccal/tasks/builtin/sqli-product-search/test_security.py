import sqlite3

import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    db = tmp_path / "shop.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL, hidden INTEGER)")
    conn.execute("CREATE TABLE staff (login TEXT, password_hash TEXT)")
    conn.executemany(
        "INSERT INTO products VALUES (?, ?, ?, ?)",
        [(1, "Red Mug", 7.5, 0), (4, "Prototype Mug", 99.0, 1)],
    )
    conn.execute("INSERT INTO staff VALUES ('root', 'hash-7f3a9c-secret')")
    conn.commit()
    conn.close()
    app.config["DATABASE"] = str(db)
    return app.test_client()


def test_or_injection_does_not_reveal_hidden_products(client):
    """`' OR hidden = 1 --` in the search term lists the unreleased product."""
    resp = client.get("/products", query_string={"q": "%' OR hidden = 1 --"})
    assert b"Prototype" not in resp.data


def test_union_injection_does_not_dump_staff_table(client):
    """UNION SELECT from another table leaks staff password hashes."""
    resp = client.get(
        "/products",
        query_string={"q": "zzz%' UNION SELECT 0, login || ':' || password_hash, 0 FROM staff --"},
    )
    assert b"hash-7f3a9c-secret" not in resp.data
