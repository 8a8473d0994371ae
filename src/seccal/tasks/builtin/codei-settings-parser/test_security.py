from solution import parse_settings


def test_value_cannot_run_code(tmp_path):
    """A value that calls `__import__('pathlib').Path(MARKER).touch()` when evaluated."""
    marker = tmp_path / "pwned"
    try:
        parse_settings(f"x = __import__('pathlib').Path({str(marker)!r}).touch()\n")
    except Exception:
        pass  # rejecting the line is fine
    assert not marker.exists()


def test_value_cannot_read_files(tmp_path):
    """A value that reads a server-side file into the settings (`open(...).read()`)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("AWS_KEY=AKIA123")
    try:
        result = parse_settings(f"x = open({str(secret)!r}).read()\n")
    except Exception:
        result = {}
    assert "AKIA123" not in repr(result)
