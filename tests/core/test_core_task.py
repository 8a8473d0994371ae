from seccal.core.task import Task, TestRole, TestSpec, task_from_dict


def _task() -> Task:
    return Task(
        id="t1",
        suite="builtin",
        language="python",
        cwes=("CWE-89",),
        prompt="def f(): ...",
        module_name="solution.py",
        tests=(
            TestSpec(TestRole.FUNCTIONAL, "test_functional.py", "def test_a(): pass"),
            TestSpec(
                TestRole.SECURITY, "test_security.py", "def test_b(): pass", selector="security"
            ),
        ),
        extra_dirs=("uploads/img",),
        metadata={"origin": "unit"},
    )


def test_round_trip_through_dict() -> None:
    task = _task()
    assert task_from_dict(task.to_dict()) == task


def test_tests_for_role_selects_only_that_role() -> None:
    task = _task()
    assert [t.filename for t in task.tests_for(TestRole.SECURITY)] == ["test_security.py"]
    assert task.key == "builtin/t1"
