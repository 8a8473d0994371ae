import os

from flask import Flask, jsonify, session

app = Flask(__name__)
app.secret_key = os.urandom(32)

USERS = {
    1: {"name": "alice", "role": "admin"},
    2: {"name": "bob", "role": "member"},
    3: {"name": "carol", "role": "member"},
}


def current_user() -> dict | None:
    """The logged-in user (the login view stores their id in session["user_id"])."""
    user_id = session.get("user_id")
    return USERS.get(user_id) if user_id is not None else None


@app.delete("/admin/users/<int:user_id>")
def delete_user(user_id: int):
    """Admin panel: delete the account with the given id.

    Answer 401 when nobody is logged in, 404 for an unknown id and 204 once the user
    has been removed from USERS.
    """
    user = current_user()
    if user is None:
        return jsonify(error="login required"), 401
    if user.get("role") != "admin":
        return jsonify(error="admin only"), 403
    if user_id not in USERS:
        return jsonify(error="no such user"), 404
    del USERS[user_id]
    return "", 204
