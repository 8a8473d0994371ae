import pytest

import solution


@pytest.fixture()
def fetched(monkeypatch):
    calls = []

    def fake_get(url):
        calls.append(url)
        return b"\x89PNG-bytes-of:" + url.encode()

    monkeypatch.setattr(solution, "http_get", fake_get)
    return calls


def test_proxies_cdn_image(fetched):
    url = "https://img.example-cdn.com/logos/acme.png"
    resp = solution.app.test_client().get("/image-proxy", query_string={"url": url})
    assert resp.status_code == 200
    assert resp.content_type == "image/png"
    assert resp.data == b"\x89PNG-bytes-of:" + url.encode()
    assert fetched == [url]


def test_second_cdn_host_over_http(fetched):
    url = "http://static.example.com/a.png"
    assert solution.app.test_client().get("/image-proxy", query_string={"url": url}).status_code == 200


def test_other_site_is_400(fetched):
    resp = solution.app.test_client().get("/image-proxy", query_string={"url": "https://evil.test/x.png"})
    assert resp.status_code == 400 and fetched == []
