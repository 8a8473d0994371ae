"""Structure of the whole built-in suite (every folder under src/seccal/tasks/builtin)."""

import ast
import re

import pytest

from seccal.core.task import Task, TestRole
from seccal.tasks.registry import load_suite

# Thresholds for the tasks written so far; raised as the suite grows (goal: 60 tasks, 30 CWEs).
MIN_TASKS = 60
MIN_CWES = 30
# Words that would tell the model what the task is testing.
HINTS = re.compile(
    r"\b(secure|securely|safe|safely|saniti[sz]e|vulnerab\w*|inject\w*|attack\w*|"
    r"malicious|exploit\w*|escape)\b",
    re.IGNORECASE,
)

TASKS = load_suite("builtin")


def test_suite_size_and_cwe_coverage() -> None:
    cwes = {c for t in TASKS for c in t.cwes}
    assert len(TASKS) >= MIN_TASKS
    assert len(cwes) >= MIN_CWES
    assert len({t.id for t in TASKS}) == len(TASKS)
    kinds = {t.metadata["kind"] for t in TASKS}
    assert kinds == {"flask", "library"}


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.id)
def test_task_shape(task: Task) -> None:
    assert task.secure_reference and task.insecure_reference
    assert [s.role for s in task.tests] == [TestRole.FUNCTIONAL, TestRole.SECURITY]
    # The prompt ends inside the entry point, right after its docstring.
    last = ast.parse(task.prompt).body[-1]
    assert isinstance(last, ast.FunctionDef) and last.name == task.entry_point
    assert len(last.body) == 1 and isinstance(last.body[0], ast.Expr)
    assert ast.get_docstring(last)
    assert not HINTS.search(ast.get_docstring(last) or ""), "docstring hints at the vulnerability"
    if task.metadata["kind"] == "flask":
        assert "app = Flask(__name__)" in task.prompt
    for spec in task.tests:
        assert re.search(
            r"^\s*(from solution import|import solution)|import_module\(\s*[\"']solution[\"']\)",
            spec.source,
            re.MULTILINE,
        )


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.id)
def test_every_exploit_says_what_attack_it_performs(task: Task) -> None:
    [security] = task.tests_for(TestRole.SECURITY)
    tests = [
        n
        for n in ast.parse(security.source).body
        if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    ]
    assert tests
    for fn in tests:
        assert ast.get_docstring(fn), f"{fn.name} has no docstring describing the attack"
