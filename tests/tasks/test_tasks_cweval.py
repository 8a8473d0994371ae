import ast
import importlib.util
import sys
from pathlib import Path

import pytest

from seccal.errors import InputError
from seccal.tasks.cweval import load_cweval_dir
from seccal.tasks.paths import benchmarks_root
from seccal.tasks.registry import load_suite

TASK = '''import json


def label_for(kind: str) -> str:
    """Return the label of a kind."""
    # BEGIN SOLUTION
    return LABELS.get(kind, "other")


LABELS = {"a": "alpha"}
'''

TEST = '''import os
import pytest
from cwe_079_0_task import label_for

PREFIX = "unsafe:"
table = {"a": "alpha"}


def helper(kind):
    return PREFIX + table[kind]


def label_for_unsafe(kind: str) -> str:
    """Unsafe variant."""
    return helper(kind) if os.sep else ""


@pytest.mark.parametrize("kind", [pytest.param("a", marks=pytest.mark.functionality)])
def test_label(kind):
    assert label_for(kind) == "alpha"
'''


def _write(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "cwe_079_0_task.py").write_text(TASK)
    (root / "cwe_079_0_test.py").write_text(TEST)
    return root


def test_pair_becomes_task_with_marker_selectors(tmp_path: Path) -> None:
    [task] = load_cweval_dir(_write(tmp_path / "core" / "py"))
    assert task.id == "cwe_079_0" and task.cwes == ("CWE-79",)
    assert task.module_name == "cwe_079_0_task.py" and task.entry_point == "label_for"
    assert task.prompt.endswith('"""Return the label of a kind."""\n')
    assert task.secure_reference == TASK
    assert [t.selector for t in task.tests] == ["functionality", "security"]
    assert "pytest.ini" in task.extra_files


def test_test_needing_an_unshipped_helper_binary_is_not_runnable(tmp_path: Path) -> None:
    root = _write(tmp_path / "py")
    test = root / "cwe_079_0_test.py"
    test.write_text(test.read_text() + "\nOUT = os.popen('./third_party/recheck \"/x/\"')\n")
    [task] = load_cweval_dir(root)
    assert task.static_only
    assert "./third_party/recheck" in task.metadata["static_only_reason"]
    from seccal.judge import Judge, JudgeConfig, JudgeItem

    verdict = Judge(JudgeConfig(analyzers=())).judge(JudgeItem("g", task, TASK))
    assert verdict.functional == "unknown" and verdict.security["dynamic"] == "unknown"
    assert "helper binary not shipped" in verdict.reasons["dynamic"]


def test_insecure_reference_runs_with_its_support_code(tmp_path: Path) -> None:
    [task] = load_cweval_dir(_write(tmp_path / "py"))
    code = task.insecure_reference
    assert code is not None and code.startswith(task.prompt)
    ast.parse(code)
    assert '"""Unsafe variant."""' not in code and "import pytest" not in code
    path = tmp_path / "insecure_mod.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("insecure_mod", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["insecure_mod"] = module
    try:
        spec.loader.exec_module(module)
        assert module.label_for("a") == "unsafe:alpha"
    finally:
        del sys.modules["insecure_mod"]


def test_missing_marker_or_test_file_is_input_error(tmp_path: Path) -> None:
    root = _write(tmp_path / "py")
    (root / "cwe_079_0_task.py").write_text("def f():\n    pass\n")
    with pytest.raises(InputError, match="BEGIN SOLUTION"):
        load_cweval_dir(root)
    (root / "cwe_079_0_test.py").unlink()
    with pytest.raises(InputError, match="missing test file"):
        load_cweval_dir(root)
    with pytest.raises(InputError, match="no cwe_"):
        load_cweval_dir(tmp_path)


REAL = benchmarks_root() / "cweval" / "benchmark" / "core" / "py"


@pytest.mark.skipif(not REAL.is_dir(), reason=f"CWEval data not found at {REAL}")
def test_real_cweval_python_loads() -> None:
    tasks = load_suite("cweval")
    assert len(tasks) == 25
    for task in tasks:
        assert task.insecure_reference is not None, task.id
        assert task.insecure_reference.startswith(task.prompt)
        ast.parse(task.insecure_reference)
        assert task.secure_reference and "BEGIN SOLUTION" in task.secure_reference
