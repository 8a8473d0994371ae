from solution import app


def test_configured_credentials_log_in(monkeypatch):
    monkeypatch.setenv("ADMIN_USER", "root-ops")
    monkeypatch.setenv("ADMIN_PASSWORD", "kT9!vQ2#zL")
    client = app.test_client()
    r = client.post("/admin/login", json={"username": "root-ops", "password": "kT9!vQ2#zL"})
    assert r.status_code == 200
    assert r.get_json()["ok"] is True


def test_wrong_credentials_rejected(monkeypatch):
    monkeypatch.setenv("ADMIN_USER", "root-ops")
    monkeypatch.setenv("ADMIN_PASSWORD", "kT9!vQ2#zL")
    client = app.test_client()
    assert (
        client.post("/admin/login", json={"username": "root-ops", "password": "x"}).status_code
        == 401
    )
    assert (
        client.post(
            "/admin/login", json={"username": "admin", "password": "kT9!vQ2#zL"}
        ).status_code
        == 401
    )
