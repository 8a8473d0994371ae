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
