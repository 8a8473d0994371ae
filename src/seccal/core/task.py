"""The task record shared by every suite, adapter, judge and study.

A :class:`Task` is everything needed to ask a model for code and to decide,
by execution and analysis, whether the answer works and whether it is secure.
It is plain data: frozen, hashable by id, and serialisable to JSON.

Its :attr:`Task.kind` names the judge backend that decides it
(:mod:`seccal.judge.backends`): the prompt and the store do not care, the judge does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

Language = Literal["python", "javascript", "java", "c", "cpp", "go"]
Framework = Literal["pytest", "unittest"]
#: How a task is judged:
#: ``snippet`` a self-contained module run against pytest/unittest files in the sandbox;
#: ``repository`` a masked region written back into a repository snapshot, built and
#: exploited there; ``cweval_native`` a CWEval C/C++/Go/JavaScript program compiled and
#: tested with CWEval's pytest file; ``container`` an AICGSecEval instance whose image's
#: commands a container engine runs.
TaskKind = Literal["snippet", "repository", "cweval_native", "container"]
TASK_KINDS: tuple[TaskKind, ...] = ("snippet", "repository", "cweval_native", "container")
#: ``Task.metadata`` key naming the sandbox environment the task's tests need when
#: the default one does not fit (SALLM pins older Flask); see ``seccal.judge.config``.
SANDBOX_ENV_KEY = "sandbox_env"
#: ``Task.metadata`` key: the command a benchmark's own harness runs the tests with
#: (argv, e.g. SALLM's ``["python", "test_runner.py", "test_X"]``); the judge's driver
#: then runs that Python script in-process instead of pytest, and the ``unittest``
#: test specs' selectors name the test methods of each role.
TEST_COMMAND_KEY = "test_command"
#: ``Task.metadata`` key: absolute working directory of that command (Docker's ``WORKDIR``).
WORKDIR_KEY = "workdir"
#: ``Task.metadata`` key: the ``{distribution: version}`` pins the task's own image
#: installs; the judge hides the sandbox environment's other packages from its tests.
IMAGE_PINS_KEY = "pip_pins"
#: ``Task.metadata`` key: CPU seconds one test run of the task may use, where its
#: benchmark's own harness allows more than the judge's default (SALLM's sets no
#: limit, and one of its tests calls the snippet a million times). The run's wall-clock
#: limit then counts only the time it neither runs nor waits for a CPU.
CPU_LIMIT_KEY = "test_cpu_s"


class TestRole(StrEnum):
    """What a test file decides."""

    FUNCTIONAL = "functional"
    SECURITY = "security"

    __test__ = False  # not a pytest test class


@dataclass(frozen=True, slots=True)
class TestSpec:
    """One test file run against the generated code.

    Attributes
    ----------
    role:
        ``functional`` tests decide ``correct``; ``security`` tests (exploits)
        decide ``secure``.
    filename:
        Name of the file inside the sandbox work dir, e.g. ``test_security.py``.
    source:
        The test file's text.
    framework:
        ``pytest`` or ``unittest``.
    selector:
        Optional pytest ``-m`` marker expression selecting the part of a file
        that holds both roles (CWEval: ``functionality`` / ``security``). Files
        of either framework run under pytest, which runs unittest classes too,
        unless the task names its own test command (``metadata["test_command"]``,
        SALLM): then a ``unittest`` spec's selector is the name of the test
        method that decides its role.
    """

    __test__ = False  # not a pytest test class

    role: TestRole
    filename: str
    source: str
    framework: Framework = "pytest"
    selector: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A self-contained code-generation task with its checks.

    Attributes
    ----------
    id:
        Unique within its suite, e.g. ``sql-injection-user-lookup``.
    suite:
        Suite name, e.g. ``builtin``, ``sallm``, ``cweval``.
    language:
        Language of the code to write.
    cwes:
        CWE ids this task is about, as ``"CWE-89"`` strings.
    prompt:
        What the model is asked to complete (a code prefix with a docstring,
        or an instruction).
    module_name:
        File name the generated code is saved under in the work dir, e.g.
        ``solution.py``; tests import it from there.
    entry_point:
        The function or object the tests call (documentation for prompts).
    tests:
        Functional and security tests.
    secure_reference / insecure_reference:
        Reference solutions (full module text) used to validate the tests.
    dependencies:
        Python distributions (or toolchain packages) the code may import; they
        are provided read-only by the prepared sandbox environment.
    extra_files:
        Extra files written to the work dir before the tests run (fixtures).
    binary_files:
        Binary fixture files (images, SQLite databases), path in the work dir
        to base64-encoded content; written decoded next to ``extra_files``.
    extra_dirs:
        Directories made (empty) in the work dir before the tests run, e.g. an
        upload folder the code writes into.
    static_only:
        True for tasks with no executable tests (e.g. SecurityEval): only
        static analysis can label them.
    kind:
        Which judge backend decides the task (:data:`TaskKind`).
    metadata:
        Free-form, JSON-serialisable provenance (source path, benchmark ids).
    """

    id: str
    suite: str
    language: Language
    cwes: tuple[str, ...]
    prompt: str
    module_name: str
    entry_point: str = ""
    tests: tuple[TestSpec, ...] = ()
    secure_reference: str | None = None
    insecure_reference: str | None = None
    dependencies: tuple[str, ...] = ()
    extra_files: Mapping[str, str] = field(default_factory=dict)
    binary_files: Mapping[str, str] = field(default_factory=dict)
    extra_dirs: tuple[str, ...] = ()
    static_only: bool = False
    kind: TaskKind = "snippet"
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def tests_for(self, role: TestRole) -> tuple[TestSpec, ...]:
        """The test files that decide ``role``."""
        return tuple(t for t in self.tests if t.role == role)

    @property
    def key(self) -> str:
        """Globally unique key ``suite/id``."""
        return f"{self.suite}/{self.id}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (inverse of :func:`task_from_dict`)."""
        d = asdict(self)
        d["cwes"] = list(self.cwes)
        d["dependencies"] = list(self.dependencies)
        d["extra_files"] = dict(self.extra_files)
        d["binary_files"] = dict(self.binary_files)
        d["extra_dirs"] = list(self.extra_dirs)
        d["metadata"] = dict(self.metadata)
        d["tests"] = [{**asdict(t), "role": str(t.role)} for t in self.tests]
        return d


def task_from_dict(data: Mapping[str, Any]) -> Task:
    """Rebuild a :class:`Task` from :meth:`Task.to_dict` output."""
    tests = tuple(
        TestSpec(
            role=TestRole(t["role"]),
            filename=t["filename"],
            source=t["source"],
            framework=t.get("framework", "pytest"),
            selector=t.get("selector"),
        )
        for t in data.get("tests", ())
    )
    return Task(
        id=data["id"],
        suite=data["suite"],
        language=data["language"],
        cwes=tuple(data.get("cwes", ())),
        prompt=data["prompt"],
        module_name=data["module_name"],
        entry_point=data.get("entry_point", ""),
        tests=tests,
        secure_reference=data.get("secure_reference"),
        insecure_reference=data.get("insecure_reference"),
        dependencies=tuple(data.get("dependencies", ())),
        extra_files=dict(data.get("extra_files", {})),
        binary_files=dict(data.get("binary_files", {})),
        extra_dirs=tuple(data.get("extra_dirs", ())),
        static_only=bool(data.get("static_only", False)),
        kind=_kind(data),
        metadata=dict(data.get("metadata", {})),
    )


def _kind(data: Mapping[str, Any]) -> TaskKind:
    kind = data.get("kind")
    if kind is None and (data.get("metadata") or {}).get("runner") == "repo":
        return "repository"  # stores written before Task.kind existed
    for known in TASK_KINDS:
        if kind in (None, known):
            return known if kind is not None else "snippet"
    raise ValueError(f"unknown task kind {kind!r}; known: {', '.join(TASK_KINDS)}")
