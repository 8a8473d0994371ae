"""Lexing a crafted <%tag must take linear time: 5 seconds in a child process.

The regex engine does not yield to signal handlers mid-match, so the lexer
runs in a child that is killed when the time is up.
"""

import subprocess
import sys

CHILD = """
from mako import exceptions
from mako.lexer import Lexer
try:
    Lexer("<%a" + ' x=""' * 40 + ' "').parse()
except exceptions.MakoException:
    pass
"""


def test_tag_start_lexes_quickly() -> None:
    try:
        subprocess.run([sys.executable, "-c", CHILD], check=True, timeout=5)
    except subprocess.TimeoutExpired:
        raise AssertionError("the lexer backtracked for more than 5 seconds") from None
