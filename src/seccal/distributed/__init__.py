"""Where a study's work runs: this process or a Ray cluster, with identical results.

Public API::

    from seccal.distributed import LocalExecutor, RayExecutor, Executor

An :class:`Executor` gives the study runner a provider factory for the
driver's model engine and a streaming judge. :class:`RayExecutor` (the
optional ``ray`` extra) spreads provider attempts and judging over a cluster
while the driver stays the single writer of the run store.
"""

from seccal.distributed.base import Executor, Judged, JudgeWork, LocalExecutor
from seccal.distributed.ray_executor import RayExecutor

__all__ = ["Executor", "JudgeWork", "Judged", "LocalExecutor", "RayExecutor"]
