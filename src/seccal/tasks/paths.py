"""Where the third-party benchmark data lives.

The benchmarks are other people's work and never copied into seccal: adapters
read them at run time from ``$SECCAL_BENCHMARKS`` or, by default, from
``<repo root>/../shared/benchmarks`` (the layout of a development checkout; the
nearest ancestor holding ``shared/benchmarks`` is used, so git worktrees work too).
"""

from __future__ import annotations

import os
from pathlib import Path

from seccal.errors import ConfigError

ENV_VAR = "SECCAL_BENCHMARKS"


def repo_root() -> Path:
    """The source checkout holding seccal (nearest ancestor with pyproject.toml), else cwd."""
    # src/seccal/tasks/paths.py -> repo root is three levels above the package dir.
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


def benchmarks_root() -> Path:
    """The folder holding third-party benchmarks (may not exist)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    root = repo_root()
    # A git worktree may sit one level deeper than the main checkout
    # (/work/wt/NAME next to /work/main): take the nearest ancestor that has it.
    for parent in root.parents:
        candidate = parent / "shared" / "benchmarks"
        if candidate.is_dir():
            return candidate
    return root.parent / "shared" / "benchmarks"


def resolve_data_path(path: Path | None, default_rel: str, *, suite: str) -> Path:
    """The user's path, or ``benchmarks_root()/default_rel``; must exist.

    Raises
    ------
    ConfigError
        When the path does not exist; the message says how to point at the data.
    """
    target = path if path is not None else benchmarks_root() / default_rel
    if not target.exists():
        raise ConfigError(
            f"{suite} data not found at {target}; pass '{suite}:PATH' or set {ENV_VAR} "
            "to the folder holding the benchmarks"
        )
    return target
