"""Adapter for CWEval's Python tasks (``cweval/benchmark/core/py``).

Each task is a pair read at run time (never copied into seccal)::

    cwe_020_0_task.py   the reference solution: prompt, then ``# BEGIN SOLUTION`` and a
                        functional and secure body
    cwe_020_0_test.py   pytest; cases marked ``functionality`` or ``security``; it also
                        defines ``<entry>_unsafe`` variants that it tests on itself

The prompt is the task file up to the ``# BEGIN SOLUTION`` line. The insecure
reference is the prompt completed with the body of the first ``_unsafe`` variant.
Both roles live in one file, so each :class:`TestSpec` selects with ``-m``.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

from seccal.core.task import Task, TestRole, TestSpec
from seccal.errors import InputError
from seccal.tasks._pydeps import third_party_distributions
from seccal.tasks.paths import resolve_data_path
from seccal.tasks.registry import register_suite

DEFAULT_REL = "cweval/benchmark/core/py"
MARKER = "# BEGIN SOLUTION"
SELECTORS = {TestRole.FUNCTIONAL: "functionality", TestRole.SECURITY: "security"}
_NAME_RE = re.compile(r"^cwe_0*([1-9][0-9]*)_([0-9]+)_task\.py$")
_PYTEST_INI = "[pytest]\nmarkers =\n    functionality: functionality\n    security: security\n"


def split_prompt(task_src: str, path: Path) -> str:
    """The task file up to (not including) its ``# BEGIN SOLUTION`` line."""
    idx = task_src.find(MARKER)
    if idx < 0:
        raise InputError(f"{path}: no '{MARKER}' line separating prompt and solution")
    return task_src[: task_src.rfind("\n", 0, idx) + 1]


def _defined_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _used_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def unsafe_completion(test_src: str, entry_point: str, path: Path) -> str | None:
    """Completion of the prompt taken from the test file's first ``<entry_point>_unsafe*``.

    Returns the unsafe function's body (indented 4 spaces, docstring dropped),
    followed at module level by what it needs from the test file: the file's
    imports (other than pytest and the task module) and the top-level
    definitions it refers to, transitively. Module-level code after the function
    keeps the prompt an exact prefix of the insecure reference.
    """
    try:
        tree = ast.parse(test_src)
    except SyntaxError as exc:
        raise InputError(f"{path}: line {exc.lineno}: not valid Python: {exc.msg}") from exc
    lines = test_src.splitlines()
    pattern = re.compile(rf"^{re.escape(entry_point)}_unsafe(_[0-9]+)?$")
    target = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and pattern.match(n.name)), None
    )
    if target is None:
        return None
    imports: list[str] = []
    definitions: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            mod = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            if mod and (mod == "pytest" or mod.endswith("_task")):
                continue
            imports.append(ast.get_source_segment(test_src, node) or "")
        elif node is not target:
            for name in _defined_names(node):
                definitions.setdefault(name, node)
    needed: list[ast.stmt] = []
    todo = list(_used_names(target))
    while todo:
        name = todo.pop()
        found = definitions.pop(name) if name in definitions else None
        if found is not None and found not in needed:
            needed.append(found)
            todo.extend(_used_names(found))
    body = target.body
    first = body[0]
    if (
        len(body) > 1
        and isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        body = body[1:]  # drop the docstring; the prompt has its own
    start = body[0].lineno - 1
    end = target.end_lineno or len(lines)
    code = textwrap.indent(textwrap.dedent("\n".join(lines[start:end])), "    ") + "\n"
    support = [i for i in imports if i]
    support += [
        ast.get_source_segment(test_src, n) or "" for n in sorted(needed, key=lambda n: n.lineno)
    ]
    if support:
        code += "\n\n# Support code from the CWEval test file.\n" + "\n\n".join(support) + "\n"
    return code


# Helper programs some CWEval tests call that the data does not include.
_THIRD_PARTY = re.compile(r"\./third_party/[\w./-]+")


def _entry_point(prompt: str) -> str:
    names = re.findall(r"^def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(", prompt, re.MULTILINE)
    return names[-1] if names else ""


def load_task_pair(task_path: Path) -> Task:
    """One CWEval task from its ``*_task.py`` file and the sibling ``*_test.py``."""
    m = _NAME_RE.match(task_path.name)
    if m is None:
        raise InputError(f"{task_path}: name is not 'cwe_<n>_<k>_task.py'")
    test_path = task_path.with_name(task_path.name.replace("_task.py", "_test.py"))
    if not test_path.is_file():
        raise InputError(f"{test_path}: missing test file for {task_path.name}")
    task_src = task_path.read_text(encoding="utf-8")
    test_src = test_path.read_text(encoding="utf-8")
    prompt = split_prompt(task_src, task_path)
    entry = _entry_point(prompt)
    if not entry:
        raise InputError(f"{task_path}: no top-level function in the prompt")
    unsafe = unsafe_completion(test_src, entry, test_path)
    ini = task_path.parent.parent / "pytest.ini"
    metadata = {"path": str(task_path), "test_path": str(test_path)}
    helper = _THIRD_PARTY.search(test_src)
    if helper is not None:
        # e.g. a ReDoS checker binary: without it the security test crashes, which
        # would read as "vulnerable" for every answer.
        metadata["static_only_reason"] = (
            f"test runs {helper.group(0)}, a helper binary not shipped with the data"
        )
    return Task(
        id=task_path.name[: -len("_task.py")],
        suite="cweval",
        language="python",
        cwes=(f"CWE-{int(m.group(1))}",),
        prompt=prompt,
        module_name=task_path.name,
        entry_point=entry,
        tests=tuple(
            TestSpec(role=role, filename=test_path.name, source=test_src, selector=sel)
            for role, sel in SELECTORS.items()
        ),
        secure_reference=task_src,
        insecure_reference=prompt + unsafe if unsafe is not None else None,
        dependencies=third_party_distributions(
            task_src, test_src, local={task_path.stem, test_path.stem, "pytest"}
        ),
        extra_files={
            "pytest.ini": ini.read_text(encoding="utf-8") if ini.is_file() else _PYTEST_INI
        },
        static_only=helper is not None,
        metadata=metadata,
    )


def load_cweval_dir(root: Path) -> list[Task]:
    """Every ``cwe_*_task.py`` under ``root`` (CWEval's ``core/py`` folder), sorted by id."""
    paths = sorted(root.glob("cwe_*_task.py"))
    if not paths:
        raise InputError(f"{root}: no cwe_*_task.py files; expected CWEval's benchmark/core/py")
    return [load_task_pair(p) for p in paths]


@register_suite("cweval", help="CWEval Python tasks (cweval:PATH to benchmark/core/py)")
def load_cweval(path: Path | None) -> list[Task]:
    """CWEval Python from ``path`` or ``$SECCAL_BENCHMARKS/cweval/benchmark/core/py``."""
    root = resolve_data_path(path, DEFAULT_REL, suite="cweval")
    if (root / "benchmark" / "core" / "py").is_dir():
        root = root / "benchmark" / "core" / "py"  # accept the repository root too
    return load_cweval_dir(root)
