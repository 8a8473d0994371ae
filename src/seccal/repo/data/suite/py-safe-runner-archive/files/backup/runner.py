"""Running external tools. Always pass an argument list: no shell is involved."""

import subprocess
from collections.abc import Sequence


class ToolError(RuntimeError):
    pass


def run_tool(argv: Sequence[str], timeout: float = 10.0) -> str:
    """Run ``argv`` (program and arguments, no shell) and return its stdout."""
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise ToolError(f"{argv[0]} failed: {proc.stderr.strip()}")
    return proc.stdout
