"""Adapter for SALLM's Python dataset (``sallm/PythonDataset``), run without Docker.

Layout read at run time (never copied into seccal)::

    PythonDataset/dataset.jsonl           {"id": "Matching_Author_A_cwe502_0.py", "technique",
                                           "source", "prompt", "insecure_code"}
    PythonDataset/<technique>/<source>/
        A_cwe502_0_requirements.txt       the task's pip requirements
        A_cwe502_0_Dockerfile             its COPY lines name the fixture files
        test_A_cwe502_0.py                unittest: test_correctness, test_vulnerability

The id encodes the folder and module: ``<technique>_<source>_<module>.py``. One
unittest file holds both roles, so each role is a :class:`TestSpec` on the same
file with a marker selector (``seccal_functional`` / ``seccal_security``); a
``conftest.py`` shipped in ``extra_files`` marks ``test_correctness`` and
``test_vulnerability`` with them when pytest runs the file.
Tasks without a test file load as ``static_only`` with the reason in metadata.
"""

from __future__ import annotations

import base64
import glob
import posixpath
import re
from pathlib import Path
from typing import Any

from seccal.core.task import SANDBOX_ENV_KEY, Task, TestRole, TestSpec
from seccal.errors import InputError
from seccal.tasks._jsonl import iter_json_objects
from seccal.tasks._pydeps import third_party_distributions
from seccal.tasks.paths import resolve_data_path
from seccal.tasks.registry import register_suite

DEFAULT_REL = "sallm/PythonDataset"
#: Sandbox environment with the package versions SALLM's Docker images install
#: (built from scripts/sandbox-requirements-sallm.txt); SALLM's code needs e.g.
#: ``flask.escape``, which the default environment's Flask 3 no longer has.
SANDBOX_ENV = "sallm"
SELECTORS = {TestRole.FUNCTIONAL: "seccal_functional", TestRole.SECURITY: "seccal_security"}
CONFTEST_NAME = "conftest.py"
# SALLM keeps both roles in one unittest file (methods test_correctness and
# test_vulnerability). pytest runs unittest files natively; this conftest, written
# next to the test file, marks each method with its role so that the usual
# ``pytest -m SELECTOR`` runs one role, as for every other suite.
CONFTEST = '''"""Added by seccal: mark SALLM's unittest methods by role for ``pytest -m``."""
import pytest

ROLES = {"test_correctness": "seccal_functional", "test_vulnerability": "seccal_security"}


def pytest_configure(config):
    for marker in ROLES.values():
        config.addinivalue_line("markers", marker + ": SALLM test role (added by seccal)")


def pytest_collection_modifyitems(items):
    for item in items:
        marker = ROLES.get(item.name)
        if marker:
            item.add_marker(getattr(pytest.mark, marker))
'''

_CWE_RE = re.compile(r"cwe[-_]?0*([1-9][0-9]*)", re.IGNORECASE)
_REQ_RE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*?)\s*(?:==|>=|<=|~=|$)", re.MULTILINE)
_KNOWN = ("id", "technique", "source", "prompt", "insecure_code")


def _requirements(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    # Some of SALLM's files lack the newline between two pins ("lxml==4.6.3Flask==2.3.3"):
    # split on every "NAME==VERSION" instead of on lines.
    text = path.read_text(encoding="utf-8")
    names = re.findall(r"([A-Za-z][A-Za-z0-9_-]*)==[0-9][0-9.]*[0-9]", text)
    if not names:
        names = [m for m in _REQ_RE.findall(text) if m]
    return tuple(dict.fromkeys(names))


def _work_path(path: str) -> str | None:
    """A Dockerfile destination as a path relative to the work dir (None if it escapes)."""
    norm = posixpath.normpath(path.lstrip("/"))
    if norm in (".", "") or norm.startswith(".."):
        return None if norm.startswith("..") else ""
    return norm


def _copy_targets(folder: Path, dockerfile: Path, skip: set[str]) -> dict[str, bytes]:
    """Fixture files the Dockerfile's ``COPY`` lines add, keyed by path in the work dir.

    ``COPY $SCRIPT_PATH`` (the solution) and the files in ``skip`` (test file,
    requirements) are left out. Follows Docker's rule that a copied directory
    contributes its contents, not itself; sources outside ``folder`` are ignored.
    """
    files: dict[str, bytes] = {}
    if not dockerfile.is_file():
        return files
    base = folder.resolve()
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[0].upper() != "COPY" or parts[1].startswith("$"):
            continue
        src, dest = parts[1], parts[2]
        if posixpath.normpath(src) in skip:
            continue
        dest_dir = _work_path(dest)
        if dest_dir is None:
            continue
        for match in sorted(Path(p) for p in glob.glob(str(folder / src))):
            if not match.resolve().is_relative_to(base):
                continue
            if match.is_file():
                name = posixpath.join(dest_dir, match.name) if dest.endswith("/") else dest_dir
                files[name] = match.read_bytes()
            elif match.is_dir():
                for f in sorted(p for p in match.rglob("*") if p.is_file()):
                    files[posixpath.join(dest_dir, f.relative_to(match).as_posix())] = (
                        f.read_bytes()
                    )
    return files


def _made_dirs(dockerfile: Path) -> tuple[str, ...]:
    """Directories the Dockerfile's ``RUN mkdir -p DIR...`` lines make (relative to the work dir).

    Some tasks write into such a folder (an upload directory) that no ``COPY`` fills.
    """
    dirs: list[str] = []
    if not dockerfile.is_file():
        return ()
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts[:3] != ["RUN", "mkdir", "-p"]:
            continue
        for name in parts[3:]:
            rel = _work_path(name)
            if rel:  # the work dir itself, or a path escaping it, needs nothing
                dirs.append(rel)
    return tuple(dict.fromkeys(dirs))


def _split_fixtures(files: dict[str, bytes]) -> tuple[dict[str, str], dict[str, str]]:
    text: dict[str, str] = {}
    binary: dict[str, str] = {}
    for name, data in files.items():
        try:
            text[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            binary[name] = base64.b64encode(data).decode("ascii")
    return text, binary


def _entry_point(test_src: str, module: str, prompt: str) -> str:
    """The first name the test imports from the module, else the prompt's last function."""
    m = re.search(rf"from\s+{re.escape(module)}\s+import\s+([A-Za-z_][A-Za-z0-9_]*)", test_src)
    if m:
        return m.group(1)
    defs = re.findall(r"^\s*def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", prompt, re.MULTILINE)
    return defs[-1] if defs else ""


def _task(root: Path, row: dict[str, Any], line_no: int, jsonl: Path) -> Task:
    for key in _KNOWN:
        if not isinstance(row.get(key), str):
            raise InputError(f"{jsonl}: line {line_no}: field {key!r} missing or not a string")
    parts = row["id"].split("_", 2)
    if len(parts) != 3 or not parts[2].endswith(".py"):
        raise InputError(
            f"{jsonl}: line {line_no}: field 'id': {row['id']!r} is not "
            "'<technique>_<source>_<module>.py'"
        )
    technique, source, filename = parts
    module = filename[:-3]
    folder = root / technique / source
    cwe = _CWE_RE.search(module)
    test_path = folder / f"test_{module}.py"
    metadata: dict[str, Any] = {
        "sallm_id": row["id"],
        "technique": technique,
        "source": source,
        "path": str(folder),
        SANDBOX_ENV_KEY: SANDBOX_ENV,
    }
    deps = _requirements(folder / f"{module}_requirements.txt") or third_party_distributions(
        row["insecure_code"]
    )
    common: dict[str, Any] = {
        "id": row["id"][:-3],
        "suite": "sallm",
        "language": "python",
        "cwes": (f"CWE-{int(cwe.group(1))}",) if cwe else (),
        "prompt": row["prompt"],
        "module_name": filename,
        "insecure_reference": row["insecure_code"],
        "dependencies": deps,
    }
    if not test_path.is_file():
        metadata["static_only_reason"] = (
            f"SALLM ships no test file for this task ({test_path.name})"
        )
        return Task(**common, static_only=True, metadata=metadata)
    test_src = test_path.read_text(encoding="utf-8")
    skip = {test_path.name, f"{module}_requirements.txt"}
    dockerfile = folder / f"{module}_Dockerfile"
    text, binary = _split_fixtures(_copy_targets(folder, dockerfile, skip))
    text[CONFTEST_NAME] = CONFTEST
    tests = tuple(
        TestSpec(
            role=role, filename=test_path.name, source=test_src, framework="unittest", selector=sel
        )
        for role, sel in SELECTORS.items()
    )
    return Task(
        **common,
        entry_point=_entry_point(test_src, module, row["prompt"]),
        tests=tests,
        extra_files=text,
        binary_files=binary,
        extra_dirs=_made_dirs(dockerfile),
        metadata=metadata,
    )


def load_sallm_dir(root: Path) -> list[Task]:
    """Every task of a SALLM ``PythonDataset`` folder, in dataset order.

    Raises
    ------
    InputError
        On a malformed ``dataset.jsonl`` line (file, line, field).
    """
    jsonl = root / "dataset.jsonl"
    if not jsonl.is_file():
        raise InputError(f"{jsonl}: missing; expected SALLM's PythonDataset folder at {root}")
    tasks: list[Task] = []
    for line_no, row in iter_json_objects(jsonl):
        tasks.append(_task(root, row, line_no, jsonl))
    return tasks


@register_suite("sallm", help="SALLM Python dataset (sallm:PATH to its PythonDataset folder)")
def load_sallm(path: Path | None) -> list[Task]:
    """SALLM from ``path`` or ``$SECCAL_BENCHMARKS/sallm/PythonDataset``."""
    root = resolve_data_path(path, DEFAULT_REL, suite="sallm")
    if (root / "PythonDataset").is_dir():
        root = root / "PythonDataset"  # accept the repository root too
    return load_sallm_dir(root)
