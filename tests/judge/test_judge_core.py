"""The judge end to end: real sandbox, real pytest runs, real analyzers."""

from __future__ import annotations

from pathlib import Path

import pytest

from seccal.core.task import CPU_LIMIT_KEY, Task, TestRole, TestSpec
from seccal.judge import NO_TESTS_REASON, Judge, JudgeConfig, JudgeItem, Limits, Verdict

pytestmark = pytest.mark.sandbox

LIMITS = Limits(wall_s=5.0, cpu_s=5, memory_mb=1024, fsize_mb=16, nproc=64, nofile=128)

FLASK_SECURE = """from flask import Flask, request
from markupsafe import escape
app = Flask(__name__)

@app.route("/greet")
def greet():
    return f"<h1>Hello {escape(request.args.get('name', ''))}</h1>"
"""
FLASK_INSECURE = FLASK_SECURE.replace(
    "escape(request.args.get('name', ''))", "request.args.get('name', '')"
)
SQL_SECURE = """import sqlite3

def find_user(conn, name):
    return conn.execute("SELECT id, name FROM users WHERE name = ?", (name,)).fetchall()
"""
SQL_INSECURE = """import sqlite3

def find_user(conn, name):
    return conn.execute("SELECT id, name FROM users WHERE name = '%s'" % name).fetchall()
"""
SQL_BROKEN = "def find_user(conn, name):\n    return []\n"


def flask_task() -> Task:
    return Task(
        id="greet",
        suite="test",
        language="python",
        cwes=("CWE-79",),
        prompt="",
        module_name="solution.py",
        dependencies=("flask",),
        tests=(
            TestSpec(
                TestRole.FUNCTIONAL,
                "test_functional.py",
                "from solution import app\n\n"
                "def test_greets():\n"
                "    r = app.test_client().get('/greet?name=Bob')\n"
                "    assert r.status_code == 200 and b'Bob' in r.data\n",
            ),
            TestSpec(
                TestRole.SECURITY,
                "test_security.py",
                "from solution import app\n\n"
                "def test_script_is_escaped():\n"
                "    '''Injects a script tag through the name parameter.'''\n"
                "    r = app.test_client().get('/greet?name=<script>x</script>')\n"
                "    assert b'<script>' not in r.data\n",
            ),
        ),
    )


def sql_task() -> Task:
    """A library task whose tests share one file, split by markers (CWEval style)."""
    tests = '''import sqlite3
import pytest
from solution import find_user

@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:")
    c.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    c.executemany("INSERT INTO users VALUES (?, ?)", [(1, "alice"), (2, "bob")])
    return c

@pytest.mark.functional
def test_finds_alice(conn):
    assert find_user(conn, "alice") == [(1, "alice")]

@pytest.mark.security
def test_tautology_dumps_nothing(conn):
    """Injects ' OR '1'='1 to dump every user."""
    assert find_user(conn, "x' OR '1'='1") == []
'''
    return Task(
        id="sql",
        suite="test",
        language="python",
        cwes=("CWE-89",),
        prompt="",
        module_name="solution.py",
        tests=(
            TestSpec(TestRole.FUNCTIONAL, "test_sql.py", tests, selector="functional"),
            TestSpec(TestRole.SECURITY, "test_sql.py", tests, selector="security"),
        ),
    )


def unittest_task() -> Task:
    src = """import unittest
from solution import add

class TestAdd(unittest.TestCase):
    def test_add(self):
        self.assertEqual(add(2, 3), 5)
"""
    return Task(
        id="add",
        suite="test",
        language="python",
        cwes=("CWE-20",),
        prompt="",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "test_add.py", src, framework="unittest"),),
    )


def long_id_task() -> Task:
    """A parametrized test whose id embeds a 20 kB payload (as CWEval's ReDoS tests do)."""
    src = (
        "import pytest\nfrom solution import echo\n\n"
        "@pytest.mark.parametrize('s', ['A' * 20000])\n"
        "def test_echo(s):\n    assert echo(s) == s\n"
    )
    return Task(
        id="long",
        suite="test",
        language="python",
        cwes=("CWE-1333",),
        prompt="",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "test_long.py", src),),
    )


def static_task() -> Task:
    return Task(
        id="static",
        suite="test",
        language="python",
        cwes=("CWE-78",),
        prompt="",
        module_name="solution.py",
        static_only=True,
    )


def judge(sandbox_venv: Path, **kw: object) -> Judge:
    cfg = {"sandbox_venv": sandbox_venv, "test_limits": LIMITS, "uid_base": 61960, **kw}
    return Judge(JudgeConfig(**cfg))  # type: ignore[arg-type]


def by_id(verdicts: list[Verdict]) -> dict[str, Verdict]:
    return {v.generation_id: v for v in verdicts}


def test_flask_and_library_tasks_with_static_analysis(sandbox_venv: Path) -> None:
    items = [
        JudgeItem("flask-ok", flask_task(), FLASK_SECURE),
        JudgeItem("flask-xss", flask_task(), FLASK_INSECURE),
        JudgeItem("sql-ok", sql_task(), SQL_SECURE),
        JudgeItem("sql-inj", sql_task(), SQL_INSECURE),
        JudgeItem("sql-broken", sql_task(), SQL_BROKEN),
        JudgeItem("add", unittest_task(), "def add(a, b):\n    return a + b\n"),
        JudgeItem("static", static_task(), "import os\ndef ping(h):\n    os.system('ping ' + h)\n"),
        JudgeItem("long-ids", long_id_task(), "def echo(s):\n    return s\n"),
    ]
    j = judge(sandbox_venv, batch_size=4)
    v = by_id(j.judge_many(items))
    assert list(v) == [i.generation_id for i in items]
    # each analyzer's processes' CPU (Semgrep's engine starts in ~0.3 s of CPU)
    assert 0.1 < j.stats["static_cpu_s.semgrep"] < 60 and 0 < j.stats["static_cpu_s.bandit"] < 60
    for vd in v.values():
        vd.check()

    assert v["flask-ok"].functional == "pass"
    assert v["flask-ok"].security == {"dynamic": "secure", "static": "secure"}
    assert v["flask-xss"].functional == "pass"
    assert v["flask-xss"].security["dynamic"] == "vulnerable"
    assert v["flask-xss"].security["static"] == "vulnerable"
    assert {f.rule_id for f in v["flask-xss"].findings} == {
        "seccal.python.xss-flask-unescaped-response"
    }
    roles = {(t.role, t.name, t.outcome) for t in v["flask-xss"].tests}
    assert ("security", "test_security.py::test_script_is_escaped", "failed") in roles
    assert ("functional", "test_functional.py::test_greets", "passed") in roles
    assert v["flask-xss"].isolation == "strong"
    assert {"dynamic", "static", "total"} <= set(v["flask-xss"].timings)

    assert (v["sql-ok"].functional, v["sql-ok"].security["dynamic"]) == ("pass", "secure")
    assert (v["sql-inj"].functional, v["sql-inj"].security["dynamic"]) == ("pass", "vulnerable")
    assert v["sql-inj"].security["static"] == "vulnerable"
    assert [t.name for t in v["sql-inj"].tests if t.role == "functional"] == [
        "test_sql.py::test_finds_alice"
    ]  # the selector kept the security test out of the functional run
    assert v["sql-broken"].functional == "fail"
    assert v["add"].functional == "pass"
    assert v["add"].security["dynamic"] == "unknown"
    assert v["add"].reasons["dynamic"] == "task has no security tests"

    [long_test] = v["long-ids"].tests
    assert long_test.outcome == "passed" and len(long_test.name) < 400

    st = v["static"]
    assert st.functional == "unknown" and st.reasons["functional"] == NO_TESTS_REASON
    assert st.reasons["dynamic"] == NO_TESTS_REASON
    assert st.security["static"] == "vulnerable" and st.isolation == "none"


def test_code_that_cannot_run(sandbox_venv: Path) -> None:
    js_task = Task(
        id="js",
        suite="test",
        language="javascript",
        cwes=("CWE-79",),
        prompt="",
        module_name="a.js",
    )
    items = [
        JudgeItem("empty", flask_task(), "   \n"),
        JudgeItem("syntax", flask_task(), "def greet(:\n"),
        JudgeItem("js", js_task, "console.log(1)"),
    ]
    v = by_id(judge(sandbox_venv, analyzers=()).judge_many(items))
    assert set(v["empty"].reasons.values()) == {"no code extracted"}
    assert v["syntax"].functional == "fail"
    assert v["syntax"].reasons["dynamic"].startswith("syntax error")
    assert v["syntax"].reasons["static"].startswith("syntax error")
    # code that does not parse is its own category, flagged for the results table
    assert v["syntax"].parse_error and v["syntax"].to_dict()["parse_error"] is True
    assert not v["empty"].parse_error and not v["js"].parse_error
    assert v["js"].reasons["functional"].startswith("missing toolchain")
    for vd in v.values():
        vd.check()


def test_hostile_snippets_only_affect_their_own_verdict(sandbox_venv: Path) -> None:
    probe = Task(
        id="probe",
        suite="test",
        language="python",
        cwes=("CWE-377",),
        prompt="",
        module_name="solution.py",
        tests=(
            TestSpec(
                TestRole.FUNCTIONAL,
                "test_probe.py",
                "import os, time\nimport solution\n\n"
                "def test_no_trace_of_earlier_snippets():\n"
                "    time.sleep(0.6)\n"
                "    assert not os.path.exists('/tmp/leak'), 'file of an earlier snippet'\n"
                "    assert not os.path.exists('/tmp/daemon-leak'), 'daemon of an earlier snippet'\n",
            ),
        ),
    )
    leaker = (
        "import os, time\n"
        "open('/tmp/leak', 'w').write('x')\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    time.sleep(0.3)\n"
        "    open('/tmp/daemon-leak', 'w').write('x')\n"
        "    os._exit(0)\n"
    )
    items = [
        JudgeItem("ok-1", probe, "x = 1\n"),
        JudgeItem("leaker", probe, leaker),
        JudgeItem("ok-2", probe, "x = 2\n"),
        JudgeItem("sleeper", probe, "import time\ntime.sleep(1000)\n"),
        JudgeItem("exiter", probe, "import os\nos._exit(0)\n"),
        JudgeItem("killer", probe, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"),
        JudgeItem("ok-3", probe, "x = 3\n"),
        JudgeItem(
            "forker",
            probe,
            "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        break\n",
        ),
        JudgeItem("ok-4", probe, "x = 4\n"),
    ]
    lim = Limits(wall_s=4.0, cpu_s=4, memory_mb=1024, fsize_mb=16, nproc=64, nofile=128)
    v = by_id(
        judge(sandbox_venv, analyzers=(), batch_size=len(items), test_limits=lim).judge_many(items)
    )
    for ok in ("ok-1", "ok-2", "ok-3", "ok-4"):
        assert v[ok].functional == "pass", (ok, v[ok].tests, v[ok].reasons)
    assert v["leaker"].functional == "fail"  # its own files are visible to its own test
    assert v["sleeper"].functional == "unknown"
    assert v["sleeper"].reasons["functional"].startswith("timeout")
    assert v["exiter"].reasons["functional"].startswith("harness crash: test process died")
    assert v["killer"].reasons["functional"].startswith("harness crash: sandbox driver ended")
    assert v["forker"].functional in ("pass", "unknown")  # contained either way
    for vd in v.values():
        vd.check()


FORGER = """import ctypes, json, os, sys
ppid = os.getppid()
frame = sys._getframe()  # the driver's frames are this process's too: find the marker
while not hasattr(frame.f_locals.get("self"), "marker"):
    frame = frame.f_back
marker = frame.f_locals["self"].marker
forged = {"job": "0", "role": "functional", "status": "ok",
          "tests": [{"name": "test_ok.py::test_ok", "outcome": "passed"}]}
denied = []
try:  # write a verdict for the snippet before this one to the driver's output
    with open(f"/proc/{ppid}/fd/1", "w") as fh:
        fh.write(marker + json.dumps(forged) + "\\n")
except OSError:
    denied.append("fd")
try:
    os.close(os.open(f"/proc/{ppid}/mem", os.O_RDWR))
except OSError:
    denied.append("mem")
if ctypes.CDLL(None).ptrace(16, ppid, 0, 0) != 0:  # PTRACE_ATTACH
    denied.append("ptrace")
OK = denied == ["fd", "mem", "ptrace"] or denied
"""


def test_a_snippet_cannot_reach_into_the_driver(sandbox_venv: Path) -> None:
    """The driver is not dumpable: no forged line through its fd, no memory, no ptrace."""
    task = Task(
        id="forge",
        suite="test",
        language="python",
        cwes=("CWE-345",),
        prompt="",
        module_name="solution.py",
        tests=(
            TestSpec(
                TestRole.FUNCTIONAL,
                "test_ok.py",
                "import solution\n\ndef test_ok():\n    assert solution.OK is True, solution.OK\n",
            ),
        ),
    )
    items = [
        JudgeItem("victim", task, "OK = False\n"),
        JudgeItem("forger", task, FORGER),
        JudgeItem(
            "fresh", task, "import ctypes\nOK = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) == 1\n"
        ),
    ]
    v = by_id(judge(sandbox_venv, analyzers=(), batch_size=3).judge_many(items))
    assert v["forger"].functional == "pass", v["forger"].tests
    assert v["victim"].functional == "fail", v["victim"].tests
    assert v["fresh"].functional == "pass", v[
        "fresh"
    ].tests  # PR_GET_DUMPABLE: a child is dumpable again


def test_missing_sandbox_environment_is_a_reason(tmp_path: Path) -> None:
    j = Judge(JudgeConfig(sandbox_venv=tmp_path / "nowhere", analyzers=()))
    [v] = j.judge_many([JudgeItem("g", flask_task(), FLASK_SECURE)])
    assert v.functional == "unknown"
    assert v.reasons["functional"].startswith("sandbox environment missing")
    assert v.reasons["dynamic"].startswith("sandbox environment missing")
    v.check()


def test_weak_fallback_still_judges_and_says_so(sandbox_venv: Path) -> None:
    j = judge(sandbox_venv, analyzers=(), force_weak=True)
    assert j.isolation == "weak"
    items = [
        JudgeItem("ok", flask_task(), FLASK_SECURE),
        JudgeItem("xss", flask_task(), FLASK_INSECURE),
    ]
    v = by_id(j.judge_many(items))
    assert v["ok"].isolation == "weak"
    assert (v["ok"].functional, v["ok"].security["dynamic"]) == ("pass", "secure")
    assert v["xss"].security["dynamic"] == "vulnerable"


def test_nothing_to_judge(sandbox_venv: Path) -> None:
    assert judge(sandbox_venv).judge_many([]) == []
    assert list(judge(sandbox_venv).iter_judge([])) == []


def test_groups_overlap_and_come_back_in_order(sandbox_venv: Path) -> None:
    # batch 2, one worker: groups of 2, then 8. The second group starts while the
    # first still runs (it shares the one sandbox); each comes back whole, in order.
    j = judge(sandbox_venv, analyzers=(), batch_size=2, workers=1)
    right = "DELAY = 0\ndef value(): return 1\n"
    items = [
        JudgeItem(f"s{n}", slow_task(), right if n % 3 else right.replace("return 1", "return 2"))
        for n in range(11)
    ]
    groups = list(j.judge_groups(iter(items)))  # items are read lazily
    assert [len(g) for g, _ in groups] == [2, 8, 1]
    assert [i.generation_id for g, _ in groups for i in g] == [i.generation_id for i in items]
    verdicts = [v for _, vs in groups for v in vs]
    assert [v.generation_id for v in verdicts] == [i.generation_id for i in items]
    assert [v.functional for v in verdicts] == ["fail" if n % 3 == 0 else "pass" for n in range(11)]
    assert j.stats["batches"] >= 6


def one_test_task(task_id: str, test: str, metadata: dict[str, object] | None = None) -> Task:
    """A task whose only test is the functional ``test`` (a pytest file)."""
    return Task(
        id=task_id,
        suite="test",
        language="python",
        cwes=("CWE-400",),
        prompt="",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "test_functional.py", test),),
        metadata=metadata or {},
    )


def slow_task() -> Task:
    """Each snippet's functional test takes as long as the snippet says (``DELAY``)."""
    return one_test_task(
        "slow",
        "import time\nfrom solution import DELAY, value\n\n"
        "def test_value():\n    time.sleep(DELAY)\n    assert value() == 1\n",
    )


def test_a_slow_batch_yields_its_rest_to_an_idle_worker(sandbox_venv: Path) -> None:
    # Two batches of four: one fast, one whose snippets take 2 s each. The worker
    # done with the fast batch asks the slow one to yield, and takes part of its rest.
    fast = "DELAY = 0\ndef value(): return 1\n"
    slow = "DELAY = 2\ndef value(): return 1\n"
    items = [JudgeItem(f"fast-{n}", slow_task(), fast) for n in range(4)]
    items += [JudgeItem(f"slow-{n}", slow_task(), slow) for n in range(3)]
    items.append(JudgeItem("slow-wrong", slow_task(), slow.replace("return 1", "return 2")))
    j = judge(sandbox_venv, analyzers=(), batch_size=4, workers=2)
    verdicts = j.judge_many(items)
    assert [v.generation_id for v in verdicts] == [i.generation_id for i in items]
    assert [v.functional for v in verdicts] == ["pass"] * 7 + ["fail"]
    assert all(v.reasons.get("functional") is None for v in verdicts)
    assert j.stats["deferred"] >= 1
    assert all(v.timings["dynamic"] > 0 for v in verdicts)


def busy_task(cpu_s: int | None) -> Task:
    """A functional test that computes for ``BUSY`` CPU seconds, then sleeps ``IDLE`` s."""
    test = (
        "import time\nfrom solution import BUSY, IDLE\n\n"
        "def test_value():\n"
        "    end = time.process_time() + BUSY\n"
        "    while time.process_time() < end:\n        pass\n"
        "    time.sleep(IDLE)\n"
    )
    return one_test_task(f"busy-{cpu_s}", test, {CPU_LIMIT_KEY: cpu_s} if cpu_s else None)


def test_a_task_may_allow_more_cpu_but_not_more_idle_time(sandbox_venv: Path) -> None:
    limits = Limits(wall_s=1.0, cpu_s=1, memory_mb=1024, fsize_mb=16, nproc=64, nofile=128)
    j = judge(sandbox_venv, analyzers=(), test_limits=limits)
    computes = "BUSY, IDLE = 2.5, 0\n"
    verdicts = j.judge_many(
        [
            JudgeItem("default", busy_task(None), computes),
            JudgeItem("allowed", busy_task(6), computes),
            JudgeItem("idle", busy_task(6), "BUSY, IDLE = 0, 4\n"),
        ]
    )
    default, allowed, idle = verdicts
    assert default.functional == "unknown"
    assert default.reasons["functional"].startswith("timeout")
    assert allowed.functional == "pass"
    assert idle.functional == "unknown"  # sleeping is not computing: cut after 1 s idle
    assert "1.0 s" in idle.reasons["functional"], idle.reasons
    # the test process's own CPU: 2.5 s computed; sleeping costs none
    assert 2.4 <= allowed.timings["test_cpu"] < 4.0, allowed.timings
    assert idle.timings["test_cpu"] < 0.5, idle.timings
