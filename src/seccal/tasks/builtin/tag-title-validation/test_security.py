import subprocess
import sys

TIME_LIMIT_S = 1.0

ATTACK = """
import sys
from solution import app
client = app.test_client()
print("ready", flush=True)
client.post("/api/tags", json={"title": sys.argv[1]})
"""


def test_backtracking_title_does_not_hang_worker():
    """ReDoS: a 40-character word followed by an invalid character makes a pattern like
    (\\w+\\s?)* try every way of splitting the word before failing (2^40 paths),
    pinning a worker. The request must be answered within the time limit."""
    payload = "a" * 40 + "!"
    # a child process, because a backtracking regex holds the GIL and cannot be
    # interrupted in-process; the clock starts once the app is imported
    proc = subprocess.Popen(
        [sys.executable, "-c", ATTACK, payload], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        proc.wait(timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"request did not finish within {TIME_LIMIT_S}s") from None
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0
