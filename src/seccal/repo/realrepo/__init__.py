"""Repository-level tasks cut from real projects' published security fixes.

Sources come from the package registries (PyPI sdists, npm tarballs, Debian
security source packages), are cached and verified by SHA-256, and are never
stored with seccal; each task is one TOML file plus our own checks.

Public API::

    from seccal.repo.realrepo import load_specs, prepare
"""

from seccal.repo.realrepo.fetch import FetchError, cache_root
from seccal.repo.realrepo.prepare import Prepared, prepare
from seccal.repo.realrepo.spec import TaskSpec, builtin_specs_dir, load_spec, load_specs

__all__ = [
    "FetchError",
    "Prepared",
    "TaskSpec",
    "builtin_specs_dir",
    "cache_root",
    "load_spec",
    "load_specs",
    "prepare",
]
