"""Judge settings shared by the Python API and ``seccal judge``."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from seccal.core.config import DEFAULT_JUDGE_BATCH, JudgeSettings
from seccal.core.findings import Severity
from seccal.core.task import SANDBOX_ENV_KEY
from seccal.judge.sandbox import Limits, default_uid_base, default_work_root

__all__ = [
    "DEFAULT_ENV",
    "SANDBOX_ENV_KEY",
    "JudgeConfig",
    "named_sandbox_venv",
    "study_judge_config",
    "study_judge_options",
]

#: Environment variable naming the sandbox virtual environment.
SANDBOX_VENV_ENV = "SECCAL_SANDBOX_VENV"
DEFAULT_SANDBOX_VENV = Path("/opt/seccal/sandbox-venv")
#: Name of the environment used when a task names none.
DEFAULT_ENV = "default"
_ENV_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
#: Names of the shipped analyzers (:data:`seccal.core.findings.ANALYZER_NAMES`).
AnalyzerName = Literal["bandit", "semgrep", "cppcheck", "flawfinder"]


def default_sandbox_venv() -> Path:
    """``$SECCAL_SANDBOX_VENV`` or ``/opt/seccal/sandbox-venv``."""
    return Path(os.environ.get(SANDBOX_VENV_ENV) or DEFAULT_SANDBOX_VENV)


def named_sandbox_venv(name: str) -> Path:
    """Where the named sandbox environment lives unless a config maps it elsewhere.

    ``$SECCAL_SANDBOX_VENV_<NAME>`` (upper case) or ``/opt/seccal/sandbox-venv-<name>``,
    the location ``scripts/setup.d/20-sandbox.sh`` builds it at.

    Raises
    ------
    ValueError
        When ``name`` is not a lower-case identifier (it becomes a path and a variable name).
    """
    if not _ENV_NAME_RE.fullmatch(name):
        raise ValueError(f"bad sandbox environment name {name!r}: expected [a-z][a-z0-9_]*")
    override = os.environ.get(f"{SANDBOX_VENV_ENV}_{name.upper()}")
    return Path(override or f"{DEFAULT_SANDBOX_VENV}-{name}")


def default_test_limits() -> Limits:
    return Limits(wall_s=10.0, cpu_s=10, memory_mb=1024, fsize_mb=32, nproc=64, nofile=128)


@dataclass(frozen=True, slots=True)
class JudgeConfig:
    """How the judge runs.

    Attributes
    ----------
    sandbox_venv:
        Prepared environment whose ``bin/python`` runs tasks' tests (built by
        ``scripts/setup.d/20-sandbox.sh``); missing → dynamic labels unknown
        with reason ``sandbox environment missing``.
    sandbox_envs:
        Named environments for tasks that need other package versions (a task
        names one in ``metadata["sandbox_env"]``), name to venv; a name not
        mapped here resolves with :func:`named_sandbox_venv`. A missing one makes
        its tasks' dynamic labels unknown, never falls back to ``sandbox_venv``.
    test_limits:
        Limits of each snippet's functional or security test run.
    batch_size:
        Snippets per sandbox (one warm driver forks a child per snippet).
    workers:
        Batches judged concurrently (each in its own sandbox uid).
    static_chunk:
        Snippets per analyzer process (their start-up is paid once per chunk): on
        SALLM's 910 references, chunks of 1024 instead of 256 cost Bandit 3.0 instead
        of 4.2 CPU seconds and Semgrep 8.3 instead of 10.3 (170 MB peak memory).
    task_batches:
        Put snippets of one task into the same batches and let each batch's driver
        preload the heavy modules all its snippets import (:mod:`seccal.judge.warm`);
        off: batches in input order, the fixed preload only. Verdicts are the same
        either way; on SALLM's references it saves a tenth of the CPU time
        (``benchmarks/bench_judge.py --suite sallm``). A slow task's batch no longer
        holds one worker while the others idle: idle workers make it yield its rest.
    analyzers:
        Static analyzers to run (:mod:`seccal.judge.analyzers`; each reads only files of
        its languages); empty disables static labels.
    semgrep_rules:
        Semgrep rule files (default: every pack of seccal's own, ``seccal/judge/rules``).
    semgrep_jobs:
        Processes each Semgrep scan uses (its ``-j``; 0: one per core, Semgrep's
        default). The judge scans alongside its sandbox workers, which keep every
        core busy, so more processes only cost more CPU: on SALLM's 910 references,
        8.3-8.8 CPU seconds with one against 10.0-10.2 with one per core. A scan
        alone on a large tree (nothing else running) ends sooner with 0.
    static_min_severity:
        Least severity of a finding that counts for the ``static`` label.
    uid_base:
        First sandbox uid when running as root (worker ``n`` uses ``uid_base + n``);
        by default a block derived from the process id, so that concurrent judges
        do not share uids (workers beyond ``UID_SLOTS`` would overlap the next block).
    bwrap:
        bubblewrap binary.
    force_weak:
        Do not use bubblewrap (debugging; verdicts say ``isolation: weak``).
    work_root:
        Where batch directories are made (default:
        :func:`~seccal.judge.sandbox.default_work_root`, ``/dev/shm`` where usable;
        ``None``: the system temp dir); must be searchable by the sandbox uid.
    keep_workdirs:
        Keep batch directories for inspection.
    sandbox_sessions:
        Keep each worker's sandbox driver warm from batch to batch (strong isolation
        only; :mod:`seccal.judge.session`): its start and warm-up imports are paid
        once per worker and kind of batch instead of once per batch. Off: one
        sandbox per batch. Verdicts are the same either way.
    """

    sandbox_venv: Path = field(default_factory=default_sandbox_venv)
    sandbox_envs: Mapping[str, Path] = field(default_factory=dict)
    test_limits: Limits = field(default_factory=default_test_limits)
    batch_size: int = DEFAULT_JUDGE_BATCH
    workers: int = 2
    static_chunk: int = 1024
    task_batches: bool = True
    analyzers: tuple[AnalyzerName, ...] = ("bandit", "semgrep", "cppcheck", "flawfinder")
    semgrep_rules: tuple[Path, ...] = ()
    semgrep_jobs: int = 1
    static_min_severity: Severity = "medium"
    uid_base: int = field(default_factory=default_uid_base)
    bwrap: str = "bwrap"
    force_weak: bool = False
    work_root: Path | None = field(default_factory=default_work_root)
    keep_workdirs: bool = False
    sandbox_sessions: bool = True

    @property
    def sandbox_python(self) -> Path:
        """The sandbox environment's interpreter."""
        return Path(self.sandbox_venv) / "bin" / "python"  # tolerate a str from callers

    def python_for(self, env: str) -> Path:
        """The interpreter of sandbox environment ``env`` (``default``: :attr:`sandbox_python`).

        Raises
        ------
        ValueError
            On a malformed environment name.
        """
        if env == DEFAULT_ENV:
            return self.sandbox_python
        venv = self.sandbox_envs.get(env) or named_sandbox_venv(env)
        return Path(venv) / "bin" / "python"


def study_judge_options(settings: JudgeSettings) -> dict[str, Any]:
    """The :class:`JudgeConfig` keyword options of a study's ``[judge]`` table.

    The one translation of study settings into judge options: the judge stage, the
    repair stage and executors (which rebuild the config where they judge) use it.
    """
    return {"batch_size": settings.batch_size, "analyzers": tuple(settings.analyzers)}


def study_judge_config(settings: JudgeSettings) -> JudgeConfig:
    """The :class:`JudgeConfig` of a study's ``[judge]`` table."""
    options = study_judge_options(settings)
    analyzers = cast("tuple[AnalyzerName, ...]", options.pop("analyzers"))
    return JudgeConfig(analyzers=analyzers, **options)
