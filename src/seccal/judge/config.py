"""Judge settings shared by the Python API and ``seccal judge``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from seccal.judge.sandbox import Limits, default_uid_base
from seccal.judge.verdict import Severity

#: Environment variable naming the sandbox virtual environment.
SANDBOX_VENV_ENV = "SECCAL_SANDBOX_VENV"
DEFAULT_SANDBOX_VENV = Path("/opt/seccal/sandbox-venv")
AnalyzerName = Literal["bandit", "semgrep"]


def default_sandbox_venv() -> Path:
    """``$SECCAL_SANDBOX_VENV`` or ``/opt/seccal/sandbox-venv``."""
    return Path(os.environ.get(SANDBOX_VENV_ENV) or DEFAULT_SANDBOX_VENV)


def _default_test_limits() -> Limits:
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
    test_limits:
        Limits of each snippet's functional or security test run.
    batch_size:
        Snippets per sandbox (one warm driver forks a child per snippet).
    workers:
        Batches judged concurrently (each in its own sandbox uid).
    static_chunk:
        Snippets per Bandit / Semgrep process (their start-up is paid once per chunk).
    analyzers:
        Static analyzers to run; empty disables static labels.
    semgrep_rules:
        Semgrep rule files (default: seccal's own Python pack).
    static_min_severity:
        Least severity of a finding that counts for ``static_cwe`` and ``static_any``.
    uid_base:
        First sandbox uid when running as root (worker ``n`` uses ``uid_base + n``);
        by default a block derived from the process id, so that concurrent judges
        do not share uids (workers beyond ``UID_SLOTS`` would overlap the next block).
    bwrap:
        bubblewrap binary.
    force_weak:
        Do not use bubblewrap (debugging; verdicts say ``isolation: weak``).
    work_root:
        Where batch directories are made (default: the system temp dir); must
        be searchable by the sandbox uid.
    keep_workdirs:
        Keep batch directories for inspection.
    """

    sandbox_venv: Path = field(default_factory=default_sandbox_venv)
    test_limits: Limits = field(default_factory=_default_test_limits)
    batch_size: int = 32
    workers: int = 2
    static_chunk: int = 256
    analyzers: tuple[AnalyzerName, ...] = ("bandit", "semgrep")
    semgrep_rules: tuple[Path, ...] = ()
    static_min_severity: Severity = "medium"
    uid_base: int = field(default_factory=default_uid_base)
    bwrap: str = "bwrap"
    force_weak: bool = False
    work_root: Path | None = None
    keep_workdirs: bool = False

    @property
    def sandbox_python(self) -> Path:
        """The sandbox environment's interpreter."""
        return Path(self.sandbox_venv) / "bin" / "python"  # tolerate a str from callers
