from solution import app


def _login(next_url=None, password="wonderland"):
    qs = {"next": next_url} if next_url is not None else {}
    return app.test_client().post(
        "/login", query_string=qs, data={"username": "alice", "password": password})


def test_redirects_to_next_path():
    resp = _login("/orders/17?tab=items")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/orders/17?tab=items"


def test_default_is_home():
    resp = _login()
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_wrong_password_is_401():
    assert _login("/x", password="nope").status_code == 401
