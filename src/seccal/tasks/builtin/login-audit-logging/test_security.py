import logging

from solution import app


def _all_log_text(caplog) -> str:
    return "\n".join(rec.getMessage() for rec in caplog.records)


def test_near_miss_password_not_in_logs(caplog):
    """Credential harvesting from logs: a user mistypes their password by one
    character; anyone who can read the log aggregator (ops, a log-shipping breach)
    then knows the real password. Neither the typed nor the real password may be logged."""
    caplog.set_level(logging.DEBUG)
    app.test_client().post("/api/login", json={"username": "raj", "password": "s0lar-Wind?"})
    app.test_client().post("/api/login", json={"username": "raj", "password": "s0lar-Wind!"})
    text = _all_log_text(caplog)
    assert "s0lar-Wind" not in text, "password written to the logs"


def test_issued_token_not_in_logs(caplog):
    """Session hijack from logs: a log reader copies a freshly issued API token and
    uses it as the user."""
    caplog.set_level(logging.DEBUG)
    r = app.test_client().post(
        "/api/login", json={"username": "kim", "password": "blue-Elephant-42"}
    )
    token = r.get_json()["token"]
    assert token not in _all_log_text(caplog), "API token written to the logs"
