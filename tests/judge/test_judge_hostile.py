"""The hostile-program suite: each program is contained and its result says why.

Runs under the strong (bubblewrap) sandbox; the last tests repeat the most
dangerous ones under the weak fallback. After each test the host must show no
process of the sandbox uid, no file outside the work dir and no connection.
"""

from __future__ import annotations

import os
import signal
import socket
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from seccal.judge.sandbox import Limits, RunResult, Sandbox

pytestmark = pytest.mark.sandbox

FAST = Limits(wall_s=3.0, cpu_s=3, memory_mb=512, fsize_mb=8, nproc=32, nofile=64, tmpfs_mb=16)


@pytest.fixture(autouse=True)
def no_leftovers(sandbox_uid: int, live_procs: Callable[[int], list[int]]) -> Iterator[None]:
    """After every hostile program, no process of the sandbox uids survives."""
    yield
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:  # the kernel tears PID namespaces down asynchronously
        left = live_procs(sandbox_uid) + live_procs(sandbox_uid + 1)
        if not left:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"processes of the sandbox uid survived: {left}")
    stray = [
        p for p in Path("/tmp").iterdir() if p.lstat().st_uid in (sandbox_uid, sandbox_uid + 1)
    ]
    assert not stray, f"files left in the host's /tmp: {stray}"


def run_py(sb: Sandbox, python: str, workdir: Path, code: str, **kw: object) -> RunResult:
    (workdir / "prog.py").write_text(textwrap.dedent(code))
    limits = kw.pop("limits", FAST)
    return sb.run([python, "prog.py"], workdir=workdir, limits=limits, **kw)  # type: ignore[arg-type]


def test_fork_bomb(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    r = run_py(
        strong_sandbox,
        host_python,
        workdir,
        """
        import os
        n = 0
        while True:
            try:
                os.fork(); n += 1
            except OSError as e:
                print("fork refused", e.errno, flush=True)
                break
        """,
    )
    assert b"fork refused" in r.stdout
    assert r.wall_s < FAST.wall_s + 2


def test_memory_bomb(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    r = run_py(strong_sandbox, host_python, workdir, "x = bytearray(2 << 30)\n")
    assert r.returncode == 1 and b"MemoryError" in r.stderr
    assert not r.ok


def test_infinite_output_is_capped_and_killed(
    strong_sandbox: Sandbox, host_python: str, workdir: Path
) -> None:
    r = run_py(strong_sandbox, host_python, workdir, "while True:\n    print('x' * 1000)\n")
    assert r.output_exceeded and not r.timed_out
    assert len(r.stdout) <= FAST.output_bytes
    assert r.describe() == "output limit exceeded"


def test_sleep_forever_times_out(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    lim = Limits(wall_s=1.0, cpu_s=5)
    r = run_py(strong_sandbox, host_python, workdir, "import time\ntime.sleep(1000)\n", limits=lim)
    assert r.timed_out and r.describe().startswith("timeout")
    assert r.wall_s < 3


def test_busy_loop_hits_cpu_limit(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    lim = Limits(wall_s=10.0, cpu_s=1)
    r = run_py(strong_sandbox, host_python, workdir, "while True:\n    pass\n", limits=lim)
    assert not r.timed_out
    assert r.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    assert r.wall_s < 5


def test_ignoring_sigterm_does_not_help(
    strong_sandbox: Sandbox, host_python: str, workdir: Path
) -> None:
    code = """
    import signal, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    time.sleep(1000)
    """
    r = run_py(strong_sandbox, host_python, workdir, code, limits=Limits(wall_s=1.0))
    assert r.timed_out and r.wall_s < 3


def test_no_connection_to_host_listener(
    strong_sandbox: Sandbox, host_python: str, workdir: Path
) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.5)
        port = server.getsockname()[1]
        code = f"""
        import socket
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2)
            print("CONNECTED")
        except OSError as e:
            print("refused", e)
        """
        r = run_py(strong_sandbox, host_python, workdir, code)
        assert b"refused" in r.stdout and b"CONNECTED" not in r.stdout
        with pytest.raises(TimeoutError):
            server.accept()  # nothing ever reached the host's listener


def test_no_outside_network(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    code = """
    import socket
    for host in ("pypi.org", "1.1.1.1"):
        try:
            socket.create_connection((host, 443), timeout=2)
            print("CONNECTED", host)
        except OSError as e:
            print("blocked", host, type(e).__name__)
    """
    r = run_py(strong_sandbox, host_python, workdir, code)
    assert r.stdout.count(b"blocked") == 2 and b"CONNECTED" not in r.stdout


def test_cannot_write_outside_workdir(
    strong_sandbox: Sandbox, host_python: str, workdir: Path
) -> None:
    outside = workdir.parent / "escaped.txt"
    code = f"""
    for path in ("/etc/evil", "/usr/evil", "/root/evil", "{outside}", "../escaped.txt"):
        try:
            open(path, "w").write("x")
            print("WROTE", path)
        except OSError as e:
            print("denied", path)
    """
    r = run_py(strong_sandbox, host_python, workdir, code)
    assert b"WROTE" not in r.stdout, r.stdout
    assert not outside.exists() and not Path("/etc/evil").exists()


def test_read_only_workdir(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    code = "open('new.txt', 'w')\n"
    r = run_py(strong_sandbox, host_python, workdir, code, writable_workdir=False)
    assert r.returncode == 1 and b"Read-only file system" in r.stderr
    assert not (workdir / "new.txt").exists()


def test_no_secrets(
    strong_sandbox: Sandbox, host_python: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-seccal-test-secret")
    code = """
    import os, glob
    print(sorted(os.environ))
    print("KEY" if any("sk-seccal" in v for v in os.environ.values()) else "nokey")
    print(glob.glob("/root/.ssh/*"), os.path.exists("/root"), os.path.expanduser("~"))
    """
    r = run_py(strong_sandbox, host_python, workdir, code)
    assert b"nokey" in r.stdout and b"OPENAI" not in r.stdout
    assert b"[] False /tmp" in r.stdout


def test_cannot_kill_parent(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    code = f"""
    import os, signal
    for pid in (os.getppid(), {os.getpid()}):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError as e:
            print("cannot kill", pid, type(e).__name__)
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    """
    run_py(strong_sandbox, host_python, workdir, code)
    assert os.getpid() > 0  # still alive: the test process was out of reach


def test_daemon_does_not_survive(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    marker = workdir / "daemon-was-here"
    code = """
    import os, time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(1.5)
            open("daemon-was-here", "w").write("x")
        os._exit(0)
    print("parent exits")
    """
    r = run_py(strong_sandbox, host_python, workdir, code)
    assert r.ok and b"parent exits" in r.stdout
    time.sleep(2.0)
    assert not marker.exists()


def test_fill_tmp_and_workdir(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    code = """
    import errno
    for path in ("/tmp/fill", "fill"):
        try:
            with open(path, "wb") as fh:
                while True:
                    fh.write(b"x" * (1 << 20))
        except OSError as e:
            print("stopped", path, errno.errorcode.get(e.errno))
    """
    r = run_py(strong_sandbox, host_python, workdir, code)
    # /tmp is a 16 MiB tmpfs (ENOSPC or the 8 MiB file-size limit, whichever comes first);
    # the work dir file stops at the file-size limit (SIGXFSZ ignored by Python → EFBIG).
    assert b"stopped /tmp/fill" in r.stdout and b"stopped fill EFBIG" in r.stdout
    assert (workdir / "fill").stat().st_size <= FAST.fsize_mb << 20


def test_stdin_blocking_read_gets_eof(
    strong_sandbox: Sandbox, host_python: str, workdir: Path
) -> None:
    r = run_py(strong_sandbox, host_python, workdir, "input()\n")
    assert r.returncode == 1 and b"EOFError" in r.stderr and not r.timed_out


def test_stdin_is_fed(strong_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    r = run_py(strong_sandbox, host_python, workdir, "print(input()[::-1])\n", stdin=b"abc\n")
    assert r.stdout == b"cba\n"


# -- the weak fallback -------------------------------------------------------------------


def test_weak_sleep_forever_and_daemon(
    weak_sandbox: Sandbox, host_python: str, workdir: Path
) -> None:
    assert weak_sandbox.isolation == "weak"
    code = """
    import os, time
    if os.fork() == 0:
        os.setsid()
        time.sleep(1000)
    time.sleep(1000)
    """
    r = run_py(weak_sandbox, host_python, workdir, code, limits=Limits(wall_s=1.0))
    assert r.timed_out and r.isolation == "weak"


def test_weak_fork_bomb_and_memory(weak_sandbox: Sandbox, host_python: str, workdir: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("RLIMIT_NPROC only bounds a fork bomb when the sandbox has its own uid (root)")
    code = """
    import os
    try:
        x = bytearray(2 << 30)
    except MemoryError:
        print("no memory")
    while True:
        try:
            os.fork()
        except OSError:
            print("fork refused", flush=True)
            break
    """
    r = run_py(weak_sandbox, host_python, workdir, code)
    assert b"no memory" in r.stdout and b"fork refused" in r.stdout
