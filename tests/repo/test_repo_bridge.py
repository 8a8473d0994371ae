import pytest

from seccal.core.task import Task, task_from_dict
from seccal.errors import InputError
from seccal.repo.bridge import load_as_tasks, repo_task_for


def test_suite_as_tasks_round_trip() -> None:
    tasks = load_as_tasks()
    assert len(tasks) >= 24
    t = next(x for x in tasks if x.id == "go-open-redirect-login")
    assert t.language == "go" and t.module_name == "login.go"
    assert "<MASKED REGION" in t.prompt and "AllowedRedirectHosts" in t.prompt
    assert t.secure_reference and "safeRedirect" in t.secure_reference
    again = task_from_dict(t.to_dict())
    assert repo_task_for(again).fixed_region.startswith("func AfterLogin")


def test_non_repo_task_rejected() -> None:
    task = Task(
        id="x",
        suite="builtin",
        language="python",
        cwes=("CWE-1",),
        prompt="",
        module_name="solution.py",
    )
    with pytest.raises(InputError, match="not a repository task"):
        repo_task_for(task)


def test_registered_in_task_registry() -> None:
    from seccal.tasks.registry import known_suites, load_suite

    assert "repo" in known_suites()
    tasks = load_suite("repo")
    assert len(tasks) >= 24 and all(t.kind == "repository" for t in tasks)
