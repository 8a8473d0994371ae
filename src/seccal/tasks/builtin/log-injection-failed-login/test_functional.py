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


def test_logs_one_warning_line(stream):
    record_failed_login("alice", "203.0.113.9")
    assert stream.getvalue() == "WARNING failed login for user 'alice' from 203.0.113.9\n"


def test_unicode_names_are_kept(stream):
    record_failed_login("zoë", "198.51.100.1")
    assert "user 'zoë'" in stream.getvalue()
