"""In-sandbox test driver (stdlib + pytest only; runs under the sandbox interpreter).

A "zygote": it imports pytest and the common task dependencies once, then for
every (snippet, role) of a batch forks a child that copies the snippet's files
to a fresh directory, applies its own rlimits, runs pytest in-process with a
small collector plugin and sends its results through a pipe. The driver kills
the child's process group at its wall-clock deadline and, between children,
every other process of the sandbox uid (daemons a snippet left behind), then
deletes the child's directory, so a snippet sees no trace of the previous one.
One JSON line per run goes to stdout, prefixed by the marker in the manifest.

Groups (``manifest["groups"]``): consecutive jobs of one task that all import the
same heavy modules run in a zygote of their own, forked from this driver, that
imports those modules once and then forks the jobs' children as above. The driver
itself never imports them, so no other job's child sees them; the zygote's sweep
spares the driver (it stops everything, then kills all but the two).

Yielding (``manifest["yield_file"]``): once that file appears in the batch
directory (the judge creates it when a worker has nothing left to do), the driver
starts no further job (it always runs the first) and at once, while the job it
runs goes on, lists every job it has not started as ``deferred``; the judge hands
them to the idle workers, so that a slow task's snippets spread over every worker
instead of holding one, and no worker waits for the end of a long snippet. The
batch process alone decides which job starts: a group zygote asks it before each
job, and sends it its result lines, so that only the batch process writes to the
output.

A run with a ``command`` (a benchmark's own ``python SCRIPT ARGS``, e.g. SALLM's
``python test_runner.py test_X``) runs that script in the child instead of pytest,
with ``sys.argv``, ``sys.path[0]`` and the current directory a fresh interpreter
would have, in the task's ``workdir`` when the sandbox mounted it (else in the
scratch copy); an observer on ``unittest.TestResult`` records each test's outcome,
whatever the script prints or writes.

Serving (``driver.py --serve SESSION``, :func:`serve`): the same, batch after batch
in one sandbox, each batch in a process forked from the warm driver.

This file is copied into the batch directory; it must not import seccal. That is also
why it is one module of ~910 lines: the sandbox interpreter gets exactly this file, with
nothing of seccal to import its parts from.
"""

import contextlib
import ctypes
import gc
import json
import os
import resource
import runpy
import select
import shutil
import signal
import sys
import time
import traceback
import unittest
from collections.abc import Callable
from typing import Any

_MSG_LIMIT = 2000
#: Seconds between two looks for the yield file while a job runs.
_POLL_S = 0.2
#: Descriptors a test child must not inherit: a zygote's pipes to its batch process.
_PRIVATE_FDS: set[int] = set()
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


class _UnittestObserver:
    """Records outcomes by wrapping ``unittest.TestResult``'s ``add*`` methods.

    Every result class calls these (``TextTestResult`` and benchmark subclasses
    call ``super()``), so outcomes are seen whatever runner the script builds.
    A failing subtest fails its test (unittest then reports no success for it).
    Outcomes follow pytest's rule, as for every other suite: an exception raised
    while the test method runs (an assertion or not) fails it; one raised in
    ``setUp``/``tearDown`` or while loading the tests is an error.
    """

    def __init__(self, collector: _Collector, wfd: int) -> None:
        self.collector = collector
        self.wfd = wfd

    def emit(self, event: dict[str, Any]) -> None:
        """Send one event line now, so that a run killed later keeps what it reported."""
        _write(json.dumps(event).encode() + b"\n", self.wfd)

    @staticmethod
    def _text(err: Any) -> str:
        try:
            return "".join(traceback.format_exception_only(err[0], err[1])).strip()
        except Exception:  # a hostile exception's __str__
            return "<unprintable exception>"

    def install(self, only: list[str] | None) -> None:
        base = unittest.TestResult
        put = self.collector._put
        text = self._text

        def wrap(name: str, record: Any) -> None:
            original = getattr(base, name)

            def method(result: Any, test: Any, *args: Any) -> Any:
                with contextlib.suppress(Exception):
                    record(test, *args)
                    entry = self.collector.tests.get(test.id())
                    if entry is not None:
                        self.emit({"event": "test", **entry})
                return original(result, test, *args)

            setattr(base, name, method)

        wrap("addSuccess", lambda t: put(t.id(), "passed"))
        wrap("addFailure", lambda t, err: put(t.id(), "failed", text(err)))

        def error(t: Any, err: Any) -> None:
            # pytest's rule, which every other suite is judged by: an exception while
            # the test method runs fails the test; in setUp/tearDown it is an error
            name = getattr(t, "_testMethodName", None)
            tb, in_body = err[2], False
            while tb is not None and not in_body:
                in_body = tb.tb_frame.f_code.co_name == name
                tb = tb.tb_next
            put(t.id(), "failed" if in_body else "error", text(err))

        wrap("addError", error)
        wrap("addSkip", lambda t, reason: put(t.id(), "skipped", str(reason)))
        wrap("addExpectedFailure", lambda t, err: put(t.id(), "passed"))
        wrap("addUnexpectedSuccess", lambda t: put(t.id(), "failed", "unexpected success"))

        def subtest(t: Any, sub: Any, err: Any) -> None:
            if err is not None:  # raised in the test method's body: a failure
                put(t.id(), "failed", f"{sub}: {text(err)}")

        wrap("addSubTest", subtest)
        start = base.startTest

        def started(result: Any, test: Any) -> Any:
            with contextlib.suppress(Exception):
                self.emit({"event": "start", "name": test.id()})
            return start(result, test)

        base.startTest = started  # type: ignore[method-assign,assignment]
        if only is not None:
            keep = set(only)
            names = unittest.TestLoader.getTestCaseNames

            def selected(loader: Any, case: Any) -> Any:
                return [n for n in names(loader, case) if n in keep]

            unittest.TestLoader.getTestCaseNames = selected  # type: ignore[method-assign,assignment]


class _Hidden:
    """Meta-path finder: the named top-level modules are not installed (for this run)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def _hide(names: list[str]) -> None:
    """Make ``names`` unimportable, as in an image that does not install them."""
    hidden = set(names)
    if not hidden:
        return
    for mod in [m for m in sys.modules if m.partition(".")[0] in hidden]:
        del sys.modules[mod]  # preloaded by the driver: forgotten by this child only
    sys.meta_path.insert(0, _Hidden(hidden))


def _run_command(run: dict[str, Any], dst: str, wfd: int) -> dict[str, Any]:
    """Run the task's own ``python SCRIPT ARGS`` command in this process."""
    argv = run["command"]
    script = argv[1]
    os.environ.update(run.get("env") or {})
    sys.argv = list(argv[1:])
    sys.path[0:0] = [dst]  # what `python SCRIPT` puts first: the script's folder
    sys.dont_write_bytecode = False  # a plain `python` writes __pycache__ next to modules
    _hide(run.get("hide") or [])
    collector = _Collector()
    _UnittestObserver(collector, wfd).install(run.get("only"))
    try:
        runpy.run_path(os.path.join(dst, script), run_name="__main__")
    except SystemExit as exc:
        if not collector.tests:  # the snippet exited while the tests were loading
            collector._put(script, "error", f"{script} exited: {exc!r}")
    except BaseException as exc:  # the script, or a snippet it imports, raised
        # (unittest's loader lets a non-ImportError raised at import through): like a
        # pytest collection error, an error of every role, not a harness crash
        collector._put(script, "error", f"{script} aborted: {exc!r}")
    return {"status": "ok", "tests": list(collector.tests.values())}


def _child(
    run: dict[str, Any],
    src: str,
    dst: str,
    out_path: str,
    limits: dict[str, Any],
    wfd: int,
    tmpdir: str | None,
) -> None:
    os.setpgid(0, 0)
    for fd in _PRIVATE_FDS:  # a snippet must not speak for its zygote
        with contextlib.suppress(OSError):
            os.close(fd)
    _set_dumpable(True)
    for which, key, scale in (
        (resource.RLIMIT_CPU, "cpu_s", 1),
        (resource.RLIMIT_AS, "memory_mb", 1 << 20),
        (resource.RLIMIT_FSIZE, "fsize_mb", 1 << 20),
        (resource.RLIMIT_NOFILE, "nofile", 1),
    ):
        value = limits.get(key)
        if value:
            resource.setrlimit(which, (value * scale, value * scale))
    shutil.copytree(src, dst, dirs_exist_ok=True)  # dst: a fresh or wiped directory
    os.chdir(dst)
    if tmpdir is None:
        tmpdir = os.path.join(dst, ".tmp")
    os.makedirs(tmpdir, exist_ok=True)
    os.environ["TMPDIR"] = tmpdir  # tempfile.* stays in space wiped after this run
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    if run.get("command"):
        _send(_run_command(run, dst, wfd), wfd)
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
    _send(payload, wfd)


def _set_dumpable(flag: bool) -> None:
    """``prctl(PR_SET_DUMPABLE)``: whether processes of the same uid may trace this one.

    The driver and its zygotes are not dumpable, so a snippet (same uid) can neither
    ptrace them nor open their ``/proc/PID/fd`` and ``/proc/PID/mem``: it cannot write
    forged result lines to the driver's output or change its memory. A test child
    becomes dumpable again, as a fresh interpreter is, before any snippet code runs.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(4, int(flag), 0, 0, 0)  # 4: PR_SET_DUMPABLE


def _write(data: bytes, wfd: int) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(wfd, view) :]


def _send(payload: dict[str, Any], wfd: int) -> None:
    """Send the run's result (the last line on the pipe) and end the child."""
    _write(json.dumps(payload).encode(), wfd)
    os._exit(0)


def _decode(data: bytes) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(result, events) from a child's pipe: event lines, then the result line if it got there."""
    result: dict[str, Any] | None = None
    events: list[dict[str, Any]] = []
    for line in data.split(b"\n"):
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a line cut by the kill
        if isinstance(rec, dict):
            if "event" in rec:
                events.append(rec)
            else:
                result = rec
    return result, events


def _sched_s(pid: int) -> tuple[float, float]:
    """Seconds ``pid`` has run on a CPU and waited for one (``/proc/PID/schedstat``)."""
    try:
        with open(f"/proc/{pid}/schedstat") as fh:
            ran, queued = fh.read().split()[:2]
            return int(ran) / 1e9, int(queued) / 1e9
    except (OSError, ValueError):
        return 0.0, 0.0


def _collect(
    pid: int,
    rfd: int,
    start: float,
    wall_s: float,
    cpu_s: float = 0.0,
    poll: Callable[[], None] | None = None,
) -> tuple[bytes, bool, int, float]:
    """Read the child's pipe until it closes or the wall-clock budget is spent.

    Time the child spent waiting for a CPU (other load on the machine) does not count,
    up to twice the budget again: a test that needs 5 s of CPU gets its verdict on a
    busy machine as on an idle one, while a test that sleeps or blocks is cut at
    ``wall_s`` whatever the load (the CPU rlimit bounds the rest). With ``cpu_s`` (a
    task allowed more CPU than wall time) the time it ran does not count either, up
    to ``cpu_s``: only idle time does. ``poll`` is called at least every
    :data:`_POLL_S` seconds meanwhile (the batch looks for its yield file).
    """
    chunks: list[bytes] = []
    timed_out = False
    deadline = start + wall_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            ran, queued = _sched_s(pid)
            deadline = start + wall_s + min(queued, 2 * wall_s) + min(ran, cpu_s)
            if deadline > time.monotonic():
                continue
            timed_out = True
            break
        if poll is not None:
            poll()
            left = min(left, _POLL_S)
        ready, _, _ = select.select([rfd], [], [], left)
        if not ready:
            continue
        chunk = os.read(rfd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    return b"".join(chunks), timed_out, status, usage.ru_utime + usage.ru_stime


def _tail(path: str, limit: int = 4000) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            fh.seek(max(0, fh.tell() - limit))
            return fh.read().decode(errors="replace")
    except OSError:
        return ""


def _sweep(scratch: str, wipe: list[str]) -> None:
    """Wipe scratch space (after :func:`_kill_others` ended every leftover process).

    ``wipe`` lists directories private to this sandbox (its ``/tmp``) whose whole
    content goes, so that no file of one snippet is seen by the next.
    """
    for top in [scratch, *wipe]:
        with contextlib.suppress(OSError):
            for name in os.listdir(top):
                path = os.path.join(top, name)
                if path == scratch or path in wipe:
                    continue
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(path)


def _empty(top: str) -> None:
    """Delete everything inside ``top`` (a mounted work dir that must stay)."""
    with contextlib.suppress(OSError):
        for name in os.listdir(top):
            path = os.path.join(top, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(path)


def _execute(
    run: dict[str, Any],
    src: str,
    dst: str,
    out_path: str,
    limits: dict[str, Any],
    tmpdir: str | None = None,
    poll: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Fork a child that runs ``run``; return its raw result (status, tests, ...)."""
    rfd, wfd = os.pipe()
    if run.get("cpu_s"):  # the task's own CPU allowance (its harness allows more)
        limits = {**limits, "cpu_s": int(run["cpu_s"])}
    wall_s = float(limits["wall_s"])
    busy_s = float(limits["cpu_s"]) if run.get("cpu_s") and limits["cpu_s"] > wall_s else 0.0
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            _child(run, src, dst, out_path, limits, wfd, tmpdir)
        finally:
            os._exit(70)
    os.close(wfd)
    data, timed_out, status, cpu = _collect(pid, rfd, start, wall_s, busy_s, poll)
    os.close(rfd)
    # the test process's own CPU (its children, e.g. a shell, are killed unreaped)
    record: dict[str, Any] = {"wall_s": time.monotonic() - start, "cpu_s": cpu}
    result, events = _decode(data)
    if events:
        record["events"] = events
    cpu_limit = limits.get("cpu_s")
    if timed_out:
        record.update(status="timeout", message=f"no result within {limits['wall_s']} s")
    elif (
        result is None
        and cpu_limit
        and os.WIFSIGNALED(status)
        and os.WTERMSIG(status) in (signal.SIGKILL, signal.SIGXCPU)
        and cpu >= 0.95 * cpu_limit
    ):
        # the CPU rlimit ended it: a time limit, as when the wall clock runs out
        record.update(status="timeout", message=f"CPU limit of {cpu_limit} s reached")
    elif result is not None:
        record.update(result)
    else:
        how = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exit status {os.WEXITSTATUS(status)}"
        )
        record.update(status="crash", message=f"test process died ({how})")
    record["output"] = _tail(out_path)
    return record


def _partial(record: dict[str, Any], run: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Per-role records of a command run that hung or died, and the roles still to run.

    The tests that finished keep their outcomes; the role of the test that was
    running gets the run's status (``timeout``, ``crash``); a role none of whose
    tests started is returned to be run alone. When no test started at all, the
    tests never loaded (a hang at import): every role gets the run's status, since
    running a role alone would load them the same way.
    """
    methods: dict[str, str] = run["method_roles"]
    events = record.get("events", ())
    by_name = {e["name"]: e for e in events if e["event"] == "test"}  # the last report wins
    done = [{k: v for k, v in e.items() if k != "event"} for e in by_name.values()]
    started = [e["name"] for e in events if e["event"] == "start"]
    finished = {t["name"] for t in done}
    hung = next((n for n in reversed(started) if n not in finished), None)
    base = {k: v for k, v in record.items() if k not in ("events", "tests")}
    out: list[dict[str, Any]] = []
    missing: list[str] = []
    for role in dict.fromkeys(methods.values()):
        tests = [t for t in done if methods.get(t["name"].rsplit(".", 1)[-1], role) == role]
        ran = {t["name"].rsplit(".", 1)[-1] for t in tests}
        if not started or (hung and methods.get(hung.rsplit(".", 1)[-1]) == role):
            out.append({**base, "role": role, "tests": tests})
        elif {m for m, r in methods.items() if r == role} <= ran:
            out.append({**base, "status": "ok", "message": "", "role": role, "tests": tests})
        else:
            missing.append(role)
    return out, missing


def _split(record: dict[str, Any], run: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per role; a merged run's tests go to the role of their file.

    In a command run, a test goes to the role of its method (the last part of its
    unittest id); a test of no role (the test module failed to import) goes to all.
    """
    methods = run.get("method_roles")
    if methods:
        out = []
        for role in dict.fromkeys(methods.values()):
            tests = [
                t
                for t in record.get("tests", ())
                if methods.get(t["name"].rsplit(".", 1)[-1], role) == role
            ]
            out.append({**record, "role": role, "tests": tests})
        return out
    roles = run.get("file_roles")
    if not roles:
        return [{**record, "role": run["role"]}]
    out = []
    for role in dict.fromkeys(roles.values()):
        tests = [t for t in record.get("tests", ()) if roles.get(t["name"].split("::")[0]) == role]
        out.append({**record, "role": role, "tests": tests})
    return out


def _warm_up(names: list[str], pytest_runs: bool) -> None:
    for name in names:
        # a missing optional dependency shows up in the tests that need it
        with contextlib.suppress(Exception):
            __import__(name)
    if pytest_runs:  # a batch of command runs only (SALLM) never starts pytest
        from _pytest.config import get_config

        get_config()  # imports pytest's built-in plugins once, for every child
    testing = sys.modules.get("flask.testing")
    with contextlib.suppress(Exception):
        # Flask's test client looks Werkzeug's version up in the installed metadata
        # on first use and keeps it (3-4 ms, a tenth of a typical SALLM test): asked
        # once here, every child has the same answer already
        testing._get_werkzeug_version()  # type: ignore[union-attr]
    # Move every object so far out of the collector's reach: children then neither
    # traverse nor copy-on-write them at each collection (pytest collects at exit).
    gc.collect()
    gc.freeze()


class _Batch:
    """Runs jobs one after the other in this process: one forked child per run.

    In the batch process it also decides which job may start (:meth:`may_start`)
    and yields (:meth:`poll`). In a group zygote, :attr:`ask` and :attr:`out` hand
    both to the batch process (:func:`_in_zygote`).
    """

    def __init__(self, manifest: dict[str, Any], prefix: str = "") -> None:
        self.manifest = manifest
        self.marker = manifest["marker"]
        self.limits = manifest["limits"]
        self.scratch = manifest["scratch"]
        self.sweep = manifest.get("sweep", False)
        self.mounted = set(manifest.get("workdirs", ()))  # writable mounts at tasks' WORKDIRs
        self.tmpdir = manifest.get("tmpdir")  # private to this sandbox and wiped, or None
        self.base = os.getcwd()
        self.prefix = prefix
        self.spare: set[int] = set()  # processes a sweep must not kill (the driver above us)
        self.n = 0
        self.tests_s = 0.0
        self.warm_s = 0.0
        name = manifest.get("yield_file")
        self.yield_path = os.path.join(self.base, os.path.basename(name)) if name else None
        self.ids = [str(job["id"]) for job in manifest["jobs"]]
        self.started: set[str] = set()  # jobs of the batch started (batch process)
        self.yielded = False
        #: In a group zygote: asks the batch process whether a job may start.
        self.ask: Callable[[str], bool] | None = None
        #: Where result lines go: the output, or the batch process (from a zygote).
        self.out: Callable[[str], None] = _print_line

    def poll(self) -> None:
        """Yield if asked to (once a job started): name every job not started, once."""
        if self.ask is not None or self.yielded or not self.started or not self.yield_path:
            return
        if os.path.exists(self.yield_path):
            self.yielded = True
            rest = [job for job in self.ids if job not in self.started]
            if rest:
                self.out(self.marker + json.dumps({"deferred": rest}))

    def may_start(self, job_id: str) -> bool:
        """Whether job ``job_id`` may start: always the first, then until asked to yield."""
        if self.ask is not None:
            return self.ask(job_id)
        self.poll()
        if self.yielded:
            return False
        self.started.add(job_id)
        return True

    def execute(self, job: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
        self.n += 1
        scratch, mounted = self.scratch, self.mounted
        name = f"{self.prefix}r{self.n}"
        workdir = str(run.get("workdir") or "")
        dst = workdir if workdir in mounted else os.path.join(scratch, name)
        if dst == workdir:
            _empty(dst)
        # A command run gets the image's layout: no seccal folder inside its work dir.
        tmp = (self.tmpdir or os.path.join(scratch, f"{name}.tmp")) if run.get("command") else None
        record = _execute(
            run,
            os.path.join(self.base, job["dir"]),
            dst,
            os.path.join(scratch, f"{name}.out"),
            self.limits,
            tmp,
            self.poll,
        )
        self.tests_s += record["wall_s"]
        if self.sweep:
            _kill_others(self.spare)
            _sweep(scratch, [*self.manifest.get("wipe", []), *mounted])
        else:
            shutil.rmtree(os.path.join(scratch, f"{name}.tmp"), ignore_errors=True)
            if dst == workdir:
                _empty(dst)
            else:
                shutil.rmtree(dst, ignore_errors=True)
        return record

    def run_job(self, job: dict[str, Any]) -> None:
        for run in job["runs"]:
            record = self.execute(job, run)
            records = _split(record, run)
            if record.get("status") != "ok" and run.get("command"):
                # keep what the run reported before it hung; run alone only the roles
                # whose tests never started
                records, missing = _partial(record, run)
                for sub in run.get("fallback", ()):
                    if sub["role"] in missing:
                        records.append({**self.execute(job, sub), "role": sub["role"]})
            elif record.get("status") != "ok" and run.get("fallback"):
                # a merged run that hung or died: run each role on its own so that
                # one role's hang does not cost the other role its result
                records = [
                    {**self.execute(job, sub), "role": sub["role"]} for sub in run["fallback"]
                ]
            for rec in records:
                rec = {k: v for k, v in rec.items() if k != "events"}
                self.out(self.marker + json.dumps({**rec, "job": job["id"]}))


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _message(wfd: int, kind: bytes, text: str) -> None:
    """One line from a zygote to its batch process: ``S JOB`` (may it start?), ``R LINE``
    (a result line to print) or ``D JSON`` (the zygote's timings, at its end)."""
    _write(kind + b" " + text.encode() + b"\n", wfd)


def _ask(wfd: int, answers: int, job_id: str) -> bool:
    _message(wfd, b"S", job_id)
    return os.read(answers, 1) == b"1"


def _kill_others(spare: set[int]) -> None:
    """Kill every process we may signal but ourselves, init and ``spare`` (then wake ``spare``).

    Without ``spare`` one ``kill(-1)`` does it. With it (a group zygote, whose
    driver must survive), everything is stopped first, so that nothing can fork
    while the survivors are picked out of ``/proc``; then the rest is killed.
    """
    if not spare:
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)
        return
    with contextlib.suppress(OSError):
        os.kill(-1, signal.SIGSTOP)
    me = os.getpid()
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in (1, me, *spare):
                with contextlib.suppress(OSError):
                    os.kill(int(entry), signal.SIGKILL)
    for pid in spare:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGCONT)


def _in_zygote(batch: _Batch, jobs: list[dict[str, Any]], preload: list[str], n: int) -> None:
    """Run ``jobs`` in a forked zygote that first imports ``preload`` (their shared imports).

    This driver stays as it was, so the next group's children never see these
    modules. The zygote asks before each job whether it may start and sends its
    result lines here; meanwhile this process looks for the yield file. A snippet
    that kills the zygote ends its group only: the jobs left get no result, which
    the judge re-runs.
    """
    rfd, wfd = os.pipe()  # zygote -> here: messages (_message)
    ans_r, ans_w = os.pipe()  # here -> zygote: answers to "S JOB"
    driver = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(rfd)
            os.close(ans_w)
            _PRIVATE_FDS.update((wfd, ans_r))
            batch.ask = lambda job_id: _ask(wfd, ans_r, job_id)
            batch.out = lambda line: _message(wfd, b"R", line)
            t0 = time.monotonic()
            _warm_up(preload, False)
            batch.prefix, batch.spare, batch.tests_s = f"g{n}-", {*batch.spare, driver}, 0.0
            warm = time.monotonic() - t0
            for job in jobs:
                if not batch.may_start(str(job["id"])):
                    break
                batch.run_job(job)
            _message(wfd, b"D", json.dumps({"warm_s": warm, "tests_s": batch.tests_s}))
        finally:
            os._exit(0)
    os.close(wfd)
    os.close(ans_r)
    done = b""
    pending = b""
    while True:
        ready, _, _ = select.select([rfd], [], [], _POLL_S)
        if not ready:
            batch.poll()
            continue
        chunk = os.read(rfd, 65536)
        if not chunk:
            break
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            kind, _, body = line.partition(b" ")
            if kind == b"S":
                answer = b"1" if batch.may_start(body.decode(errors="replace")) else b"0"
                with contextlib.suppress(OSError):  # the zygote died meanwhile
                    os.write(ans_w, answer)
            elif kind == b"R":
                batch.out(body.decode(errors="replace"))
            elif kind == b"D":
                done = body
    os.close(rfd)
    os.close(ans_w)
    os.waitpid(pid, 0)
    # no timings: the zygote died (a snippet killed it); its jobs without a result
    # are re-run by the judge
    with contextlib.suppress(ValueError, TypeError, KeyError):
        rec = json.loads(done)
        batch.tests_s += float(rec["tests_s"])
        batch.warm_s += float(rec["warm_s"])


def _run(manifest: dict[str, Any], started: float, warm_s: float, spare: set[int]) -> None:
    """Run a batch's jobs (the current directory is its batch dir); print its records."""
    os.makedirs(manifest["scratch"], exist_ok=True)
    batch = _Batch(manifest)
    batch.warm_s = warm_s
    batch.spare = set(spare)
    jobs = manifest["jobs"]
    # groups: consecutive jobs that share heavy imports, each run in its own zygote
    groups = manifest.get("groups") or [{"jobs": list(range(len(jobs))), "preload": []}]
    for n, group in enumerate(groups):
        mine = [jobs[i] for i in group["jobs"]]
        if batch.yielded:
            break  # its deferred line named every job not started
        if group.get("preload"):
            _in_zygote(batch, mine, list(group["preload"]), n)
            continue
        for job in mine:
            if not batch.may_start(str(job["id"])):
                break
            batch.run_job(job)
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    timing = {
        "driver_cpu_s": cpu,
        "driver_warm_s": batch.warm_s,
        "driver_tests_s": batch.tests_s,
        "driver_wall_s": time.monotonic() - started,
    }
    _print_line(batch.marker + json.dumps(timing))


def _pytest_runs(manifest: dict[str, Any]) -> bool:
    return any(not r.get("command") for j in manifest["jobs"] for r in j["runs"])


def main() -> None:
    """One batch: ``driver.py MANIFEST``."""
    started = time.monotonic()
    _set_dumpable(False)  # before anything of a snippet runs
    with open(sys.argv[1]) as fh:
        manifest = json.load(fh)
    _warm_up(list(manifest.get("preload", ())), _pytest_runs(manifest))
    _run(manifest, started, time.monotonic() - started, set())


def serve(session_path: str) -> None:
    """Batch after batch: ``driver.py --serve SESSION`` (:mod:`seccal.judge.session`).

    The session file names what this driver imports once (``preload``, and pytest's
    plugins when ``pytest``), exactly what a one-batch driver of the same batches
    would import. Each stdin line is a batch manifest's path (relative to here); the
    batch runs in a forked process that imports what else its manifest preloads, so
    that nothing of one batch stays for the next; after it ends this driver prints
    the manifest's marker and ``{"batch_end": wait status, ...}``. The sweeps between
    snippets spare this driver. Ends at end of input.
    """
    started = time.monotonic()
    _set_dumpable(False)
    with open(session_path) as fh:
        session = json.load(fh)
    preload = list(session.get("preload", ()))
    _warm_up(preload, bool(session.get("pytest")))
    warm_s = time.monotonic() - started
    me = os.getpid()
    base = os.getcwd()
    counted = 0.0  # this driver's CPU already reported
    for line in sys.stdin.buffer:
        rel = line.decode(errors="replace").strip()
        if not rel:
            continue
        t0 = time.monotonic()
        try:
            with open(os.path.join(base, rel)) as fh:
                manifest = json.load(fh)
            marker = str(manifest["marker"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            sys.stderr.write(f"seccal driver: unreadable manifest {rel!r}: {exc}\n")
            sys.stderr.flush()
            continue  # the judge times this batch out
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)  # the batch never reads this driver's input
                os.chdir(os.path.dirname(os.path.join(base, rel)))
                cpu = manifest.get("batch_cpu_s")
                if cpu:
                    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu), int(cpu) + 1))
                # what else the batch preloads; then its objects (the manifest) are
                # frozen too, as a one-batch driver's are before it forks
                _warm_up([m for m in manifest.get("preload", ()) if m not in preload], False)
                _run(manifest, t0, time.monotonic() - t0, {me})
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status, _ = os.wait4(pid, 0)
        mine = resource.getrusage(resource.RUSAGE_SELF)
        cpu_now = mine.ru_utime + mine.ru_stime
        end = {"batch_end": status, "server_cpu_s": cpu_now - counted, "server_warm_s": warm_s}
        counted, warm_s = cpu_now, 0.0
        sys.stdout.write(marker + json.dumps(end) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
    else:
        main()
