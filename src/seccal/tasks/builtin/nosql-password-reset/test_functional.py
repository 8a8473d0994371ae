import pytest

from solution import app, db, hash_password


@pytest.fixture()
def client():
    db.users.delete_many({})
    db.users.insert_many([
        {"email": "alice@example.com", "password_hash": hash_password("old"), "reset_token": "t-123"},
        {"email": "bob@example.com", "password_hash": hash_password("bobpw")},
    ])
    return app.test_client()


def test_valid_token_sets_password(client):
    resp = client.post("/password-reset", json={
        "email": "alice@example.com", "token": "t-123", "new_password": "n3w"})
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok"}
    user = db.users.find_one({"email": "alice@example.com"})
    assert user["password_hash"] == hash_password("n3w")
    assert "reset_token" not in user


def test_wrong_token_is_403(client):
    resp = client.post("/password-reset", json={
        "email": "alice@example.com", "token": "t-999", "new_password": "n3w"})
    assert resp.status_code == 403
    assert db.users.find_one({"email": "alice@example.com"})["password_hash"] == hash_password("old")
