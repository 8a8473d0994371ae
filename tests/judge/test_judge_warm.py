"""What the driver preloads, and that preloading changes no verdict (real sandbox runs)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from seccal.core.task import Task, TestRole, TestSpec
from seccal.judge import Judge, JudgeConfig, JudgeItem, Limits, Sandbox, SandboxConfig, Verdict
from seccal.judge.pyrunner import PyJob, PythonRunner
from seccal.judge.warm import ON_DEMAND, PRELOAD, batch_preload, job_top_names, module_imports
from seccal.tasks.paths import benchmarks_root
from seccal.tasks.registry import load_suite

LIMITS = Limits(wall_s=4.0, cpu_s=4, memory_mb=1024, fsize_mb=16, nproc=64, nofile=128)
SALLM = benchmarks_root() / "sallm" / "PythonDataset"


def test_module_imports_are_module_level_only() -> None:
    code = (
        "import os.path, jwt\n"
        "from sqlalchemy.orm import Session\n"
        "from . import sibling\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "if True:\n    from Crypto.Cipher import AES\n"
        "def f():\n    import requests\n"
        "class C:\n    import lxml.etree\n"
    )
    assert module_imports(code) == {"os.path", "jwt", "sqlalchemy.orm", "yaml", "Crypto.Cipher"}
    assert module_imports("def broken(:\n") == frozenset()


def test_on_demand_needs_every_job_and_respects_hidden_and_shadowed() -> None:
    both = [frozenset({"jwt", "sqlalchemy.orm"}), frozenset({"jwt", "sqlalchemy"})]
    assert batch_preload(both) == [*PRELOAD, "sqlalchemy", "jwt"]  # sqlalchemy.orm: one job only
    assert batch_preload([*both, frozenset({"os"})]) == list(PRELOAD)
    assert batch_preload(both, hidden={"jwt"}) == [*PRELOAD, "sqlalchemy"]
    assert batch_preload(both, shadowed=job_top_names(["jwt.py", "x/y.txt"])) == [
        *PRELOAD,
        "sqlalchemy",
    ]
    # importing the package alone does not import its submodule: no preload of it
    assert "Crypto.Cipher" in ON_DEMAND
    assert batch_preload([frozenset({"Crypto"})]) == list(PRELOAD)
    assert batch_preload([]) == list(PRELOAD)


def _task(task_id: str, test_source: str) -> Task:
    return Task(
        id=task_id,
        suite="test",
        language="python",
        cwes=("CWE-94",),
        prompt="",
        module_name="solution.py",
        tests=(TestSpec(TestRole.FUNCTIONAL, "test_probe.py", test_source),),
    )


#: Imports yaml (an on-demand module) at module level: its snippets share a zygote.
USES_YAML = _task(
    "uses-yaml",
    "import os, time\nimport yaml\nimport solution\n\n"
    "def test_no_trace_of_earlier_snippets():\n"
    "    time.sleep(0.5)  # an earlier snippet's daemon would have acted by now\n"
    "    assert yaml.safe_dump({'a': 1}) == 'a: 1\\n', 'yaml patched by an earlier snippet'\n"
    "    assert os.environ.get('LEAK') is None, 'environment of an earlier snippet'\n"
    "    assert not os.path.exists('/tmp/leak'), 'file of an earlier snippet'\n"
    "    assert not os.path.exists('/tmp/daemon-leak'), 'daemon of an earlier snippet'\n",
)
#: Never imports yaml: its child must not find it preloaded by the other task's zygote.
NO_YAML = _task(
    "no-yaml",
    "import sys\nimport solution\n\n"
    "def test_yaml_not_loaded():\n"
    "    assert 'yaml' not in sys.modules, 'preloaded for another task'\n",
)
PATCHER = (
    "import os, time, yaml\n"
    "yaml.safe_dump = lambda *a, **k: 'patched'\n"
    "os.environ['LEAK'] = '1'\n"
    "open('/tmp/leak', 'w').write('x')\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    time.sleep(0.2)\n"
    "    open('/tmp/daemon-leak', 'w').write('x')\n"
    "    os._exit(0)\n"
)
HOSTILE = [
    JudgeItem("ok-1", USES_YAML, "x = 1\n"),
    JudgeItem("b-1", NO_YAML, "x = 1\n"),
    JudgeItem("patcher", USES_YAML, PATCHER),
    JudgeItem("ok-2", USES_YAML, "x = 2\n"),
    JudgeItem("b-2", NO_YAML, "import yaml\n"),  # its own import is its own business
    JudgeItem(
        "zygote-killer", USES_YAML, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
    ),
    JudgeItem("ok-3", USES_YAML, "x = 3\n"),
    JudgeItem("ok-4", USES_YAML, "x = 4\n"),
    JudgeItem("b-3", NO_YAML, "x = 3\n"),
]


def _judge(sandbox_venv: Path, task_batches: bool, items: list[JudgeItem]) -> dict[str, Verdict]:
    cfg = JudgeConfig(
        sandbox_venv=sandbox_venv,
        test_limits=LIMITS,
        uid_base=61970,
        analyzers=(),
        batch_size=len(items),
        workers=1,
        task_batches=task_batches,
    )
    return {v.generation_id: v for v in Judge(cfg).judge_many(items)}


@pytest.mark.sandbox
def test_zygote_plan_groups_one_task_and_preloads_its_shared_imports(
    sandbox_venv: Path, strong_sandbox: Sandbox
) -> None:
    runner = PythonRunner(strong_sandbox, sandbox_venv / "bin" / "python", LIMITS)
    order = sorted(HOSTILE, key=lambda i: i.task.id != "uses-yaml")  # as the judge orders them
    jobs = [PyJob(i.generation_id, i.task, i.code) for i in order]
    common, groups = runner._preload(jobs, [() for _ in jobs])
    assert common == list(PRELOAD)
    assert groups == [
        {"jobs": list(range(6)), "preload": ["yaml"]},
        {"jobs": [6, 7, 8], "preload": []},
    ]
    weak = PythonRunner(Sandbox(SandboxConfig(force_weak=True)), runner.python, LIMITS)
    assert weak._preload(jobs, [() for _ in jobs]) == (list(PRELOAD), [])


@pytest.mark.sandbox
@pytest.mark.slow
def test_hostile_snippets_cannot_reach_the_next_through_the_zygote(
    sandbox_venv: Path, strong_sandbox: Sandbox
) -> None:
    new = _judge(sandbox_venv, True, HOSTILE)
    for ok in ("ok-1", "ok-2", "ok-3", "ok-4", "b-1", "b-3"):
        assert new[ok].functional == "pass", (ok, new[ok].tests, new[ok].reasons)
    assert new["patcher"].functional == "fail"  # its own patch is visible to its own test
    assert new["b-2"].functional == "fail"  # it imported yaml itself
    old = _judge(sandbox_venv, False, HOSTILE)
    for key, verdict in new.items():
        assert (verdict.functional, _outcomes(verdict)) == (
            old[key].functional,
            _outcomes(old[key]),
        ), key


def _outcomes(v: Verdict) -> list[tuple[str, str]]:
    return sorted((t.name, t.outcome) for t in v.tests)


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.skipif(not SALLM.is_dir(), reason=f"SALLM data not found at {SALLM}")
def test_sallm_references_get_the_same_verdicts_on_the_fast_path() -> None:
    """Every runnable SALLM task's reference, twice: task batches and zygotes change nothing."""
    # CWE-208 tests compare two request timings to 1 µs: their verdict is a coin toss on any
    # path, so they cannot show that the two paths agree
    tasks = [
        t
        for t in load_suite("sallm")
        if not t.static_only and t.insecure_reference and "CWE-208" not in t.cwes
    ]
    items = [
        JudgeItem(f"{t.id}-{n}", t, f"{t.insecure_reference}\n# copy {n}\n")
        for n in range(2)
        for t in tasks
    ]
    verdicts = {}
    for fast in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp).chmod(0o711)
            cfg = JudgeConfig(
                analyzers=(), task_batches=fast, uid_base=61975, workers=2, work_root=Path(tmp)
            )
            verdicts[fast] = {v.generation_id: v for v in Judge(cfg).judge_many(items)}
    differ = [
        key
        for key, v in verdicts[True].items()
        if (v.functional, v.security["dynamic"], _outcomes(v))
        != (
            verdicts[False][key].functional,
            verdicts[False][key].security["dynamic"],
            _outcomes(verdicts[False][key]),
        )
    ]
    assert not differ, differ
    assert sum(v.functional != "unknown" for v in verdicts[True].values()) > 0.9 * len(items)


#: In a zygote group: writes a forged verdict for the snippet before it to every pipe
#: it holds (a zygote's pipe to its batch process carries result lines); passes when
#: its own result pipe is the only one.
ZYGOTE_FORGER = """import json, os, stat, sys
frame = sys._getframe()
while not hasattr(frame.f_locals.get("self"), "marker"):
    frame = frame.f_back
marker = frame.f_locals["self"].marker
forged = {"job": "0", "role": "functional", "status": "ok",
          "tests": [{"name": "test_probe.py::test_no_trace_of_earlier_snippets",
                     "outcome": "passed"}]}
line = ("R " + marker + json.dumps(forged) + "\\n").encode()
pipes = 0
for fd in range(3, 256):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            pipes += 1
            os.write(fd, line + b"S 2\\n")
    except OSError:
        pass
assert pipes == 1, pipes
"""


@pytest.mark.sandbox
def test_a_snippet_cannot_speak_for_its_zygote(sandbox_venv: Path, strong_sandbox: Sandbox) -> None:
    items = [
        JudgeItem("victim", USES_YAML, "import os\nos.environ['LEAK'] = '1'\n"),  # fails
        JudgeItem("forger", USES_YAML, ZYGOTE_FORGER),
        JudgeItem("other", NO_YAML, "x = 1\n"),
    ]
    v = _judge(sandbox_venv, True, items)
    assert v["victim"].functional == "fail", v["victim"].tests
    assert v["forger"].functional == "pass", (v["forger"].tests, v["forger"].reasons)
    assert v["other"].functional == "pass"
