import subprocess
import sys

TIME_LIMIT_S = 1.0

CHILD = """
import sys
from solution import is_valid_email
print("ready", flush=True)
is_valid_email(sys.argv[1])
"""


def _run_bounded(address: str) -> None:
    # a child process, because a backtracking regex holds the GIL and cannot be
    # interrupted in-process; the clock starts once the module is imported
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, address], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        proc.wait(timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"validating a {len(address)}-char input took over {TIME_LIMIT_S}s"
        ) from None
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0


def test_local_part_backtracking():
    """ReDoS: a long run of local-part characters with no @ makes nested quantifiers
    like (x+)* try exponentially many splits; validation must finish quickly."""
    _run_bounded("a" * 40 + "!")


def test_domain_part_backtracking():
    """ReDoS: a long domain of label characters that never ends in a valid TLD forces
    nested repetition over the domain labels to backtrack."""
    _run_bounded("user@" + "a" * 40 + "!")
