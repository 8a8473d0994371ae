"""Third-party Go sources for CWEval's Go tasks, from Debian's ``golang-*-dev`` packages.

CWEval's Go tasks are single files built outside a module (``GO111MODULE=off``,
nothing is downloaded). Debian ships Go libraries as source under
``/usr/share/gocode/src`` (``golang-github-golang-jwt-jwt-dev``,
``golang-github-christrenkamp-goxpath-dev``, ``golang-golang-x-crypto-dev``,
``golang-github-mattn-go-sqlite3-dev``; installed by
``scripts/setup.d/30-toolchains.sh``), which is a GOPATH tree: adding it to
``GOPATH`` lets the build find them.

A task may import a newer major version than Debian packages
(``github.com/golang-jwt/jwt/v5``; Debian has v4 at the bare path). In GOPATH
mode an import path is just a folder, so such an import is pointed at Debian's
copy by a symlink in the work dir; whether that version fits is decided the
honest way, by the task's secure reference building and passing its tests
(``CwevalJudge.task_problem``), and the verdict's build step says which source
stood in.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["DEBIAN_GOCODE", "go_env", "go_substitutes"]

#: Where Debian's golang-*-dev packages install their sources (a GOPATH tree).
DEBIAN_GOCODE = Path(os.environ.get("SECCAL_DEBIAN_GOCODE", "/usr/share/gocode"))
_IMPORT_RE = re.compile(r'^\s*(?:import\s+)?(?:[\w.]+\s+)?"([\w.-]+\.[\w.-]+/[^"\s]+)"', re.M)
_MAJOR_RE = re.compile(r"^(.+)/v(\d+)$")
_ALIAS_DIR = ".godeps"


def _imports(source: str) -> list[str]:
    return sorted(set(_IMPORT_RE.findall(source)))


def go_substitutes(source: str, gocode: Path = DEBIAN_GOCODE) -> dict[str, Path]:
    """Imports of ``source`` that Debian has only under another major version.

    Maps the import path (``github.com/golang-jwt/jwt/v5``) to the Debian source
    folder standing in for it (``.../github.com/golang-jwt/jwt``).
    """
    out: dict[str, Path] = {}
    src = gocode / "src"
    for path in _imports(source):
        m = _MAJOR_RE.match(path)
        if m is None or (src / path).is_dir():
            continue
        base = src / m.group(1)
        if base.is_dir():
            out[path] = base
    return out


def go_env(source: str, workdir: Path, gocode: Path = DEBIAN_GOCODE) -> dict[str, str]:
    """``GOPATH`` for building ``source`` in ``workdir`` with Debian's Go sources.

    Writes ``workdir/.godeps/src/<import>`` symlinks for :func:`go_substitutes`.
    Returns ``{}`` when Debian's tree is absent (the build then reports the
    missing package as before).
    """
    if not (gocode / "src").is_dir():
        return {}
    for path, target in go_substitutes(source, gocode).items():
        link = workdir / _ALIAS_DIR / "src" / path
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)
    return {"GOPATH": f"/tmp/gopath:{{workdir}}/{_ALIAS_DIR}:{gocode}"}
