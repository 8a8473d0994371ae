"""Parsing a crafted Content-Type header must take linear time (5 seconds allowed)."""

import signal

from multipart.multipart import parse_options_header


def _timeout(signum, frame):  # type: ignore[no-untyped-def]
    raise TimeoutError("header parsing backtracked for more than 5 seconds")


def test_options_header_parses_quickly() -> None:
    header = b"application/x-www-form-urlencoded; !=\"" + b"\\" * 40000
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(5)
    try:
        parse_options_header(header)
    finally:
        signal.alarm(0)
