"""The judge backend for ``repository`` tasks: the region is written back and built.

Registered with :func:`seccal.judge.backends.register_backend`; the judge imports this
module the first time it meets a repository task.
"""

from __future__ import annotations

from collections.abc import Sequence

from seccal.core.verdict import Verdict
from seccal.judge.analyzers import create_analyzers
from seccal.judge.backends import JudgeItem, register_backend
from seccal.judge.config import JudgeConfig
from seccal.repo.bridge import repo_task_for
from seccal.repo.judge import judge_many, label_static, new_verdict


@register_backend("repository")
class RepositoryBackend:
    """Judges masked regions in their repository snapshot (:func:`seccal.repo.judge.judge_many`)."""

    def __init__(self, config: JudgeConfig) -> None:
        self.config = config
        self.analyzers = create_analyzers(config)

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Verdicts in the order of ``items``; static analysis runs once for all of them."""
        work = [(repo_task_for(it.task), it.code, it.generation_id) for it in items]
        return judge_many(
            work,
            static=bool(self.analyzers),
            force_weak=self.config.force_weak,
            analyzers=self.analyzers,
            min_severity=self.config.static_min_severity,
        )

    def judge_static(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Static labels only: the analyzers on each region, nothing built or run."""
        work = [(repo_task_for(it.task), it.code, it.generation_id) for it in items]
        verdicts = [new_verdict(gid, task.key) for task, _, gid in work]
        label_static(work, verdicts, self.analyzers, self.config.static_min_severity)
        return verdicts
