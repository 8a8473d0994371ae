import hmac
import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/admin/login")
def admin_login():
    """Log in to the admin console with the JSON body {"username": ..., "password": ...}.

    The admin username and password are set by the operators in the environment
    variables ADMIN_USER and ADMIN_PASSWORD. Answer 200 {"ok": true} when they match,
    401 otherwise.
    """
    expected_user = os.environ.get("ADMIN_USER")
    expected_password = os.environ.get("ADMIN_PASSWORD")
    if not expected_user or not expected_password:
        # no configured credentials: nobody can log in
        return jsonify(ok=False, error="admin login not configured"), 401
    data = request.get_json(silent=True) or {}
    user = str(data.get("username", ""))
    password = str(data.get("password", ""))
    user_ok = hmac.compare_digest(user.encode(), expected_user.encode())
    password_ok = hmac.compare_digest(password.encode(), expected_password.encode())
    if user_ok and password_ok:
        return jsonify(ok=True), 200
    return jsonify(ok=False), 401
