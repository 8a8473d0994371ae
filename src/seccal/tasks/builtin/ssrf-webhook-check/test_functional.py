import pytest

import solution

DNS = {"hooks.customer.example": ["93.184.216.34"], "api.partner.example": ["2606:4700::1111"]}


@pytest.fixture()
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(solution, "resolve_host", lambda host: DNS.get(host, []))

    def fake_post(url, payload):
        calls.append((url, payload))
        return 204

    monkeypatch.setattr(solution, "post_json", fake_post)
    return calls


def test_sends_ping_to_public_hook(sent):
    assert solution.send_test_event("https://hooks.customer.example/in/42") == 204
    assert sent == [("https://hooks.customer.example/in/42", {"event": "ping"})]


def test_ipv6_public_host(sent):
    assert solution.send_test_event("http://api.partner.example:8443/hook") == 204


def test_ftp_url_is_refused(sent):
    with pytest.raises(ValueError):
        solution.send_test_event("ftp://hooks.customer.example/x")
    assert sent == []
