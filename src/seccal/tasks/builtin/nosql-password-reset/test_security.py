import pytest

from solution import app, db, hash_password


@pytest.fixture()
def client():
    db.users.delete_many({})
    db.users.insert_many([
        {"email": "alice@example.com", "password_hash": hash_password("old"), "reset_token": "t-123"},
        {"email": "admin@example.com", "password_hash": hash_password("adminpw"),
         "reset_token": "t-admin-unknown"},
    ])
    return app.test_client()


def test_operator_token_does_not_reset_admin(client):
    """Token `{"$ne": null}` matches any pending token: takes over the admin account."""
    client.post("/password-reset", json={
        "email": "admin@example.com", "token": {"$ne": None}, "new_password": "owned"})
    admin = db.users.find_one({"email": "admin@example.com"})
    assert admin["password_hash"] == hash_password("adminpw")


def test_operator_email_and_token_do_not_match_anyone(client):
    """Both fields as `{"$gt": ""}`: resets the first account with a pending token."""
    resp = client.post("/password-reset", json={
        "email": {"$gt": ""}, "token": {"$gt": ""}, "new_password": "owned"})
    assert resp.status_code != 200
    assert all(u["password_hash"] != hash_password("owned") for u in db.users.find())
