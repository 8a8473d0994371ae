import secrets

from flask import Flask, jsonify, request

app = Flask(__name__)

TRUSTED_DEVICES: dict[str, str] = {}  # device token -> username
THIRTY_DAYS = 30 * 24 * 3600


@app.post("/2fa/remember-device")
def remember_device():
    """After a successful two-factor check the user may tick "trust this device".

    Read the username from the JSON body {"username": ...}, create a random device
    token, store it in TRUSTED_DEVICES and set it in a cookie named "trusted_device"
    that lasts 30 days, so the next logins from this browser skip the 2FA prompt.
    Respond 200 {"remembered": true}.
    """
    data = request.get_json(silent=True) or {}
    username = data.get("username")
    if not isinstance(username, str) or not username:
        return jsonify(error="username required"), 400
    token = secrets.token_urlsafe(32)
    TRUSTED_DEVICES[token] = username
    resp = jsonify(remembered=True)
    resp.set_cookie(
        "trusted_device", token, max_age=THIRTY_DAYS, secure=True, httponly=True, samesite="Strict"
    )
    return resp
