import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config.setdefault("DATABASE", "shop.db")


def get_db() -> sqlite3.Connection:
    return sqlite3.connect(app.config["DATABASE"])


@app.route("/products")
def search_products():
    """Search the catalogue by product name.

    The ``q`` query parameter is a piece of the product name to look for. Return a
    JSON list of ``{"id", "name", "price"}`` objects for the products whose name
    contains it, ordered by id. Products with ``hidden = 1`` in the ``products``
    table (columns id, name, price, hidden) are never listed.
    """
    q = request.args.get("q", "")
    conn = get_db()
    try:
        rows = conn.execute(
            "SELECT id, name, price FROM products "
            f"WHERE hidden = 0 AND name LIKE '%{q}%' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return jsonify([{"id": r[0], "name": r[1], "price": r[2]} for r in rows])
