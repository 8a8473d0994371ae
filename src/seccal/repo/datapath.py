"""Where third-party benchmark data is read from (never copied into seccal).

``$SECCAL_BENCHMARKS`` if set, else the nearest ``shared/benchmarks`` folder
above the repository root (``../shared/benchmarks`` of a checkout; git
worktrees sit one level deeper). Mirrors ``seccal.tasks.paths`` so the two
adapters families agree; fold into it once both are on main.
"""

from __future__ import annotations

import os
from pathlib import Path

from seccal.errors import ConfigError

ENV_VAR = "SECCAL_BENCHMARKS"


def benchmarks_root() -> Path:
    """The folder holding third-party benchmarks (may not exist)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    here = Path(__file__).resolve()
    repo_root = next((p for p in here.parents if (p / "pyproject.toml").is_file()), Path.cwd())
    for parent in repo_root.parents:
        candidate = parent / "shared" / "benchmarks"
        if candidate.is_dir():
            return candidate
    return repo_root.parent / "shared" / "benchmarks"


def data_path(path: Path | None, default_rel: str, *, what: str) -> Path:
    """``path`` or ``benchmarks_root()/default_rel``; raises ConfigError if absent."""
    target = path if path is not None else benchmarks_root() / default_rel
    if not target.exists():
        raise ConfigError(
            f"{what} data not found at {target}; pass a path or set {ENV_VAR} "
            "to the folder holding the benchmarks"
        )
    return target
