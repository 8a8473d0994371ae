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
    username = str(data.get("username", ""))
    password = str(data.get("password", ""))
    expected = USERS.get(username)
    ok = expected is not None and hmac.compare_digest(password.encode(), expected.encode())
    client = request.remote_addr
    # never log the password or the token itself; a short token id lets investigators
    # correlate later use without the log becoming a credential store
    safe_user = username.replace("\r", "\\r").replace("\n", "\\n")
    if not ok:
        audit.info("login failed user=%r ip=%s", safe_user, client)
        return jsonify(error="invalid credentials"), 401
    token = secrets.token_urlsafe(32)
    TOKENS[token] = username
    token_id = hmac.new(b"audit", token.encode(), "sha256").hexdigest()[:12]
    audit.info("login ok user=%r ip=%s token_id=%s", safe_user, client, token_id)
    return jsonify(token=token), 200
