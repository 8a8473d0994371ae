"""Proxy credentials must not be put into the headers of a request tunnelled over TLS."""

import requests


def test_https_request_gets_no_proxy_authorization_header() -> None:
    session = requests.Session()
    req = requests.Request("GET", "https://example.org/private").prepare()
    session.rebuild_proxies(req, {"https": "http://user:secret@proxy.local:3128"})
    assert "Proxy-Authorization" not in req.headers, req.headers
