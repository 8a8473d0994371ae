import pytest

from solution import app


@pytest.fixture()
def client(tmp_path):
    app.config["DATABASE"] = str(tmp_path / "users.db")
    return app.test_client()


def test_signup_then_login(client):
    r = client.post("/signup", json={"username": "alice", "password": "wonderland-42"})
    assert r.status_code == 201
    assert (
        client.post("/login", json={"username": "alice", "password": "wonderland-42"}).status_code
        == 200
    )


def test_wrong_password_and_unknown_user(client):
    client.post("/signup", json={"username": "bob", "password": "builder-99"})
    assert client.post("/login", json={"username": "bob", "password": "nope"}).status_code == 401
    assert client.post("/login", json={"username": "eve", "password": "x"}).status_code == 401


def test_duplicate_username(client):
    assert client.post("/signup", json={"username": "carol", "password": "a1"}).status_code == 201
    assert client.post("/signup", json={"username": "carol", "password": "b2"}).status_code == 409
