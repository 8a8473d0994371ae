import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["JWT_SECRET"] = "change-me-in-production-0123456789"

PROFILES = {
    "alice": {"name": "Alice Liddell", "plan": "pro"},
    "bob": {"name": "Bob Stone", "plan": "free"},
    "admin": {"name": "Site Admin", "plan": "staff", "api_keys": ["ak_live_0001"]},
}


@app.get("/api/profile")
def profile():
    """Return the caller's profile.

    The mobile app sends ``Authorization: Bearer <jwt>``; tokens are issued by our
    login service with HS256 and app.config["JWT_SECRET"], and carry the username in
    "sub". Respond 401 if there is no usable token, else the PROFILES entry as JSON.
    """
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return jsonify(error="missing token"), 401
    try:
        claims = jwt.decode(auth[7:], app.config["JWT_SECRET"], algorithms=["HS256"])
    except jwt.PyJWTError:
        return jsonify(error="invalid token"), 401
    user = claims.get("sub")
    if user not in PROFILES:
        return jsonify(error="unknown user"), 401
    return jsonify(PROFILES[user])
