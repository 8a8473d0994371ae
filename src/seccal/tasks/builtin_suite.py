"""Loader of suites in seccal's own on-disk format (the ``builtin`` suite).

One folder per task, named by the task id::

    <task-id>/
      task.toml            id, cwes, entry_point, kind, dependencies, summary
      prompt.py            the code prefix the model completes
      secure.py            secure reference; starts with the text of prompt.py
      insecure.py          insecure reference; starts with the text of prompt.py
      test_functional.py   pytest, decides ``correct``
      test_security.py     pytest exploits, decide ``secure``
      files/               optional fixtures copied next to solution.py

Every problem found is reported at once, each as ``file: field: reason``.
"""

from __future__ import annotations

import ast
import base64
import re
import tomllib
from pathlib import Path
from typing import Any

from seccal.core.task import Task, TestRole, TestSpec
from seccal.errors import InputError
from seccal.tasks.paths import repo_root
from seccal.tasks.registry import register_suite

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
MODULE_NAME = "solution.py"
KINDS = ("flask", "library")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CWE_RE = re.compile(r"^CWE-[1-9][0-9]*$")
_REQUIRED_FILES = (
    "task.toml",
    "prompt.py",
    "secure.py",
    "insecure.py",
    "test_functional.py",
    "test_security.py",
)
_TEST_FILES = {"test_functional.py": TestRole.FUNCTIONAL, "test_security.py": TestRole.SECURITY}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def sandbox_packages(path: Path | None = None) -> frozenset[str] | None:
    """Normalised names of the packages the sandbox provides, or None if unknown.

    Read from ``scripts/sandbox-requirements.txt`` of the source checkout; an
    installed wheel has no such file and then dependencies are not checked.
    """
    req = path or repo_root() / "scripts" / "sandbox-requirements.txt"
    if not req.is_file():
        return None
    names = set()
    for line in req.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
            if m:
                names.add(_norm(m.group(0)))
    return frozenset(names)


class _Problems:
    """Collects ``file: field: reason`` lines for one suite."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, file: Path, field: str, reason: str) -> None:
        self.lines.append(f"{file}: {field}: {reason}")


def _read_meta(folder: Path, problems: _Problems) -> dict[str, Any] | None:
    toml_path = folder / "task.toml"
    try:
        meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        problems.add(toml_path, "-", f"invalid TOML: {exc}")
        return None
    ok = True

    def want(field: str, typ: type, *, required: bool = True) -> None:
        nonlocal ok
        if field not in meta:
            if required:
                problems.add(toml_path, field, "missing")
                ok = False
        elif not isinstance(meta[field], typ):
            problems.add(toml_path, field, f"must be a {typ.__name__}")
            ok = False

    for name, typ in (("id", str), ("cwes", list), ("entry_point", str), ("kind", str)):
        want(name, typ)
    want("dependencies", list, required=False)
    want("summary", str, required=False)
    if not ok:
        return None
    if meta["id"] != folder.name:
        problems.add(toml_path, "id", f"{meta['id']!r} differs from folder name {folder.name!r}")
    if not _ID_RE.match(meta["id"]):
        problems.add(toml_path, "id", f"{meta['id']!r} is not lowercase kebab-case")
    if not meta["cwes"]:
        problems.add(toml_path, "cwes", "empty; give at least one CWE")
    for cwe in meta["cwes"]:
        if not isinstance(cwe, str) or not _CWE_RE.match(cwe):
            problems.add(toml_path, "cwes", f"{cwe!r} is not of the form 'CWE-89'")
    if meta["kind"] not in KINDS:
        problems.add(toml_path, "kind", f"{meta['kind']!r} is not one of {', '.join(KINDS)}")
    if not meta["entry_point"]:
        problems.add(toml_path, "entry_point", "empty")
    return meta


def _check_python(path: Path, text: str, problems: _Problems) -> None:
    try:
        ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        problems.add(path, f"line {exc.lineno}", f"not valid Python: {exc.msg}")


def _fixtures(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    text: dict[str, str] = {}
    binary: dict[str, str] = {}
    base = folder / "files"
    if base.is_dir():
        for f in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = f.relative_to(base).as_posix()
            data = f.read_bytes()
            try:
                text[rel] = data.decode("utf-8")
            except UnicodeDecodeError:
                binary[rel] = base64.b64encode(data).decode("ascii")
    return text, binary


def load_task_folder(
    folder: Path, *, suite: str = "builtin", allowed: frozenset[str] | None = None
) -> Task:
    """Load and validate one task folder.

    Raises
    ------
    InputError
        Listing every problem as ``file: field: reason``.
    """
    problems = _Problems()
    task = _load(folder, suite, allowed, problems)
    if problems.lines or task is None:
        raise InputError("invalid task folder:\n  " + "\n  ".join(problems.lines))
    return task


def _load(
    folder: Path, suite: str, allowed: frozenset[str] | None, problems: _Problems
) -> Task | None:
    missing = [f for f in _REQUIRED_FILES if not (folder / f).is_file()]
    for name in missing:
        problems.add(folder / name, "-", "required file missing")
    if missing:
        return None
    meta = _read_meta(folder, problems)
    texts = {name: (folder / name).read_text(encoding="utf-8") for name in _REQUIRED_FILES[1:]}
    for name, text in texts.items():
        _check_python(folder / name, text, problems)
    prompt = texts["prompt.py"]
    if not prompt.strip():
        problems.add(folder / "prompt.py", "-", "empty prompt")
    for ref in ("secure.py", "insecure.py"):
        if not texts[ref].startswith(prompt):
            problems.add(folder / ref, "-", "does not begin with the exact text of prompt.py")
    if texts["secure.py"] == texts["insecure.py"]:
        problems.add(folder / "insecure.py", "-", "identical to secure.py")
    if meta is None:
        return None
    deps = meta.get("dependencies", [])
    for dep in deps:
        if not isinstance(dep, str):
            problems.add(folder / "task.toml", "dependencies", f"{dep!r} is not a string")
        elif allowed is not None and _norm(dep) not in allowed:
            problems.add(
                folder / "task.toml",
                "dependencies",
                f"{dep!r} is not in scripts/sandbox-requirements.txt",
            )
    if meta["entry_point"] and meta["entry_point"] not in prompt:
        problems.add(folder / "prompt.py", "-", f"entry point {meta['entry_point']!r} not in it")
    extra, binary = _fixtures(folder)
    return Task(
        id=meta["id"],
        suite=suite,
        language="python",
        cwes=tuple(meta["cwes"]),
        prompt=prompt,
        module_name=MODULE_NAME,
        entry_point=meta["entry_point"],
        tests=tuple(
            TestSpec(role=role, filename=name, source=texts[name], framework="pytest")
            for name, role in _TEST_FILES.items()
        ),
        secure_reference=texts["secure.py"],
        insecure_reference=texts["insecure.py"],
        dependencies=tuple(str(d) for d in deps),
        extra_files=extra,
        binary_files=binary,
        metadata={"kind": meta["kind"], "summary": meta.get("summary", ""), "path": str(folder)},
    )


def load_builtin_dir(root: Path, *, suite: str = "builtin") -> list[Task]:
    """Load every task folder under ``root``, sorted by id.

    Raises
    ------
    InputError
        Listing every problem of every folder (file: field: reason).
    """
    if not root.is_dir():
        raise InputError(f"{root}: not a folder of task folders")
    allowed = sandbox_packages()
    problems = _Problems()
    tasks: list[Task] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue  # __pycache__, editor folders
        task = _load(folder, suite, allowed, problems)
        if task is not None:
            tasks.append(task)
    if problems.lines:
        raise InputError(
            f"{len(problems.lines)} problem(s) in suite {suite!r} at {root}:\n  "
            + "\n  ".join(problems.lines)
        )
    return tasks


@register_suite("builtin", help="seccal's own Python tasks (optionally builtin:PATH for your own)")
def load_builtin(path: Path | None) -> list[Task]:
    """The built-in suite, or a suite in the same format at ``path``."""
    return load_builtin_dir(path if path is not None else BUILTIN_DIR)
