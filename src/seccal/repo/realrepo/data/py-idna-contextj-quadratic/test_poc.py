"""Checking a label full of zero-width non-joiners must take linear time (5 seconds allowed)."""

import signal

import idna


def _timeout(signum, frame):  # type: ignore[no-untyped-def]
    raise TimeoutError("the joiner check went quadratic: more than 5 seconds")


def test_many_joiners_are_rejected_quickly() -> None:
    label = "\u0628" + "\u200c" * 30000 + "\u0628"
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(5)
    try:
        idna.check_label(label)
    except idna.IDNAError:
        pass
    finally:
        signal.alarm(0)
