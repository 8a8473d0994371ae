from solution import app


def _attrs():
    r = app.test_client().post("/2fa/remember-device", json={"username": "omar"})
    for header in r.headers.getlist("Set-Cookie"):
        parts = [p.strip() for p in header.split(";")]
        if parts[0].split("=", 1)[0] == "trusted_device":
            return {p.split("=", 1)[0].lower() for p in parts[1:]}
    raise AssertionError("no trusted_device cookie set")


def test_device_token_hidden_from_javascript():
    """2FA bypass via XSS: script injected anywhere on the site reads document.cookie,
    exfiltrates the 30-day device token and replays it to skip the second factor."""
    assert "httponly" in _attrs()


def test_device_token_never_sent_in_clear():
    """2FA bypass via sniffing: without the Secure flag the token also travels on plain
    http:// requests where a network attacker records it."""
    assert "secure" in _attrs()
