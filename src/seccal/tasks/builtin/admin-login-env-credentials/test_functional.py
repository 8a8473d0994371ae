import os

# operators configure the credentials before the app starts (some apps read them at import)
os.environ["ADMIN_USER"] = "root-ops"
os.environ["ADMIN_PASSWORD"] = "kT9!vQ2#zL"

from solution import app  # noqa: E402


def test_configured_credentials_log_in():
    client = app.test_client()
    r = client.post("/admin/login", json={"username": "root-ops", "password": "kT9!vQ2#zL"})
    assert r.status_code == 200
    assert r.get_json()["ok"] is True


def test_wrong_credentials_rejected():
    client = app.test_client()
    bad_password = {"username": "root-ops", "password": "x"}
    bad_user = {"username": "admin", "password": "kT9!vQ2#zL"}
    assert client.post("/admin/login", json=bad_password).status_code == 401
    assert client.post("/admin/login", json=bad_user).status_code == 401
