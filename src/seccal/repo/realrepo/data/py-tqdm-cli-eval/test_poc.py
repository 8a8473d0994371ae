"""Option values on tqdm's command line must never be evaluated as Python."""

import os

from tqdm.cli import TqdmTypeError, cast

MARKER = os.path.join("build", "pwned")


def test_cast_does_not_evaluate_values() -> None:
    payloads = [
        ('1") or __import__("os").mkdir("' + MARKER + '") or ("1', "int"),
        ('x") or __import__("os").mkdir("' + MARKER + '") or ("', "str"),
        ('\\x41" + __import__("os").mkdir("' + MARKER + '") + "', "chr"),
    ]
    for val, typ in payloads:
        try:
            cast(val, typ)
        except (TqdmTypeError, ValueError, TypeError):
            pass
        assert not os.path.exists(MARKER), f"{typ} value was evaluated: {val!r}"
