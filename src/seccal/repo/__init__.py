"""Repository-level tasks: a snapshot with a masked region, in several languages.

Public API::

    from seccal.repo import load_builtin_suite, judge_region, validate_task
"""

from seccal.repo.judge import judge_many, judge_region, validate_task
from seccal.repo.loader import builtin_suite_dir, load_builtin_suite, load_repo_suite
from seccal.repo.model import REGION_MARKER, ContextChoice, RepoTask, Step

__all__ = [
    "REGION_MARKER",
    "ContextChoice",
    "RepoTask",
    "Step",
    "builtin_suite_dir",
    "judge_many",
    "judge_region",
    "load_builtin_suite",
    "load_repo_suite",
    "validate_task",
]
