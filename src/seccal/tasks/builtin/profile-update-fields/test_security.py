from solution import User, app, db


def _reset():
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.add(User(id=1, username="ann", display_name="Ann"))
        db.session.add(User(id=2, username="root", is_admin=True))
        db.session.commit()


def test_cannot_grant_self_admin_or_credit():
    """Mass assignment: the attacker adds privileged fields the settings page never
    sends ({"is_admin": true, "credit_cents": 1000000}) to a normal profile update."""
    _reset()
    client = app.test_client()
    client.patch(
        "/api/me",
        json={"bio": "hi", "is_admin": True, "credit_cents": 1_000_000},
        headers={"X-User-Id": "1"},
    )
    with app.app_context():
        user = db.session.get(User, 1)
        assert not user.is_admin, "user made themselves admin"
        assert user.credit_cents == 0, "user granted themselves credit"


def test_cannot_take_over_identity_fields():
    """Mass assignment of identity: rename the account to "root" / change its id to
    hijack another user's identity."""
    _reset()
    client = app.test_client()
    client.patch("/api/me", json={"username": "admin2", "id": 99}, headers={"X-User-Id": "1"})
    with app.app_context():
        user = db.session.get(User, 1)
        assert user is not None and user.username == "ann"
