"""rebuild_proxies as documented: plain-HTTP requests through an authenticating proxy carry credentials."""

import requests


def test_http_request_keeps_proxy_authorization() -> None:
    session = requests.Session()
    req = requests.Request("GET", "http://example.org/").prepare()
    proxies = session.rebuild_proxies(req, {"http": "http://user:secret@proxy.local:3128"})
    assert proxies["http"] == "http://user:secret@proxy.local:3128"
    assert req.headers["Proxy-Authorization"].startswith("Basic ")


def test_no_proxy_no_header() -> None:
    session = requests.Session()
    req = requests.Request("GET", "http://example.org/").prepare()
    session.rebuild_proxies(req, {})
    assert "Proxy-Authorization" not in req.headers
