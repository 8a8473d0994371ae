"""Judge throughput on Flask-style snippets: seccal's batched judge vs a naive baseline.

    PYTHONPATH=src python benchmarks/bench_judge.py [--n 200] [--naive-n 8]
    PYTHONPATH=src python benchmarks/bench_judge.py --suite sallm [--n 364] [--no-static] [--stream]

``--suite sallm`` judges SALLM's own tasks (every runnable task's insecure
reference, and variants of it, in the order a study makes them: task after
task, then again) with their Docker-parity set-up: the image's work dir, files
and test command, in the ``sallm`` sandbox environment. It runs the same
snippets twice: the previous path (batches in input order, the fixed preload)
and the current one (snippets of a task batched together, their shared heavy
imports preloaded once per task: :mod:`seccal.judge.warm`), and says whether
the two gave the same verdicts. ``--compare sessions`` compares one sandbox per
batch ("previous") with each worker's warm session (:mod:`seccal.judge.session`).
``--stream`` judges group by group as a study does
(:meth:`seccal.judge.Judge.judge_groups`), not in one call. Each run also
prints the CPU of the snippets' own test processes and the rate that CPU alone
would allow: the bound no judge overhead can beat; and the CPU by part (tests, sandbox
driver, each analyzer, the rest).

Pipeline: one sandbox per batch with a warm driver that forks per snippet, one
Bandit and one Semgrep process per ``static_chunk`` snippets, ``--workers``
batches at once.
Naive baseline (same machine, same run): per snippet a fresh sandboxed
``python -m pytest`` per role, one Bandit and one Semgrep process per file.
Prints snippets/s of both, the ratio, and each stage's share of the pipeline.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from seccal.core.config import DEFAULT_JUDGE_BATCH
from seccal.core.task import Task, TestRole, TestSpec
from seccal.core.verdict import Verdict
from seccal.judge import Judge, JudgeConfig, JudgeItem, Limits, Sandbox, SandboxConfig
from seccal.judge.analyzers import analyze_files, create_analyzer
from seccal.judge.config import default_sandbox_venv
from seccal.judge.pyrunner import write_job
from seccal.tasks.registry import load_suite

XSS_OK = """from flask import Flask, request
from markupsafe import escape
app = Flask(__name__)

@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    return f"<h1>Hello {escape(name)}</h1>"  # variant {n}
"""
SQL_OK = """import sqlite3
from flask import Flask, request, jsonify
app = Flask(__name__)
DB = sqlite3.connect(":memory:", check_same_thread=False)
DB.execute("CREATE TABLE users (id INTEGER, name TEXT)")
DB.executemany("INSERT INTO users VALUES (?, ?)", [(1, "alice"), (2, "bob")])

@app.route("/user")
def user():
    name = request.args.get("name", "")
    rows = DB.execute("SELECT id, name FROM users WHERE name = ?", (name,)).fetchall()
    return jsonify(rows)  # variant {n}
"""
REDIRECT_OK = """from urllib.parse import urlparse
from flask import Flask, request, redirect
app = Flask(__name__)

@app.route("/go")
def go():
    target = request.args.get("next", "/")
    if urlparse(target).netloc:
        target = "/"
    return redirect(target)  # variant {n}
"""
VARIANTS = {
    "xss": (XSS_OK, XSS_OK.replace("{escape(name)}", "{name}")),
    "sqli": (
        SQL_OK,
        SQL_OK.replace(
            '"SELECT id, name FROM users WHERE name = ?", (name,)',
            "\"SELECT id, name FROM users WHERE name = '%s'\" % name",
        ),
    ),
    "redirect": (
        REDIRECT_OK,
        REDIRECT_OK.replace('    if urlparse(target).netloc:\n        target = "/"\n', ""),
    ),
}
TESTS = {
    "xss": (
        "from solution import app\n\ndef test_greet():\n"
        "    assert b'Bob' in app.test_client().get('/greet?name=Bob').data\n",
        "from solution import app\n\ndef test_script_escaped():\n"
        "    assert b'<script>' not in app.test_client().get('/greet?name=<script>').data\n",
    ),
    "sqli": (
        "from solution import app\n\ndef test_lookup():\n"
        "    assert app.test_client().get('/user?name=alice').json == [[1, 'alice']]\n",
        "from solution import app\n\ndef test_tautology():\n"
        "    assert app.test_client().get(\"/user?name=x' OR '1'='1\").json == []\n",
    ),
    "redirect": (
        "from solution import app\n\ndef test_local():\n"
        "    assert app.test_client().get('/go?next=/home').headers['Location'] == '/home'\n",
        "from solution import app\n\ndef test_no_offsite():\n"
        "    r = app.test_client().get('/go?next=https://evil.example/')\n"
        "    assert 'evil' not in r.headers['Location']\n",
    ),
}
CWES = {"xss": "CWE-79", "sqli": "CWE-89", "redirect": "CWE-601"}


def make_tasks() -> dict[str, Task]:
    return {
        name: Task(
            id=name,
            suite="bench",
            language="python",
            cwes=(CWES[name],),
            prompt="",
            module_name="solution.py",
            dependencies=("flask",),
            tests=(
                TestSpec(TestRole.FUNCTIONAL, "test_functional.py", fn),
                TestSpec(TestRole.SECURITY, "test_security.py", sec),
            ),
        )
        for name, (fn, sec) in TESTS.items()
    }


def make_items(n: int) -> list[JudgeItem]:
    tasks = make_tasks()
    names = sorted(VARIANTS)
    items = []
    for i in range(n):
        name = names[i % len(names)]
        code = VARIANTS[name][(i // len(names)) % 2].replace("{n}", str(i))
        items.append(JudgeItem(f"{name}-{i}", tasks[name], code))
    return items


def sallm_items(n: int, exclude: tuple[str, ...] = ()) -> list[JudgeItem]:
    """``n`` snippets cycling over SALLM's runnable tasks (references, each made unique)."""
    tasks = [
        t
        for t in load_suite("sallm")
        if not t.static_only and t.insecure_reference and t.id not in exclude
    ]
    items = []
    for i in range(n):
        task = tasks[i % len(tasks)]
        code = f"{task.insecure_reference}\n# variant {i}\n"
        items.append(JudgeItem(f"{task.id}-{i}", task, code))
    return items


def _stage_shares(stats: dict[str, float]) -> str:
    """Share of the judge's worker time per stage (dynamic and static run side by side)."""
    dyn, static = stats.get("dynamic_wall_s", 0.0), stats.get("static_wall_s", 0.0)
    parts = {
        "sandbox start": stats.get("start_s", 0.0),
        "imports (driver warm-up)": stats.get("imports_s", 0.0),
        "tests (forked runs)": stats.get("tests_s", 0.0),
    }
    parts["batch set-up and results"] = max(0.0, dyn - sum(parts.values()))
    parts["analyzers (bandit + semgrep)"] = static
    total = sum(parts.values()) or 1.0
    return ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in parts.items())


def _cpu_children() -> float:
    """CPU seconds of this process and its reaped children (analyzers, bwrap)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_pipeline(
    items: list[JudgeItem],
    batch: int,
    workers: int,
    *,
    static: bool = True,
    task_batches: bool = True,
    label: str = "pipeline",
    verdicts_out: list[tuple[object, ...]] | None = None,
    stream: bool = False,
    sessions: bool = True,
) -> tuple[float, float]:
    cfg = JudgeConfig(
        batch_size=batch, workers=workers, task_batches=task_batches, sandbox_sessions=sessions
    )
    judge = Judge(cfg if static else replace(cfg, analyzers=()))
    cpu0 = _cpu_children()
    start = time.monotonic()
    # stream: group by group, as a study judges (Judge.judge_groups), else in one call
    verdicts = (
        [v for group in judge.iter_judge(items) for v in group]
        if stream
        else judge.judge_many(items)
    )
    if verdicts_out is not None:
        verdicts_out.extend(
            (v.functional, v.security["dynamic"], v.security["static"],
             sorted((t.name, t.outcome) for t in v.tests))
            for v in verdicts
        )  # fmt: skip
    wall = time.monotonic() - start
    judge.close()  # its warm drivers' sandboxes end: their bubblewrap is reaped
    # The sandbox's PID 1 is reaped by the machine's init, so the driver reports
    # its own CPU time (and its test processes') instead of our rusage.
    cpu = _cpu_children() - cpu0 + judge.stats["sandbox_cpu_s"]
    labels = Counter((v.functional, v.security["dynamic"], v.security["static"]) for v in verdicts)
    dyn, static = judge.stats["dynamic_wall_s"], judge.stats["static_wall_s"]
    print(
        f"{label}: {len(items)} snippets in {wall:.2f} s wall = {len(items) / wall:.1f} snippets/s "
        f"(batch {batch}, workers {workers}, isolation {judge.isolation})"
    )
    print(
        f"  CPU {cpu:.2f} s = {1000 * cpu / len(items):.0f} ms/snippet -> "
        f"{os.cpu_count()} idle cores would judge {os.cpu_count() * len(items) / cpu:.1f} snippets/s"
        f"; all cores busy {100 * cpu / ((os.cpu_count() or 1) * wall):.0f}% of the time"
    )
    print(
        f"  stage share of worker wall time: dynamic {100 * dyn / max(1e-9, dyn + static):.0f}%, "
        f"static {100 * static / max(1e-9, dyn + static):.0f}% (static runs alongside dynamic)"
    )
    print(f"  per stage: {_stage_shares(judge.stats)}")
    print(
        f"  batches: {judge.stats['batches']:.0f} in {judge.stats['sandboxes']:.0f} sandbox(es), "
        f"snippets handed back by yielding batches: {judge.stats['deferred']:.0f}"
    )
    print(f"  labels (functional, dynamic, static): {dict(labels)}")
    _print_cpu_parts(items, verdicts, cpu, judge.stats)
    return len(items) / wall, len(items) / cpu


def _print_cpu_parts(
    items: list[JudgeItem], verdicts: list[Verdict], cpu: float, stats: dict[str, float]
) -> None:
    """Where the CPU went: the snippets' own test processes (and the tasks that spend most
    of it), the sandbox driver around them, each analyzer, and the rest (this process,
    sandbox start); and the rates the cores would reach if judging cost nothing beyond
    the tests, and beyond the tests and analyzers."""
    per_task: Counter[str] = Counter()
    for item, v in zip(items, verdicts, strict=True):
        per_task[item.task.id] += v.timings.get("test_cpu", 0.0)
    tests = sum(per_task.values())
    if not tests:
        return
    tools = {k.split(".", 1)[1]: v for k, v in stats.items() if k.startswith("static_cpu_s.")}
    parts = {
        "tests' own processes": tests,
        "sandbox driver (warm-up, forks, clean-up)": max(0.0, stats["sandbox_cpu_s"] - tests),
        **tools,
    }
    parts["judge process and sandbox start"] = max(0.0, cpu - sum(parts.values()))
    print(
        "  CPU by part: "
        + ", ".join(f"{k} {v:.1f} s ({100 * v / cpu:.0f}%)" for k, v in parts.items())
    )
    top = ", ".join(f"{t} {s:.1f} s" for t, s in per_task.most_common(3))
    cores, n = os.cpu_count() or 1, len(items)
    floor = tests + sum(tools.values())
    print(
        f"  tests' own CPU most in: {top}; on {cores} cores the tests alone would allow "
        f"{cores * n / tests:.1f} snippets/s, tests and analyzers {cores * n / floor:.1f}/s"
    )


def run_naive(items: list[JudgeItem]) -> tuple[float, float]:
    sandbox = Sandbox(SandboxConfig(uid=61990))
    python = default_sandbox_venv() / "bin" / "python"
    venv = str(python.parent.parent)
    lim = Limits(wall_s=60.0, cpu_s=60, memory_mb=1024)
    root = Path(tempfile.mkdtemp(prefix="seccal-naive-"))
    root.chmod(0o711)
    t_dyn = t_static = 0.0
    analyzers = {name: create_analyzer(name, JudgeConfig()) for name in ("bandit", "semgrep")}
    cpu0 = _cpu_children()
    start = time.monotonic()
    probe = "import resource as r, sys; u = r.getrusage(r.RUSAGE_CHILDREN); print(u.ru_utime + u.ru_stime)"
    inner_cpu = 0.0
    try:
        for n, item in enumerate(items):
            job = root / str(n)
            write_job(job, item.task, item.code)
            t0 = time.monotonic()
            for spec in item.task.tests:
                # a fresh interpreter and pytest per snippet and role; the wrapper
                # reports the CPU time of that pytest process (see run_pipeline)
                argv = [
                    str(python),
                    "-c",
                    f"import subprocess, sys; subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', {spec.filename!r}]); {probe}",
                ]
                r = sandbox.run(argv, workdir=job, limits=lim, ro_paths=[venv])
                with contextlib.suppress(ValueError, IndexError):
                    inner_cpu += float(r.stdout.decode().strip().splitlines()[-1])
            t1 = time.monotonic()
            for name in ("bandit", "semgrep"):
                analyze_files({"x": job / item.task.module_name}, [analyzers[name]])
            t_static += time.monotonic() - t1
            t_dyn += t1 - t0
    finally:
        shutil.rmtree(root, ignore_errors=True)
    wall = time.monotonic() - start
    cpu = _cpu_children() - cpu0 + inner_cpu
    print(
        f"naive:    {len(items)} snippets in {wall:.2f} s wall = {len(items) / wall:.2f} snippets/s "
        f"(dynamic {100 * t_dyn / wall:.0f}%, static {100 * t_static / wall:.0f}%)"
    )
    print(
        f"  CPU {cpu:.2f} s = {1000 * cpu / len(items):.0f} ms/snippet -> "
        f"{os.cpu_count()} idle cores would judge {os.cpu_count() * len(items) / cpu:.1f} snippets/s"
    )
    return len(items) / wall, len(items) / cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=240, help="snippets for the pipeline")
    ap.add_argument("--naive-n", type=int, default=8, help="snippets for the naive baseline")
    ap.add_argument("--batch", type=int, default=DEFAULT_JUDGE_BATCH)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--suite", choices=("flask", "sallm"), default="flask")
    ap.add_argument("--no-static", action="store_true", help="dynamic tests only")
    ap.add_argument("--rounds", type=int, default=1, help="sallm: rounds of both paths, alternated")
    ap.add_argument(
        "--stream", action="store_true", help="sallm: judge group by group, as a study does"
    )
    ap.add_argument(
        "--exclude", action="append", default=[], help="leave out this task id (repeatable)"
    )
    ap.add_argument(
        "--compare",
        choices=("order", "sessions"),
        default="order",
        help="sallm: the two paths compared: input order vs task batches (both in warm "
        "sessions), or one sandbox per batch vs warm sessions (both in task batches)",
    )
    args = ap.parse_args()
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} cores, load average {load:.1f}, python {sys.version.split()[0]}"
    )
    if args.suite == "sallm":
        items = sallm_items(args.n, tuple(args.exclude))
        runs: dict[str, list[tuple[float, float]]] = {"previous": [], "pipeline": []}
        labels: dict[str, list[tuple[object, ...]]] = {"previous": [], "pipeline": []}
        sessions_only = args.compare == "sessions"
        for r in range(args.rounds):
            # alternate the two paths, so that a slow spell of the machine hits both
            for label, fast in (("previous", False), ("pipeline", True)):
                runs[label].append(
                    run_pipeline(
                        items, args.batch, args.workers, static=not args.no_static,
                        task_batches=fast or sessions_only, label=f"{label} (round {r + 1})",
                        verdicts_out=labels[label] if r == 0 else None, stream=args.stream,
                        sessions=fast or not sessions_only,
                    )
                )  # fmt: skip
                print(f"  load average now {os.getloadavg()[0]:.1f}")
        old, old_cpu = (statistics.median(x) for x in zip(*runs["previous"], strict=True))
        new, new_cpu = (statistics.median(x) for x in zip(*runs["pipeline"], strict=True))
        same = sum(a == b for a, b in zip(labels["previous"], labels["pipeline"], strict=True))
        cores = os.cpu_count() or 1
        print(
            f"median of {args.rounds} round(s): previous {old:.1f}/s wall "
            f"({cores * old_cpu:.1f}/s on {cores} idle cores), pipeline {new:.1f}/s wall "
            f"({cores * new_cpu:.1f}/s on {cores} idle cores)"
        )
        print(
            f"ratio pipeline / previous: {new / old:.2f}x wall, {new_cpu / old_cpu:.2f}x per CPU "
            f"second; same verdicts (labels and test outcomes): {same} of {len(items)}"
        )
        return
    fast, fast_cpu = run_pipeline(make_items(args.n), args.batch, args.workers)
    slow, slow_cpu = run_naive(make_items(args.naive_n))
    print(
        f"ratio pipeline / naive: {fast / slow:.1f}x wall, {fast_cpu / slow_cpu:.1f}x per CPU second"
    )


if __name__ == "__main__":
    main()
