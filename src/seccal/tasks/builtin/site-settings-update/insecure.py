import functools

from flask import Flask, g, jsonify, request

app = Flask(__name__)

API_KEYS = {
    "k-7f3a9c": {"name": "dana", "is_staff": True},
    "k-1b2c3d": {"name": "erin", "is_staff": False},
}
SETTINGS = {"registration_open": True, "maintenance_mode": False, "max_upload_mb": 10}


def login_required(view):
    """Authenticate the X-API-Key header and put the account in g.user."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        account = API_KEYS.get(request.headers.get("X-API-Key", ""))
        if account is None:
            return jsonify(error="authentication required"), 401
        g.user = account
        return view(*args, **kwargs)

    return wrapper


@app.patch("/admin/settings")
@login_required
def update_settings():
    """Staff console: change site settings from the JSON body, e.g. {"maintenance_mode": true}.

    Only keys that already exist in SETTINGS may be changed (400 otherwise). Return the
    full updated SETTINGS as JSON.
    """
    changes = request.get_json(silent=True)
    if not isinstance(changes, dict):
        return jsonify(error="JSON object expected"), 400
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        return jsonify(error=f"unknown settings: {sorted(unknown)}"), 400
    SETTINGS.update(changes)
    return jsonify(SETTINGS)
