from solution import make_billing_client


def test_session_carries_configured_token(monkeypatch):
    monkeypatch.setenv("BILLING_API_TOKEN", "tok_test_abc123")
    session = make_billing_client()
    assert session.headers["Authorization"] == "Bearer tok_test_abc123"
    assert session.headers["Accept"] == "application/json"


def test_token_follows_environment(monkeypatch):
    monkeypatch.setenv("BILLING_API_TOKEN", "tok_other_987")
    assert make_billing_client().headers["Authorization"] == "Bearer tok_other_987"
