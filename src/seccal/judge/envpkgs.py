"""Which packages of a sandbox environment a task's image would not have.

One sandbox environment serves every task of a suite (SALLM: the union of its
tasks' pins). A task's own image installs only its requirements file, so code
that imports another package fails there; :func:`hidden_modules` names the
top-level modules to hide from such a task's test run so that it fails here too.
Read from the environment's installed metadata on the host (no interpreter is
started); results are cached per environment.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib.metadata import Distribution, distributions
from pathlib import Path

__all__ = [
    "BASE_IMAGE_DISTRIBUTIONS",
    "canonical",
    "hidden_modules",
    "installed",
    "provided_modules",
]

#: What ``python:3.x-slim`` images ship besides the standard library.
BASE_IMAGE_DISTRIBUTIONS = frozenset({"pip", "setuptools", "wheel"})
_NAME_RE = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def installed(venv: Path) -> dict[str, Distribution]:
    """The distributions of ``venv``'s site-packages, by canonical name."""
    paths = [str(p) for p in sorted(Path(venv).glob("lib/python*/site-packages"))]
    out: dict[str, Distribution] = {}
    for dist in distributions(path=paths):
        name = dist.metadata["Name"]
        if name:
            out.setdefault(canonical(name), dist)
    return out


def _requires(dist: Distribution) -> list[str]:
    names = []
    for req in dist.requires or ():
        if "extra ==" in req.replace("'", '"').replace('extra=="', 'extra == "'):
            continue  # only with an extra the image did not ask for
        m = _NAME_RE.match(req)
        if m:
            names.append(canonical(m.group(1)))
    return names


def closure(venv: Path, names: Iterable[str]) -> set[str]:
    """``names`` and everything they require (transitively) that ``venv`` has."""
    have = installed(venv)
    todo = [canonical(n) for n in names]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in have:
            todo.extend(_requires(have[name]))
    return seen


def _top_level(dist: Distribution) -> set[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    tops: set[str] = set()
    for f in dist.files or ():
        parts = f.parts
        if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith(".dist-info"):
            continue
        top = parts[0]
        if len(parts) == 1:
            if not top.endswith(".py") or top.endswith(".pth"):
                continue
            top = top[:-3]
        tops.add(top)
    return tops


@functools.cache
def _tops(venv: Path) -> dict[str, frozenset[str]]:
    """Top-level modules of each distribution of ``venv`` (read once: a task's pins vary)."""
    return {name: frozenset(_top_level(dist)) for name, dist in installed(venv).items()}


@functools.cache
def _hidden(venv: Path, wanted: frozenset[str]) -> tuple[str, ...]:
    keep = closure(venv, wanted | BASE_IMAGE_DISTRIBUTIONS)
    visible: set[str] = set()
    hidden: set[str] = set()
    for name, tops in _tops(venv).items():
        (visible if name in keep else hidden).update(tops)
    return tuple(sorted(hidden - visible))


@functools.cache
def provided_modules(venv: Path) -> frozenset[str]:
    """Every top-level module some distribution of ``venv`` installs."""
    return frozenset(m for dist in installed(Path(venv)).values() for m in _top_level(dist))


def hidden_modules(venv: Path, pins: Iterable[str]) -> tuple[str, ...]:
    """Top-level modules of ``venv`` that an image installing only ``pins`` lacks.

    Parameters
    ----------
    venv:
        The sandbox environment.
    pins:
        Distribution names the task's image installs (its requirements file).
    """
    return _hidden(Path(venv), frozenset(canonical(p) for p in pins))
