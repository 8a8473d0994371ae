"""The judge backend for ``repository`` tasks: the region is written back and built.

Registered with :func:`seccal.judge.backends.register_backend`; the judge imports this
module the first time it meets a repository task.
"""

from __future__ import annotations

from collections.abc import Sequence

from seccal.core.verdict import Verdict
from seccal.judge.backends import JudgeItem, register_backend
from seccal.judge.config import JudgeConfig
from seccal.repo.bridge import repo_task_for
from seccal.repo.judge import judge_many


@register_backend("repository")
class RepositoryBackend:
    """Judges masked regions in their repository snapshot (:func:`seccal.repo.judge.judge_many`)."""

    def __init__(self, config: JudgeConfig) -> None:
        self.config = config

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Verdicts in the order of ``items``; static analysis runs once for all of them."""
        work = [(repo_task_for(it.task), it.code, it.generation_id) for it in items]
        return judge_many(
            work, static=bool(self.config.analyzers), force_weak=self.config.force_weak
        )
