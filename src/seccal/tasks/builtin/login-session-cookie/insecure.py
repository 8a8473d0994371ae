import hmac
import secrets

from flask import Flask, jsonify, make_response, request

app = Flask(__name__)

USERS = {"maria": "Tr0ub4dor&3", "li": "correct-horse"}
SESSIONS: dict[str, str] = {}


@app.post("/login")
def login():
    """Log a user in from the form fields "username" and "password".

    On success create a random session token, remember it in SESSIONS (token ->
    username) and give it to the browser in a cookie named "session_token" that the
    site reads on later requests; respond 200 {"ok": true}. Wrong credentials get 401.
    The site is served over HTTPS.
    """
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    if USERS.get(username) != password:
        return jsonify(ok=False), 401
    token = secrets.token_urlsafe(32)
    SESSIONS[token] = username
    resp = make_response(jsonify(ok=True))
    resp.set_cookie("session_token", token)
    return resp
