"""Many sources per analyzer call, findings mapped back by file and span, errors per file."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from seccal.core.findings import Finding
from seccal.judge.analyzers import AnalyzerError, Source, analyze_files, analyze_sources
from seccal.judge.analyzers.base import json_output, normalize_cwe, run_tool, thread_tool_cpu


class Recorder:
    """A real analyzer double: reports one finding per line containing ``BAD``."""

    name = "recorder"

    def __init__(self, suffixes: frozenset[str], fail: str = "") -> None:
        self.suffixes = suffixes
        self.fail = fail
        self.calls: list[list[Path]] = []

    def scan(self, paths: Sequence[Path]) -> dict[Path, list[Finding]]:
        self.calls.append(list(paths))
        if self.fail:
            raise AnalyzerError(self.fail)
        out: dict[Path, list[Finding]] = {}
        for p in paths:
            for n, line in enumerate(p.read_text().splitlines(), 1):
                if "BAD" in line:
                    out.setdefault(p.resolve(), []).append(Finding(self.name, "r", "CWE-1", n, ""))
        return out


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (89, "CWE-89"),
        ("CWE-89: SQL Injection", "CWE-89"),
        (["CWE-078: OS Command"], "CWE-78"),
        ({"id": 502, "link": "x"}, "CWE-502"),
        ("22", "CWE-22"),
        ("", ""),
        (0, ""),
        ("none", ""),
    ],
)
def test_normalize_cwe(raw: object, want: str) -> None:
    assert normalize_cwe(raw) == want


def test_one_call_per_analyzer_only_on_its_files() -> None:
    py, c = Recorder(frozenset({".py"})), Recorder(frozenset({".c"}))
    sources = [
        Source("a", "app.py", "BAD\n"),
        Source("b", "app.py", "ok\n"),  # the same file name in another folder
        Source("c", "main.c", "BAD\n"),
    ]
    report = analyze_sources(sources, [py, c])
    assert [len(call) for call in py.calls] == [2] and [len(call) for call in c.calls] == [1]
    assert [f.line for f in report.findings["a"]] == [1]
    assert report.findings["b"] == [] and len(report.findings["c"]) == 1


def test_identical_sources_are_analysed_once_and_each_gets_the_result() -> None:
    rec = Recorder(frozenset({".py"}))
    broken = Recorder(frozenset({".c"}), fail="cppcheck is not installed")
    sources = [
        Source("a", "app.py", "BAD\n"),
        Source("b", "app.py", "BAD\n"),  # the same snippet again (a low-temperature sample)
        Source("c", "app.py", "BAD\n", 2, 3),  # same text, another span: analysed apart
        Source("d", "other.py", "BAD\n"),  # same text, another name: analysed apart
        Source("e", "x.c", "x"),
        Source("f", "x.c", "x"),
    ]
    report = analyze_sources(sources, [rec, broken])
    assert [len(call) for call in rec.calls] == [3]
    assert [f.line for f in report.findings["a"]] == [f.line for f in report.findings["b"]] == [1]
    assert report.findings["a"] is not report.findings["b"]  # a copy each, not one list
    assert report.findings["c"] == [] and len(report.findings["d"]) == 1
    assert report.error_for("f") == report.error_for("e") != ""


def test_findings_outside_the_span_do_not_count() -> None:
    text = "BAD header\nok\nBAD generated\nBAD trailer\n"
    report = analyze_sources([Source("a", "x.py", text, 2, 3)], [Recorder(frozenset({".py"}))])
    assert [f.line for f in report.findings["a"]] == [3]


def test_failing_analyzer_marks_only_its_own_files() -> None:
    broken = Recorder(frozenset({".c"}), fail="cppcheck is not installed")
    ok = Recorder(frozenset({".py"}))
    report = analyze_sources([Source("py", "a.py", "BAD"), Source("c", "a.c", "x")], [ok, broken])
    assert report.error_for("py") == ""
    assert report.error_for("c") == "static analyzer failed: recorder: cppcheck is not installed"
    assert len(report.findings["py"]) == 1


def test_unsafe_file_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unsafe file name"):
        analyze_sources([Source("a", "../x.py", "")], [])


def test_no_files_runs_nothing() -> None:
    rec = Recorder(frozenset({".py"}))
    assert analyze_files({}, [rec]).findings == {} and rec.calls == []


def test_tool_errors_are_specific(tmp_path: Path) -> None:
    with pytest.raises(AnalyzerError, match="nosuchtool could not start"):
        run_tool("nosuchtool", [str(tmp_path / "nosuchtool")], 5)
    with pytest.raises(AnalyzerError, match=r"semgrep failed \(exit 2\): boom"):
        json_output("semgrep", 2, "not json", "boom")
    assert json_output("bandit", 1, 'noise {"results": []}', "") == {"results": []}


def test_run_tool_returns_both_streams_in_full_and_the_exit_code() -> None:
    # more than a pipe's buffer on both streams at once: read together, no deadlock
    code = "import sys; sys.stdout.write('o' * 300000); sys.stderr.write('e' * 200000); sys.exit(3)"
    rc, out, err = run_tool("writer", [sys.executable, "-c", code], 30)
    assert (rc, len(out), len(err), set(out), set(err)) == (3, 300000, 200000, {"o"}, {"e"})


def test_run_tool_counts_the_cpu_of_the_tool_and_of_what_it_waited_for() -> None:
    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass"
    # the work happens in a grandchild that the tool waits for (as Semgrep's engine)
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])"
    before = thread_tool_cpu()
    run_tool("spinner", [sys.executable, "-c", code], 30)
    spent = thread_tool_cpu() - before
    run_tool("sleeper", [sys.executable, "-c", "import time; time.sleep(0.4)"], 30)
    slept = thread_tool_cpu() - before - spent
    assert 0.38 < spent < 5 and slept < 0.2


def test_run_tool_timeout_kills_the_tool_and_what_it_started(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    code = (
        "import subprocess, sys, time\n"
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(p.pid))\n"
        "time.sleep(60)\n"
    )
    t0 = time.monotonic()
    with pytest.raises(AnalyzerError, match="sleepy timed out after 1 s"):
        run_tool("sleepy", [sys.executable, "-c", code], 1)
    assert time.monotonic() - t0 < 10
    grandchild = int(pidfile.read_text())
    for _ in range(200):  # killed with its session; its parent's init reaps it
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{grandchild}/stat").read_text().split(") ")[1].startswith("Z"):
            break
        time.sleep(0.01)
    else:
        os.kill(grandchild, signal.SIGKILL)
        pytest.fail("the tool's own child outlived the timeout")


def test_a_tool_that_closes_its_output_early_still_times_out() -> None:
    code = "import os, time; os.close(1); os.close(2); time.sleep(60)"
    t0 = time.monotonic()
    with pytest.raises(AnalyzerError, match="timed out"):
        run_tool("closer", [sys.executable, "-c", code], 1)
    assert time.monotonic() - t0 < 10


class ToolRecorder(Recorder):
    """:class:`Recorder` that also runs a real process costing ~0.3 s of CPU per call."""

    def scan(self, paths: Sequence[Path]) -> dict[Path, list[Finding]]:
        spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
        run_tool("spin", [sys.executable, "-c", spin], 30)
        return super().scan(paths)


def test_a_report_has_each_analyzers_cpu(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("BAD\n")
    report = analyze_files({"a": tmp_path / "a.py"}, [ToolRecorder(frozenset({".py"}))])
    assert 0.28 < report.cpu_s["recorder"] < 5
    assert [f.line for f in report.findings["a"]] == [1]
