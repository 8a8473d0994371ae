"""In-sandbox test driver (stdlib + pytest only; runs under the sandbox interpreter).

A "zygote": it imports pytest and the common task dependencies once, then for
every (snippet, role) of a batch forks a child that copies the snippet's files
to a fresh directory, applies its own rlimits, runs pytest in-process with a
small collector plugin and sends its results through a pipe. The driver kills
the child's process group at its wall-clock deadline and, between children,
every other process of the sandbox uid (daemons a snippet left behind), then
deletes the child's directory, so a snippet sees no trace of the previous one.
One JSON line per run goes to stdout, prefixed by the marker in the manifest.

This file is copied into the batch directory; it must not import seccal.
"""

import contextlib
import gc
import json
import os
import resource
import select
import shutil
import signal
import sys
import time
from typing import Any

_MSG_LIMIT = 2000
_NAME_LIMIT = 300
# Plugins a judged test run does not need; unraisableexception alone costs five full
# gc.collect() passes per run.
_NO_PLUGINS = [
    arg
    for name in (
        "cacheprovider", "unraisableexception", "threadexception", "pastebin", "junitxml",
        "doctest", "stepwise", "faulthandler",
    )
    for arg in ("-p", f"no:{name}")
]  # fmt: skip


class _Collector:
    """pytest plugin recording each test's outcome."""

    def __init__(self) -> None:
        self.tests: dict[str, dict[str, str]] = {}

    def _put(self, name: str, outcome: str, message: str = "") -> None:
        prev = self.tests.get(name)
        if prev is not None and prev["outcome"] != "passed":
            return  # keep the first failure (a teardown error after a failed call)
        self.tests[name] = {"name": name, "outcome": outcome, "message": message[:_MSG_LIMIT]}

    @staticmethod
    def _name(nodeid: str) -> str:
        # parametrized ids can embed whole payloads (100 kB ReDoS strings): keep the
        # file part intact (it decides the role) and cut the rest
        return nodeid if len(nodeid) <= _NAME_LIMIT else nodeid[:_NAME_LIMIT] + "...]"

    @staticmethod
    def _message(report: Any) -> str:
        crash = getattr(report.longrepr, "reprcrash", None)
        if crash is not None:
            return str(crash.message)
        text = str(report.longrepr or "")
        return "\n".join(text.strip().splitlines()[-5:])

    def pytest_runtest_logreport(self, report: Any) -> None:
        name = self._name(report.nodeid)
        if report.when == "call":
            if report.passed:
                self._put(name, "passed")
            elif report.skipped:
                self._put(name, "skipped", self._message(report))
            else:
                self._put(name, "failed", self._message(report))
        elif report.failed:
            self._put(name, "error", f"{report.when}: {self._message(report)}")
        elif report.skipped and report.when == "setup":
            self._put(name, "skipped", self._message(report))

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self._put(
                report.nodeid or "<collection>", "error", "collection: " + self._message(report)
            )


def _child(
    run: dict[str, Any], src: str, dst: str, out_path: str, limits: dict[str, Any], wfd: int
) -> None:
    os.setpgid(0, 0)
    for which, key, scale in (
        (resource.RLIMIT_CPU, "cpu_s", 1),
        (resource.RLIMIT_AS, "memory_mb", 1 << 20),
        (resource.RLIMIT_FSIZE, "fsize_mb", 1 << 20),
        (resource.RLIMIT_NOFILE, "nofile", 1),
    ):
        value = limits.get(key)
        if value:
            resource.setrlimit(which, (value * scale, value * scale))
    shutil.copytree(src, dst)
    os.chdir(dst)
    tmp = os.path.join(dst, ".tmp")
    os.mkdir(tmp)
    os.environ["TMPDIR"] = tmp  # tempfile.* stays inside this run's directory
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    sys.path.insert(0, dst)
    import pytest

    collector = _Collector()
    args = [*run["files"], "-q", "--rootdir", dst, *_NO_PLUGINS]
    args += ["--basetemp", os.path.join(dst, ".pytest-tmp"), "-o", "console_output_style=classic"]
    if run.get("selector"):
        args += ["-m", run["selector"]]
    try:
        code = int(pytest.main(args, plugins=[collector]))
        payload: dict[str, Any] = {
            "status": "ok",
            "pytest_exit": code,
            "tests": list(collector.tests.values()),
        }
    except BaseException as exc:  # the snippet may raise anything, even SystemExit
        payload = {"status": "crash", "message": f"pytest aborted: {exc!r}"[:_MSG_LIMIT]}
    data = json.dumps(payload).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(wfd, view) :]
    os._exit(0)


def _collect(pid: int, rfd: int, deadline: float) -> tuple[bytes, bool, int]:
    chunks: list[bytes] = []
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([rfd], [], [], left)
        if not ready:
            continue
        chunk = os.read(rfd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks), timed_out, status


def _tail(path: str, limit: int = 4000) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - limit))
            return fh.read().decode(errors="replace")
    except OSError:
        return ""


def _sweep(scratch: str, wipe: list[str]) -> None:
    """Kill every process we may signal except ourselves and init, then wipe scratch space.

    ``wipe`` lists directories private to this sandbox (its ``/tmp``) whose whole
    content goes, so that no file of one snippet is seen by the next.
    """
    with contextlib.suppress(OSError):
        os.kill(-1, signal.SIGKILL)
    for top in [scratch, *wipe]:
        with contextlib.suppress(OSError):
            for name in os.listdir(top):
                path = os.path.join(top, name)
                if path == scratch:
                    continue
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(path)


def _execute(
    run: dict[str, Any], src: str, dst: str, out_path: str, limits: dict[str, Any]
) -> dict[str, Any]:
    """Fork a child that runs ``run``; return its raw result (status, tests, ...)."""
    rfd, wfd = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            _child(run, src, dst, out_path, limits, wfd)
        finally:
            os._exit(70)
    os.close(wfd)
    data, timed_out, status = _collect(pid, rfd, start + limits["wall_s"])
    os.close(rfd)
    record: dict[str, Any] = {"wall_s": time.monotonic() - start}
    if timed_out:
        record.update(status="timeout", message=f"no result within {limits['wall_s']} s")
    else:
        try:
            record.update(json.loads(data))
        except ValueError:
            how = (
                f"signal {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"exit status {os.WEXITSTATUS(status)}"
            )
            record.update(status="crash", message=f"test process died ({how})")
    record["output"] = _tail(out_path)
    return record


def _split(record: dict[str, Any], run: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per role; a merged run's tests go to the role of their file."""
    roles = run.get("file_roles")
    if not roles:
        return [{**record, "role": run["role"]}]
    out = []
    for role in dict.fromkeys(roles.values()):
        tests = [t for t in record.get("tests", ()) if roles.get(t["name"].split("::")[0]) == role]
        out.append({**record, "role": role, "tests": tests})
    return out


def _warm_up(names: list[str]) -> None:
    for name in names:
        # a missing optional dependency shows up in the tests that need it
        with contextlib.suppress(Exception):
            __import__(name)
    from _pytest.config import get_config

    get_config()  # imports pytest's built-in plugins once, for every child
    # Move every object so far out of the collector's reach: children then neither
    # traverse nor copy-on-write them at each collection (pytest collects at exit).
    gc.collect()
    gc.freeze()


def main() -> None:
    with open(sys.argv[1]) as fh:
        manifest = json.load(fh)
    _warm_up(list(manifest.get("preload", ())))
    marker = manifest["marker"]
    limits = manifest["limits"]
    scratch = manifest["scratch"]
    os.makedirs(scratch, exist_ok=True)
    sweep = manifest.get("sweep", False)
    base = os.getcwd()
    n = 0

    def execute(job: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
        nonlocal n
        n += 1
        dst = os.path.join(scratch, f"r{n}")
        record = _execute(
            run, os.path.join(base, job["dir"]), dst, os.path.join(scratch, f"r{n}.out"), limits
        )
        if sweep:
            _sweep(scratch, manifest.get("wipe", []))
        else:
            shutil.rmtree(dst, ignore_errors=True)
        return record

    for job in manifest["jobs"]:
        for run in job["runs"]:
            record = execute(job, run)
            records = _split(record, run)
            if record.get("status") != "ok" and run.get("fallback"):
                # a merged run that hung or died: run each role on its own so that
                # one role's hang does not cost the other role its result
                records = [{**execute(job, sub), "role": sub["role"]} for sub in run["fallback"]]
            for rec in records:
                sys.stdout.write(marker + json.dumps({**rec, "job": job["id"]}) + "\n")
            sys.stdout.flush()
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    sys.stdout.write(marker + json.dumps({"driver_cpu_s": cpu}) + "\n")


if __name__ == "__main__":
    main()
