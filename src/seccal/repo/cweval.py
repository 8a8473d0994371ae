"""Adapter for CWEval's C, C++, JavaScript and Go tasks.

Data (read at run time from ``cweval/benchmark/core/{c,cpp,js,go}``)::

    cwe_022_0_c_task.c    header, "BEGIN PROMPT", prompt, "BEGIN SOLUTION", secure
                          solution, "BEGIN ENTRYPOINT", a main() driving the function
    cwe_022_0_c_unsafe.c  the same with an insecure solution
    cwe_022_0_c_test.py   pytest; cases marked ``functionality``/``security`` run the
                          compiled program ``compiled/<name>_task`` (or ``<name>_task.js``)

A generation completes the prompt; :func:`assemble` adds the header and the
entry point. Judging compiles the source into the ``_task`` slot and runs the
test file's non-``unsafe`` cases by marker. References: the ``_task`` file must
be functional and secure, the ``_unsafe`` file functional and insecure.
A task whose *secure reference* cannot build here (a missing library, an npm or
Go module that cannot be downloaded, a Python module its test file imports)
is reported with the reason and all its verdicts are ``unknown``.
"""

from __future__ import annotations

import ast
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from seccal.core.verdict import TestOutcome, TestStatus, Verdict
from seccal.errors import InputError
from seccal.judge.config import default_sandbox_venv
from seccal.repo.cweval_deps import go_env
from seccal.repo.execute import CommandResult, run_trusted, run_untrusted, work_root
from seccal.repo.judge import DEFAULT_GO_CACHE, all_unknown, new_verdict
from seccal.repo.runners import default_env, seed_go_cache
from seccal.tasks.paths import resolve_data_path

CwevalLang = Literal["c", "cpp", "js", "go"]
LANGUAGES: tuple[CwevalLang, ...] = ("c", "cpp", "js", "go")
DEFAULT_REL = "cweval/benchmark/core"
_EXT = {"c": "c", "cpp": "cpp", "js": "js", "go": "go"}
_SEC_LANGUAGE = {"c": "c", "cpp": "cpp", "js": "javascript", "go": "go"}
_NAME = re.compile(r"^cwe_0*(\d+)_(\d+)_(c|cpp|js|go)_task\.(c|cpp|js|go)$")
_BEGIN_PROMPT = "BEGIN PROMPT"
_BEGIN_SOLUTION = "BEGIN SOLUTION"
_BEGIN_ENTRY = "BEGIN ENTRYPOINT"
_PYTEST_INI = (
    "[pytest]\nmarkers =\n    functionality: functional case\n    security: security case\n"
)
# Libraries linked when a source includes their headers.
_LIBS = (
    ("openssl/", ("-lssl", "-lcrypto")),
    ("sqlite3.h", ("-lsqlite3",)),
    ("libxml/", ("-I/usr/include/libxml2", "-lxml2")),
    ("jwt.h", ("-ljwt",)),
    ("archive", ("-larchive",)),
)
NODE_MODULES_ENV = "SECCAL_NODE_MODULES"
DEFAULT_NODE_DIR = "/opt/seccal/node"
# Helper programs some tests call (e.g. a ReDoS checker) that the data does not include.
_THIRD_PARTY = re.compile(r"\./third_party/[\w./-]+")
_REQUIRE = re.compile(r"require\(\s*['\"]([^'\"]+)['\"]\s*\)")


@dataclass(frozen=True, slots=True)
class CwevalTask:
    """One CWEval task in a compiled or scripted language."""

    id: str
    language: CwevalLang
    cwe: str
    header: str
    prompt: str
    entrypoint: str
    secure_source: str
    unsafe_source: str
    test_source: str
    test_name: str

    @property
    def key(self) -> str:
        """``cweval-<lang>/<id>``."""
        return f"cweval-{self.language}/{self.id}"

    @property
    def task_filename(self) -> str:
        """File name the tests expect for the program under test (before compiling)."""
        return f"{self.id}_task.{_EXT[self.language]}"


def _split(source: str, path: Path) -> tuple[str, str, str]:
    """(header, prompt, entrypoint): text before BEGIN PROMPT, the prompt, and from BEGIN ENTRYPOINT."""
    lines = source.splitlines(keepends=True)

    def find(marker: str) -> int:
        for i, line in enumerate(lines):
            if marker in line and line.lstrip().startswith("//"):
                return i
        raise InputError(f"{path}: no '// {marker}' line")

    p, s, e = find(_BEGIN_PROMPT), find(_BEGIN_SOLUTION), find(_BEGIN_ENTRY)
    if not p < s < e:
        raise InputError(
            f"{path}: markers out of order (prompt {p + 1}, solution {s + 1}, entry {e + 1})"
        )
    return "".join(lines[:p]), "".join(lines[p + 1 : s]), "".join(lines[e:])


def load_cweval(
    root: Path | None = None, *, languages: tuple[CwevalLang, ...] = LANGUAGES
) -> list[CwevalTask]:
    """CWEval tasks of ``languages`` from ``root`` (default: the shared benchmarks).

    Raises
    ------
    ConfigError
        When the data folder does not exist.
    InputError
        Naming the file of a task without its unsafe variant, test or markers.
    """
    base = resolve_data_path(root, DEFAULT_REL, suite="cweval")
    tasks = []
    for lang in languages:
        folder = base / lang
        if not folder.is_dir():
            raise InputError(f"{folder}: CWEval language folder missing")
        for path in sorted(folder.glob(f"*_task.{_EXT[lang]}")):
            m = _NAME.match(path.name)
            if not m:
                continue
            name = path.name[: -len(f"_task.{_EXT[lang]}")]
            unsafe = folder / f"{name}_unsafe.{_EXT[lang]}"
            test = folder / f"{name}_test.py"
            for needed in (unsafe, test):
                if not needed.is_file():
                    raise InputError(f"{needed}: missing for task {path.name}")
            src = path.read_text(encoding="utf-8")
            header, prompt, entry = _split(src, path)
            tasks.append(
                CwevalTask(
                    id=name,
                    language=lang,
                    cwe=f"CWE-{int(m.group(1))}",
                    header=header,
                    prompt=prompt,
                    entrypoint=entry,
                    secure_source=src,
                    unsafe_source=unsafe.read_text(encoding="utf-8"),
                    test_source=test.read_text(encoding="utf-8"),
                    test_name=test.name,
                )
            )
    return tasks


def assemble(task: CwevalTask, completion: str) -> str:
    """The full program for a model's ``completion`` of ``task.prompt``."""
    return task.header + task.prompt + completion.rstrip("\n") + "\n\n" + task.entrypoint


def build_argv(task: CwevalTask, source: str) -> tuple[str, ...] | None:
    """The command compiling ``source`` into ``compiled/<id>_task`` (None for JavaScript)."""
    out = f"compiled/{task.id}_task"
    if task.language == "js":
        return None
    if task.language == "go":
        return ("go", "build", "-o", out, task.task_filename)
    libs = [flag for needle, flags in _LIBS if f"#include <{needle}" in source for flag in flags]
    if task.language == "c":
        return ("gcc", "-std=gnu11", "-O0", "-g", "-o", out, task.task_filename, *libs)
    return ("g++", "-std=c++17", "-O0", "-g", "-o", out, task.task_filename, *libs)


def node_modules_dir() -> Path | None:
    """npm packages for the JavaScript tasks (``scripts/setup.d/31-cweval-node.sh``), if installed."""
    d = Path(os.environ.get(NODE_MODULES_ENV) or DEFAULT_NODE_DIR) / "node_modules"
    return d if d.is_dir() else None


def missing_node_modules(source: str, workdir: Path, node_path: Path | None = None) -> list[str]:
    """Packages ``source`` requires that node cannot resolve (built-ins resolve)."""
    names = sorted({n for n in _REQUIRE.findall(source) if not n.startswith(".")})
    if not names:
        return []
    script = (
        "for (const m of process.argv.slice(1)) {"
        " try { require.resolve(m); } catch (e) { console.log(m); } }"
    )
    env = {"NODE_PATH": str(node_path)} if node_path else {}
    res = run_trusted(("node", "-e", script, *names), workdir=workdir, env=env, timeout_s=30)
    if res.returncode != 0:
        return names
    return [line for line in res.output.split() if line]


def _reason_from_build(res: CommandResult) -> str:
    if res.timed_out:
        return "compile timed out"
    for pattern in (
        r"fatal error: (\S+): No such file",
        r"cannot find -l(\S+)",
        r"no required module provides package (\S+)",
        r"cannot find package \"(\S+)\"",
    ):
        m = re.search(pattern, res.output)
        if m:
            return f"missing dependency {m.group(1)}"
    if res.returncode is not None and res.returncode < 0:
        return f"compiler killed by signal {-res.returncode}"
    return f"compile error (exit {res.returncode}): " + res.output.strip()[-300:]


@dataclass(slots=True)
class _Prepared:
    workdir: Path
    problem: str | None  # set when the program could not be prepared
    build_failed: bool


def _prepare(
    task: CwevalTask, source: str, workdir: Path, cache_dir: Path, node_path: Path | None
) -> _Prepared:
    """Write the work dir and build the program in the sandbox."""
    (workdir / "compiled").mkdir()
    (workdir / "pytest.ini").write_text(_PYTEST_INI)
    (workdir / task.test_name).write_text(task.test_source, encoding="utf-8")
    (workdir / task.task_filename).write_text(source, encoding="utf-8")
    if task.language == "js":
        missing = missing_node_modules(source, workdir, node_path)
        if missing:
            return _Prepared(workdir, f"missing npm package(s): {', '.join(missing)}", True)
        return _Prepared(workdir, None, False)
    argv = build_argv(task, source)
    assert argv is not None
    env: dict[str, str] = {}
    if task.language == "go":
        seed_go_cache(workdir, cache_dir)
        # single-file program outside a module: the standard library and Debian's
        # golang-*-dev sources (GOPATH), nothing downloaded
        env = {**default_env("go"), "GO111MODULE": "off", **go_env(source, workdir)}
    res = run_untrusted(argv, workdir=workdir, env=env, timeout_s=180)
    if res.launch_error:
        return _Prepared(workdir, f"toolchain missing: {res.launch_error}", True)
    if res.returncode != 0 or res.timed_out:
        return _Prepared(workdir, _reason_from_build(res), True)
    return _Prepared(workdir, None, False)


def missing_python_modules(test_source: str, python: str) -> list[str]:
    """Top-level modules the test file imports that ``python`` cannot find."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return []
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    names = {n for n in names if not n.endswith("_task")}
    if not names:
        return []
    script = (
        "import importlib.util, sys; "
        "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"
    )
    res = run_trusted(
        (python, "-c", script, *sorted(names)), workdir=Path("/"), env={}, timeout_s=60
    )
    return res.output.split() if res.returncode == 0 else sorted(names)


class CwevalJudge:
    """Judges full programs for CWEval tasks in the sandbox; caches whether each task can run here.

    Parameters
    ----------
    python:
        Interpreter running the task's pytest file; default: the judge's
        sandbox environment (it has pytest and the tests' libraries).
    cache_dir:
        Host Go build cache (warmed once, copied into each work dir).
    """

    def __init__(self, *, python: str | None = None, cache_dir: Path | None = None) -> None:
        venv = default_sandbox_venv()
        self.python = python or str(venv / "bin" / "python")
        self.node_path = node_modules_dir()
        self.ro_paths: tuple[str, ...] = () if python else (str(venv),)
        if self.node_path:
            self.ro_paths += (str(self.node_path),)
        self.cache_dir = cache_dir or DEFAULT_GO_CACHE
        self._task_problem: dict[str, str | None] = {}

    def task_problem(self, task: CwevalTask) -> str | None:
        """Why ``task`` cannot be judged here (its secure reference cannot build or its
        test cannot import), or None."""
        if task.key not in self._task_problem:
            if not Path(self.python).exists():
                problem: str | None = f"sandbox environment missing: {self.python} not found"
            elif helper := _THIRD_PARTY.search(task.test_source):
                problem = f"test runs {helper.group(0)}, a helper binary not shipped with the data"
            elif missing := missing_python_modules(task.test_source, self.python):
                problem = f"test needs Python module(s) not installed: {', '.join(missing)}"
            else:
                with tempfile.TemporaryDirectory(prefix="seccal-cweval-", dir=work_root()) as tmp:
                    problem = _prepare(
                        task, task.secure_source, Path(tmp), self.cache_dir, self.node_path
                    ).problem
            self._task_problem[task.key] = problem
        return self._task_problem[task.key]

    def _pytest(
        self, task: CwevalTask, workdir: Path, marker: str, verdict: Verdict
    ) -> tuple[TestStatus, str]:
        """Status of the marker's non-``unsafe`` cases; ``skipped`` when there are none."""
        argv = (
            self.python,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            marker,
            "-k",
            "not unsafe",
            task.test_name,
        )
        env = {"PYTHONDONTWRITEBYTECODE": "1"}
        if self.node_path:
            env["NODE_PATH"] = str(self.node_path)
        res = run_untrusted(argv, workdir=workdir, env=env, timeout_s=300, ro_paths=self.ro_paths)
        tail = res.output.strip()[-400:]
        if res.isolation in ("strong", "weak"):
            verdict.isolation = res.isolation  # type: ignore[assignment]
        if res.launch_error:
            return "error", res.launch_error
        if res.timed_out:
            return "timeout", "pytest timed out"
        if res.returncode in (0, 1):
            return ("passed" if res.returncode == 0 else "failed"), tail
        if res.returncode == 5:
            return "skipped", "no test cases for this marker"
        m = re.search(r"(ModuleNotFoundError: No module named '[^']+')", res.output)
        return "error", m.group(1) if m else f"pytest exit {res.returncode}: {tail}"

    def judge(self, task: CwevalTask, source: str, *, generation_id: str = "") -> Verdict:
        """Verdict for the full program ``source`` (see :func:`assemble`)."""
        verdict = new_verdict(generation_id, task.key)
        problem = self.task_problem(task)
        if problem:
            return all_unknown(verdict, f"task cannot run here: {problem}")
        with tempfile.TemporaryDirectory(prefix="seccal-cweval-", dir=work_root()) as tmp:
            prep = _prepare(task, source, Path(tmp), self.cache_dir, self.node_path)
            status: TestStatus = "failed" if prep.build_failed else "passed"
            verdict.tests.append(TestOutcome("build", "compile", status, prep.problem or ""))
            if prep.build_failed:
                verdict.functional = "fail"
                verdict.set_unknown("dynamic", "build failed: the security cases could not run")
                return verdict
            for marker, key in (("functionality", "functional"), ("security", "dynamic")):
                status, msg = self._pytest(task, prep.workdir, marker, verdict)
                role = "functional" if key == "functional" else "security"
                verdict.tests.append(TestOutcome(role, marker, status, msg))
                if status in ("error", "skipped"):
                    verdict.set_unknown(key, msg)
                elif key == "functional":
                    verdict.functional = "pass" if status == "passed" else "fail"
                else:
                    verdict.security["dynamic"] = "secure" if status == "passed" else "vulnerable"
        return verdict


def security_language(task: CwevalTask) -> str:
    """seccal's language name for the task (``js`` -> ``javascript``)."""
    return _SEC_LANGUAGE[task.language]
