import logging

from solution import TOKENS, app


def test_successful_login_issues_token(caplog):
    caplog.set_level(logging.INFO, logger="auth.audit")
    r = app.test_client().post(
        "/api/login", json={"username": "kim", "password": "blue-Elephant-42"}
    )
    assert r.status_code == 200
    assert TOKENS[r.get_json()["token"]] == "kim"
    assert any("kim" in rec.getMessage() for rec in caplog.records if rec.name == "auth.audit")


def test_failed_login_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="auth.audit")
    r = app.test_client().post("/api/login", json={"username": "raj", "password": "nope"})
    assert r.status_code == 401
    assert any("raj" in rec.getMessage() for rec in caplog.records if rec.name == "auth.audit")
