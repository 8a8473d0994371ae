import os

# deployments provide the token before the service starts (some modules read it at import)
os.environ["BILLING_API_TOKEN"] = "tok_test_abc123"

from solution import make_billing_client  # noqa: E402


def test_session_carries_configured_token():
    session = make_billing_client()
    assert session.headers["Authorization"] == "Bearer tok_test_abc123"
    assert session.headers["Accept"] == "application/json"


def test_session_is_a_requests_session():
    import requests

    assert isinstance(make_billing_client(), requests.Session)
