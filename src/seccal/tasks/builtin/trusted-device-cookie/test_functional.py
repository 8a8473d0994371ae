from solution import TRUSTED_DEVICES, app


def _cookie(resp):
    for header in resp.headers.getlist("Set-Cookie"):
        parts = [p.strip() for p in header.split(";")]
        name, _, value = parts[0].partition("=")
        if name == "trusted_device":
            attrs = {p.split("=", 1)[0].lower(): (p.split("=", 1) + [""])[1] for p in parts[1:]}
            return value, attrs
    return None, {}


def test_device_remembered_for_thirty_days():
    r = app.test_client().post("/2fa/remember-device", json={"username": "nina"})
    assert r.status_code == 200
    assert r.get_json() == {"remembered": True}
    token, attrs = _cookie(r)
    assert token and TRUSTED_DEVICES[token] == "nina"
    assert attrs.get("max-age") == str(30 * 24 * 3600) or "expires" in attrs


def test_tokens_differ_per_device():
    a, _ = _cookie(app.test_client().post("/2fa/remember-device", json={"username": "nina"}))
    b, _ = _cookie(app.test_client().post("/2fa/remember-device", json={"username": "nina"}))
    assert a != b
