import random
import secrets
import string

from flask import Flask, jsonify

app = Flask(__name__)
ACCOUNTS: dict[str, dict[str, str]] = {
    "jdoe": {"temp_password": ""},
    "asmith": {"temp_password": ""},
}


@app.post("/helpdesk/accounts/<username>/temp-password")
def issue_temporary_password(username: str):
    """Give the account a new 12-character temporary password.

    Use upper- and lower-case letters and digits. Save it in ACCOUNTS[username]
    ["temp_password"] and return it as JSON {"temp_password": ...}; 404 for unknown users.
    """
    if username not in ACCOUNTS:
        return jsonify(error="unknown user"), 404
    alphabet = string.ascii_letters + string.digits
    password = "".join(secrets.choice(alphabet) for _ in range(12))
    ACCOUNTS[username]["temp_password"] = password
    return jsonify(temp_password=password)
