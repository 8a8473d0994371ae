import hmac
import logging
import secrets

from flask import Flask, jsonify, request

app = Flask(__name__)
audit = logging.getLogger("auth.audit")

USERS = {"kim": "blue-Elephant-42", "raj": "s0lar-Wind!"}
TOKENS: dict[str, str] = {}


@app.post("/api/login")
def api_login():
    """Authenticate the JSON body {"username": ..., "password": ...}.

    On success issue a random API token (store it in TOKENS, token -> username) and
    return 200 {"token": ...}; otherwise 401. Write every attempt to the `audit`
    logger at INFO with enough detail for the security team to investigate failed
    logins and token misuse later.
    """
    data = request.get_json(silent=True) or {}
    username = data.get("username", "")
    password = data.get("password", "")
    audit.info("login attempt from %s: %s", request.remote_addr, data)
    if USERS.get(username) != password:
        audit.info("login failed for user=%s password=%s", username, password)
        return jsonify(error="invalid credentials"), 401
    token = secrets.token_urlsafe(32)
    TOKENS[token] = username
    audit.info("login ok for user=%s, issued token %s", username, token)
    return jsonify(token=token), 200
