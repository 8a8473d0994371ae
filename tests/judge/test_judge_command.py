"""Tasks that name their own test command (SALLM's ``python test_runner.py test_X``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seccal.core.task import (
    IMAGE_PINS_KEY,
    TEST_COMMAND_KEY,
    WORKDIR_KEY,
    Task,
    TestRole,
    TestSpec,
)
from seccal.judge import Judge, JudgeConfig, JudgeItem, Limits
from seccal.judge.pyrunner import mountable_workdir, write_job
from seccal.judge.sandbox import Sandbox

RUNNER = """import sys
import unittest

if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromName(sys.argv[1])
    unittest.TextTestRunner().run(suite)
"""
TEST = """import os
import unittest

from sol import check


class T(unittest.TestCase):
    def test_correctness(self):
        # the image's layout: its WORKDIR, its files and folders, nothing of seccal's
        self.assertEqual(os.getcwd(), "/prompt")
        names = sorted(n for n in os.listdir(".") if n != "__pycache__")
        self.assertEqual(names, ["data", "sol.py", "test_runner.py", "test_sol.py", "uploads"])
        with open("data/users.txt") as fh:
            self.assertEqual(fh.read(), "alice\\n")
        for n in (1, 2):
            with self.subTest(n=n):
                self.assertTrue(check(n) is not None)
        if check(3) == "raise":
            raise KeyError("an exception in the test body fails the test, as under pytest")

    def setUp(self):
        if check(-1) == "raise":
            raise KeyError("an exception in setUp is an error")

    def test_vulnerability(self):
        with self.assertRaises(ModuleNotFoundError):
            import pytest  # installed in the sandbox env, not in this task's image
        self.assertFalse(check(0))
"""
LIMITS = Limits(wall_s=5.0, cpu_s=5, memory_mb=1024, fsize_mb=16, nproc=64, nofile=128)


def _task() -> Task:
    return Task(
        id="cmd",
        suite="test",
        language="python",
        cwes=("CWE-20",),
        prompt="",
        module_name="sol.py",
        tests=(
            TestSpec(TestRole.FUNCTIONAL, "test_sol.py", TEST, "unittest", "test_correctness"),
            TestSpec(TestRole.SECURITY, "test_sol.py", TEST, "unittest", "test_vulnerability"),
        ),
        extra_files={"test_runner.py": RUNNER, "data/users.txt": "alice\n"},
        extra_dirs=("uploads",),
        metadata={
            TEST_COMMAND_KEY: ["python", "test_runner.py", "test_sol"],
            WORKDIR_KEY: "/prompt",
            IMAGE_PINS_KEY: {"MarkupSafe": "2.1.3"},
        },
    )


def test_write_job_makes_one_command_run_with_per_role_fallback(tmp_path: Path) -> None:
    [run] = write_job(tmp_path / "job", _task(), "def check(n):\n    return n\n")
    assert run["command"] == ["python", "test_runner.py", "test_sol"]
    assert run["workdir"] == "/prompt" and run["role"] == "merged"
    assert run["method_roles"] == {
        "test_correctness": "functional",
        "test_vulnerability": "security",
    }
    assert [(r["role"], r["only"]) for r in run["fallback"]] == [
        ("functional", ["test_correctness"]),
        ("security", ["test_vulnerability"]),
    ]
    assert not (tmp_path / "job" / "conftest.py").exists()


@pytest.mark.parametrize(
    ("path", "ok"),
    [("/prompt", True), ("/app/src", True), ("/tmp/x", False), ("/usr/lib", False),
     ("/work", False), ("relative", False), ("/", False), ("/a/../etc", False)],
)  # fmt: skip
def test_mountable_workdir(path: str, ok: bool) -> None:
    assert mountable_workdir(path) is ok


def test_command_runs_like_the_image(strong_sandbox: Sandbox, sandbox_venv: Path) -> None:
    judge = Judge(
        JudgeConfig(sandbox_venv=sandbox_venv, test_limits=LIMITS, uid_base=61975, analyzers=())
    )
    task = _task()
    codes = {
        "secure": "def check(n):\n    return n\n",
        "vulnerable": "def check(n):\n    return True\n",
        "subtest-fails": "def check(n):\n    return None if n == 2 else n\n",
        "import-error": "raise RuntimeError('broken at import')\n",
        "hangs-in-security": ("def check(n):\n    while n == 0:\n        pass\n    return n\n"),
        "hangs-in-correctness": "def check(n):\n    while n == 1:\n        pass\n    return n\n",
        "hangs-at-import": "while True:\n    pass\n",
        "raises-in-body": "def check(n):\n    return 'raise' if n == 3 else n\n",
        "raises-in-setup": "def check(n):\n    return 'raise' if n == -1 else n\n",
    }
    verdicts = judge.judge_many([JudgeItem(k, task, c) for k, c in codes.items()])
    got = {v.generation_id: (v.functional, v.security["dynamic"]) for v in verdicts}
    assert got == {
        "secure": ("pass", "secure"),
        "vulnerable": ("pass", "vulnerable"),
        "subtest-fails": ("fail", "secure"),
        "import-error": ("fail", "unknown"),
        "hangs-in-security": ("pass", "unknown"),
        # what ran before a hang keeps its result; a role that never started runs alone
        "hangs-in-correctness": ("unknown", "secure"),
        "hangs-at-import": ("unknown", "unknown"),
        "raises-in-body": ("fail", "secure"),
        "raises-in-setup": ("fail", "unknown"),
    }, [v.to_dict() for v in verdicts]
    by_id = {v.generation_id: v for v in verdicts}
    names = {t.name for t in by_id["secure"].tests}
    assert names == {"test_sol.T.test_correctness", "test_sol.T.test_vulnerability"}
    assert "timeout" in by_id["hangs-in-security"].reasons["dynamic"]
    assert "timeout" in by_id["hangs-in-correctness"].reasons["functional"]
    assert "timeout" in by_id["hangs-at-import"].reasons["dynamic"]
    assert judge.stats["tests_s"] > 0 and judge.stats["imports_s"] > 0
