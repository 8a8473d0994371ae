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
