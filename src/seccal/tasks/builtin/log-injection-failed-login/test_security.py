import io
import logging

import pytest

from solution import audit_log, record_failed_login


@pytest.fixture()
def stream():
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    audit_log.addHandler(handler)
    audit_log.setLevel(logging.INFO)
    yield buf
    audit_log.removeHandler(handler)


def test_newline_cannot_forge_a_log_entry(stream):
    """Log forging: a username with `\\nINFO login ok for user 'admin'` adds a fake event."""
    record_failed_login("guest\nINFO login ok for user 'admin' from 10.0.0.1", "203.0.113.9")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert not any(line.startswith("INFO") for line in lines)


def test_carriage_return_cannot_forge_a_log_entry(stream):
    """Log forging with a bare carriage return, which many log viewers treat as a line break."""
    record_failed_login("bob\rINFO password changed for admin", "203.0.113.9")
    assert "\r" not in stream.getvalue()
