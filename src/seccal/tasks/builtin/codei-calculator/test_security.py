from solution import app


def _calc(expr):
    return app.test_client().get("/calc", query_string={"expr": expr})


def test_import_payload_does_not_run(tmp_path):
    """`__import__('os').system(...)` runs a shell command through eval."""
    marker = tmp_path / "pwned"
    _calc(f"__import__('os').system('touch {marker}')")
    assert not marker.exists()


def test_open_payload_does_not_read_files(tmp_path):
    """`open(path).read()` returns a server-side file to the caller."""
    secret = tmp_path / "secret.txt"
    secret.write_text("DB_PASSWORD=hunter2")
    resp = _calc(f"open({str(secret)!r}).read()")
    assert b"hunter2" not in resp.data
