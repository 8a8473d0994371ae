from urllib.parse import urlsplit

import pytest

from solution import app


def _location_host(next_url):
    resp = app.test_client().post(
        "/login", query_string={"next": next_url}, data={"username": "alice", "password": "wonderland"})
    location = resp.headers.get("Location", "")
    # Browsers treat backslashes as slashes in URLs.
    return urlsplit(location.replace("\\", "/")).netloc


@pytest.mark.parametrize("next_url", [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "javascript:alert(document.cookie)",
])
def test_login_does_not_redirect_off_site(next_url):
    """Open redirect: `next` pointing at an attacker's site (absolute, protocol-relative, backslash)."""
    assert _location_host(next_url) in ("", "localhost")
    resp = app.test_client().post(
        "/login", query_string={"next": next_url}, data={"username": "alice", "password": "wonderland"})
    assert not resp.headers.get("Location", "").lower().startswith("javascript:")
