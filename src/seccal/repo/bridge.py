"""Repository tasks as :class:`seccal.core.task.Task` records for the study pipeline.

The generate stage only needs a prompt; judging must come back here, because a
repository task's checks are builds and exploits in a work tree, not pytest
files. Such tasks have ``kind == "repository"``; their metadata carries what
:func:`repo_task_for` needs to find the :class:`RepoTask` again.

Importing this module registers the suite ``repo`` (``load_suite("repo")`` or
``load_suite("repo:/path/to/suite")``) in :mod:`seccal.tasks.registry`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from seccal.core.task import Task
from seccal.errors import InputError
from seccal.repo.context import build_prompt
from seccal.repo.loader import builtin_suite_dir, load_repo_suite
from seccal.repo.model import RepoTask
from seccal.tasks.registry import known_suites, register_suite

#: Suites whose repository tasks are not folders with a ``repo.toml`` say how to find them.
_RESOLVERS: dict[str, Callable[[Task], RepoTask]] = {}


def register_resolver(suite: str, resolve: Callable[[Task], RepoTask]) -> None:
    """Let :func:`repo_task_for` find the :class:`RepoTask` behind tasks of ``suite``."""
    _RESOLVERS[suite] = resolve


def to_task(task: RepoTask, *, suite_dir: Path | None = None) -> Task:
    """The :class:`Task` view of ``task``: prompt with its recorded context, region references."""
    prompt = build_prompt(task)
    return Task(
        id=task.id,
        suite=task.suite,
        language=task.language,
        cwes=task.cwes,
        prompt=prompt.text,
        module_name=task.target,
        entry_point=task.target,
        # Region texts, like a model's reply: the judge writes them into the masked region.
        secure_reference=task.fixed_region,
        insecure_reference=task.vulnerable_region,
        kind="repository",
        metadata={
            "suite_dir": str(suite_dir or builtin_suite_dir()),
            "summary": task.summary,
            "safety_depends_on": task.safety_depends_on,
            "context": prompt.record(),
            "region": "reply with the masked region only; seccal.repo.apply.extract_code",
        },
    )


@register_suite(
    "repo", help="repository-level tasks: a masked region whose safety depends on other files"
)
def load_as_tasks(path: Path | None = None) -> list[Task]:
    """Every repository of the suite at ``path`` (default: built-in) as :class:`Task`."""
    root = path or builtin_suite_dir()
    return [to_task(t, suite_dir=root) for t in load_repo_suite(root)]


@cache
def _suite(root: str) -> dict[str, RepoTask]:
    return {t.id: t for t in load_repo_suite(Path(root))}


def repo_task_for(task: Task) -> RepoTask:
    """The :class:`RepoTask` behind a :class:`Task` made by :func:`to_task`.

    Raises
    ------
    InputError
        If ``task`` is not a repository task or its repository is gone.
    """
    if task.kind != "repository":
        raise InputError(f"task {task.key} is not a repository task")
    if task.suite != "repo" and task.suite not in _RESOLVERS:
        known_suites()  # imports the shipped suites, which register their resolvers
    if task.suite in _RESOLVERS:
        return _RESOLVERS[task.suite](task)
    found = _suite(str(task.metadata["suite_dir"])).get(task.id)
    if found is None:
        raise InputError(f"task {task.key}: repository not found in {task.metadata['suite_dir']}")
    return found
