"""Stripping a comment full of CR LF pairs must take linear time (5 seconds allowed)."""

import signal

import sqlparse


def _timeout(signum, frame):  # type: ignore[no-untyped-def]
    raise TimeoutError("strip_comments backtracked for more than 5 seconds")


def test_strip_comments_is_fast() -> None:
    sql = "select 1 /*" + "\r\n" * 40 + "x*/ from t"
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(5)
    try:
        sqlparse.format(sql, strip_comments=True)
    finally:
        signal.alarm(0)
