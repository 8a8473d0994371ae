import hashlib
import hmac
import os
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["DATABASE"] = "users.db"


def get_db() -> sqlite3.Connection:
    db = sqlite3.connect(app.config["DATABASE"])
    db.execute(
        "CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL)"
    )
    return db


@app.post("/signup")
def signup():
    """Create an account from the JSON body {"username": ..., "password": ...}.

    Store the user in the users table and answer 201, or 409 if the name is taken.
    Also add POST /login taking the same JSON body that answers 200 when the
    password is right and 401 otherwise.
    """
    data = request.get_json(silent=True) or {}
    username = data.get("username")
    password = data.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username:
        return jsonify(error="username and password are required"), 400
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 200_000)
    stored = f"pbkdf2_sha256$200000${salt.hex()}${digest.hex()}"
    with get_db() as db:
        try:
            db.execute("INSERT INTO users VALUES (?, ?)", (username, stored))
        except sqlite3.IntegrityError:
            return jsonify(error="username taken"), 409
    return jsonify(username=username), 201


def _check(password: str, stored: str) -> bool:
    _, iterations, salt_hex, digest_hex = stored.split("$")
    salt = bytes.fromhex(salt_hex)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, int(iterations))
    return hmac.compare_digest(digest.hex(), digest_hex)


@app.post("/login")
def login():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return jsonify(error="bad request"), 400
    row = get_db().execute(
        "SELECT password_hash FROM users WHERE username = ?", (username,)
    ).fetchone()
    if row is None or not _check(password, row[0]):
        return jsonify(error="invalid credentials"), 401
    return jsonify(ok=True), 200
