"""Shared fixtures of the judge tests (fixtures only: test files import nothing from here)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from seccal.judge.config import default_sandbox_venv
from seccal.judge.sandbox import Sandbox, SandboxConfig

#: uid of the test sandboxes: apart from the default so other judges on the machine never mix in.
TEST_UID = 61950
HOST_PYTHON = "/usr/bin/python3.11"


@pytest.fixture
def sandbox_uid() -> int:
    """The uid test sandboxes run as (when the tests run as root)."""
    return TEST_UID


@pytest.fixture
def strong_sandbox() -> Sandbox:
    """A bubblewrap sandbox; skips where bubblewrap or user namespaces are unavailable."""
    sb = Sandbox(SandboxConfig(uid=TEST_UID))
    if sb.isolation != "strong":
        pytest.skip(f"bubblewrap sandbox unavailable: {sb.probe_reason}")
    return sb


@pytest.fixture
def weak_sandbox() -> Sandbox:
    """The rlimits + process-group fallback."""
    return Sandbox(SandboxConfig(uid=TEST_UID + 1, force_weak=True))


@pytest.fixture
def host_python() -> str:
    """Debian's interpreter, readable by the sandbox uid; skips when absent."""
    if not os.access(HOST_PYTHON, os.X_OK):
        pytest.skip(f"{HOST_PYTHON} (Debian python3) not installed")
    return HOST_PYTHON


@pytest.fixture
def sandbox_venv() -> Path:
    """The prepared sandbox environment; skips when it was not built."""
    venv = default_sandbox_venv()
    if not (venv / "bin" / "python").exists():
        pytest.skip(f"sandbox environment {venv} missing (run scripts/setup.d/20-sandbox.sh)")
    return venv


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A work dir the sandbox uid can reach (pytest's tmp_path sits under a 0700 dir)."""
    root = Path(tempfile.mkdtemp(prefix="seccal-test-"))
    root.chmod(0o711)
    work = root / "work"
    work.mkdir()
    yield work
    shutil.rmtree(root, ignore_errors=True)


def _live_procs(uid: int) -> list[int]:
    """Live (non-zombie) processes of ``uid``.

    A sandbox's PID-1 may linger as a zombie until the machine's init reaps it:
    it runs nothing and holds nothing, so it does not count as a leftover.
    """
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid != uid:
                    continue
                with open(f"/proc/{entry}/stat") as fh:
                    state = fh.read().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if state not in ("Z", "X"):
                pids.append(int(entry))
    return pids


@pytest.fixture
def live_procs() -> Callable[[int], list[int]]:
    """``live_procs(uid)``: the live (non-zombie) processes of a sandbox uid."""
    return _live_procs
