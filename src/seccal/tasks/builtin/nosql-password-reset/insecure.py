import hashlib

import mongomock
from flask import Flask, jsonify, request

app = Flask(__name__)
client = mongomock.MongoClient()
db = client["webshop"]


def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


@app.route("/password-reset", methods=["POST"])
def reset_password():
    """Finish a password reset.

    The JSON body has ``email``, ``token`` (from the reset e-mail) and
    ``new_password``. Find the document in ``db.users`` with that ``email`` and
    ``reset_token``; if there is one, store ``hash_password(new_password)`` in
    its ``password_hash``, remove its ``reset_token`` and return
    ``{"status": "ok"}``. Otherwise return 403 with ``{"error": "invalid token"}``.
    """
    data = request.get_json(silent=True) or {}
    user = db.users.find_one({"email": data.get("email"), "reset_token": data.get("token")})
    if user is None:
        return jsonify({"error": "invalid token"}), 403
    db.users.update_one(
        {"_id": user["_id"]},
        {
            "$set": {"password_hash": hash_password(data["new_password"])},
            "$unset": {"reset_token": ""},
        },
    )
    return jsonify({"status": "ok"})
