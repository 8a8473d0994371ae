import sqlite3

import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    db = tmp_path / "shop.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL, hidden INTEGER)")
    conn.executemany(
        "INSERT INTO products VALUES (?, ?, ?, ?)",
        [(1, "Red Mug", 7.5, 0), (2, "Blue Mug", 8.0, 0), (3, "Teapot", 25.0, 0),
         (4, "Prototype Mug", 99.0, 1)],
    )
    conn.commit()
    conn.close()
    app.config["DATABASE"] = str(db)
    return app.test_client()


def test_search_matches_substring(client):
    resp = client.get("/products", query_string={"q": "Mug"})
    assert resp.status_code == 200
    assert resp.get_json() == [
        {"id": 1, "name": "Red Mug", "price": 7.5},
        {"id": 2, "name": "Blue Mug", "price": 8.0},
    ]


def test_search_without_match_is_empty(client):
    assert client.get("/products", query_string={"q": "Kettle"}).get_json() == []


def test_search_single_result(client):
    assert [p["id"] for p in client.get("/products?q=pot").get_json()] == [3]
