import pytest

from solution import User, app, db


@pytest.fixture()
def client():
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.add(User(id=1, username="ann", display_name="Ann"))
        db.session.commit()
    return app.test_client()


def test_update_profile_fields(client):
    r = client.patch(
        "/api/me", json={"display_name": "Ann B.", "bio": "gardener"}, headers={"X-User-Id": "1"}
    )
    assert r.status_code == 200
    assert r.get_json()["display_name"] == "Ann B."
    with app.app_context():
        user = db.session.get(User, 1)
        assert (user.display_name, user.bio) == ("Ann B.", "gardener")


def test_requires_login(client):
    assert client.patch("/api/me", json={"bio": "x"}).status_code == 401
