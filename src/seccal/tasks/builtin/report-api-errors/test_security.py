import pytest

from solution import app


@pytest.fixture()
def setup(tmp_path):
    secret_dir = tmp_path / "srv-internal-analytics-7731"
    secret_dir.mkdir()
    (secret_dir / "broken.json").write_text('{"total": 12, "region": ')
    app.config["REPORT_DIR"] = str(secret_dir)
    return app.test_client(), str(secret_dir)


def _assert_no_internals(body: str, secret_dir: str) -> None:
    assert secret_dir not in body, "server file-system path disclosed"
    assert "srv-internal-analytics-7731" not in body
    for marker in ("Traceback", "Errno", "JSONDecodeError", "line 1 column", 'File "'):
        assert marker not in body, f"internal error detail {marker!r} disclosed"


def test_missing_report_does_not_reveal_paths(setup):
    """Reconnaissance through error messages: request a report that does not exist and
    read the error; it must not reveal the server's directory layout or errno text."""
    client, secret_dir = setup
    r = client.get("/api/reports/does-not-exist")
    _assert_no_internals(r.get_data(as_text=True), secret_dir)


def test_corrupt_report_does_not_reveal_exception(setup):
    """Error-detail disclosure: trigger a parser failure on a corrupt report; exception
    class names, parser positions and stack traces must stay in the server log."""
    client, secret_dir = setup
    r = client.get("/api/reports/broken")
    assert r.status_code >= 400
    _assert_no_internals(r.get_data(as_text=True), secret_dir)
