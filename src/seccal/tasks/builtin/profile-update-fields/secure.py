from flask import Flask, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    display_name = db.Column(db.String(120), default="")
    bio = db.Column(db.Text, default="")
    email = db.Column(db.String(200), default="")
    is_admin = db.Column(db.Boolean, default=False)
    credit_cents = db.Column(db.Integer, default=0)

    def to_dict(self) -> dict:
        return {c.name: getattr(self, c.name) for c in self.__table__.columns}


@app.before_request
def load_user():
    # auth middleware (simplified): trusted proxy puts the user id in X-User-Id
    g.user = db.session.get(User, int(request.headers.get("X-User-Id", "0")))


@app.patch("/api/me")
def update_profile():
    """Update the logged-in user's profile from the JSON body.

    The settings page sends the fields it edits, e.g. {"display_name": "Ann", "bio": "..."}.
    Save the changes and return the updated user as JSON (401 if not logged in).
    """
    if g.user is None:
        return jsonify(error="login required"), 401
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error="JSON object expected"), 400
    editable = {"display_name", "bio", "email"}  # never role, balance, id or username
    rejected = sorted(set(data) - editable)
    if rejected:
        return jsonify(error=f"fields cannot be changed: {rejected}"), 400
    for field, value in data.items():
        if not isinstance(value, str):
            return jsonify(error=f"{field} must be a string"), 400
        setattr(g.user, field, value)
    db.session.commit()
    return jsonify(g.user.to_dict())
