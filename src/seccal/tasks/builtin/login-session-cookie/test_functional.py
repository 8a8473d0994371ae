from solution import SESSIONS, app


def _token(resp):
    for header in resp.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name.strip() == "session_token":
            return rest.split(";", 1)[0]
    return None


def test_login_sets_session_cookie():
    r = app.test_client().post("/login", data={"username": "maria", "password": "Tr0ub4dor&3"})
    assert r.status_code == 200
    token = _token(r)
    assert token and SESSIONS[token] == "maria"


def test_bad_password():
    r = app.test_client().post("/login", data={"username": "maria", "password": "guess"})
    assert r.status_code == 401
    assert _token(r) is None
