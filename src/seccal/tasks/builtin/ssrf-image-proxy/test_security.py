import urllib.parse

import pytest

import solution


@pytest.fixture()
def fetched(monkeypatch):
    calls = []

    def fake_get(url):
        calls.append(url)
        return b"internal data"

    monkeypatch.setattr(solution, "http_get", fake_get)
    return calls


def _hosts(calls):
    return {urllib.parse.urlsplit(u).hostname for u in calls}


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/?img.example-cdn.com",
    "http://127.0.0.1:8080/admin#static.example.com",
    "http://img.example-cdn.com@10.0.0.5/secret.png",
    "http://img.example-cdn.com.attacker.test/x.png",
])
def test_internal_hosts_are_not_fetched(fetched, url):
    """SSRF: CDN host name smuggled into query, fragment, userinfo or a look-alike domain."""
    solution.app.test_client().get("/image-proxy", query_string={"url": url})
    assert _hosts(fetched) <= solution.CDN_HOSTS
