from solution import app


def _cookie_attributes():
    r = app.test_client().post("/login", data={"username": "li", "password": "correct-horse"})
    assert r.status_code == 200
    for header in r.headers.getlist("Set-Cookie"):
        parts = [p.strip() for p in header.split(";")]
        if parts[0].split("=", 1)[0] == "session_token":
            return {p.split("=", 1)[0].lower() for p in parts[1:]}
    raise AssertionError("no session_token cookie set")


def test_session_cookie_not_readable_by_script():
    """Session theft via XSS: any injected script can read document.cookie and send the
    token away unless the cookie is HttpOnly."""
    assert "httponly" in _cookie_attributes()


def test_session_cookie_not_sent_over_plain_http():
    """Session theft on the network: a cookie without Secure is also sent on http://
    requests (e.g. an attacker-induced http link on public Wi-Fi) in clear text."""
    assert "secure" in _cookie_attributes()
