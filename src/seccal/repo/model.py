"""Repository-level task records.

A :class:`RepoTask` is a small repository snapshot with one masked region the
model must write. Whether the written code is secure depends on something
defined in *another* file (a parameterised-query helper, a path sanitizer, an
auth middleware, a length constant in a header), which is exactly the
situation in which published work found calibration to collapse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from seccal.core.task import Language

#: The line (stripped) in the target file that stands for the masked region.
REGION_MARKER = "<<<SECCAL_REGION>>>"

ContextMode = Literal["files", "bm25"]
StepKind = Literal["build", "functional", "exploit"]


@dataclass(frozen=True, slots=True)
class Step:
    """One command run in the work dir, with its pass condition.

    Attributes
    ----------
    kind:
        ``build`` steps must all pass before tests run; ``functional`` decides
        correctness; ``exploit`` decides security (passing means the attack
        was resisted).
    name:
        Short label shown in verdicts, e.g. ``javac`` or ``exploit``.
    argv:
        The command. ``{python}`` is replaced by the configured interpreter
        and ``{sources:EXT}`` by every snapshot file ending in ``EXT``.
    pass_exit:
        Exit status that means "pass".
    fail_if_output_contains:
        Output fragments that turn an exit-0 run into a failure (e.g. Go's
        "no tests to run", so a filtered run that matched nothing is no pass).
    timeout_s:
        Wall-clock limit; a step that exceeds it fails.
    """

    kind: StepKind
    name: str
    argv: tuple[str, ...]
    pass_exit: int = 0
    fail_if_output_contains: tuple[str, ...] = ()
    timeout_s: float = 60.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return {
            "kind": self.kind,
            "name": self.name,
            "argv": list(self.argv),
            "pass_exit": self.pass_exit,
            "fail_if_output_contains": list(self.fail_if_output_contains),
            "timeout_s": self.timeout_s,
        }


@dataclass(frozen=True, slots=True)
class ContextChoice:
    """Which context the model sees besides the masked target file.

    ``files`` gives the listed files whole; ``bm25`` ranks snippets of every
    non-test snapshot file against the target file and keeps the best within
    ``token_budget``. The choice is recorded with every prompt.
    """

    mode: ContextMode = "files"
    files: tuple[str, ...] = ()
    token_budget: int = 2000


@dataclass(frozen=True, slots=True)
class RepoTask:
    """A repository snapshot with a masked region and its checks.

    Attributes
    ----------
    id:
        Unique in the suite, kebab-case, e.g. ``c-header-name-length``.
    suite:
        Suite name (``repo`` for the built-in one).
    language:
        Language of the region to write.
    cwes:
        CWE ids the exploit is about.
    summary:
        One line describing the repository.
    safety_depends_on:
        What, in another file, decides whether the region is safe.
    instruction:
        The request to the model: what the masked region must do.
    target:
        Path (relative to the snapshot root) of the file with the region.
    files:
        The snapshot: relative path -> text. The target contains
        :data:`REGION_MARKER` on a line of its own.
    test_files:
        Test files (relative path -> text), copied into the work dir for the
        checks but never shown to the model.
    fixed_region / vulnerable_region:
        Reference texts for the region.
    steps:
        Build, functional and exploit steps, in order.
    context:
        The context choice.
    env:
        Extra environment variables for every step.
    seed_dir:
        Optional host folder copied into each work dir before the snapshot is
        written: a prepared project tree with its build outputs, so a judged
        region rebuilds only what it touches (:mod:`seccal.repo.realrepo`).
    """

    id: str
    suite: str
    language: Language
    cwes: tuple[str, ...]
    summary: str
    safety_depends_on: str
    instruction: str
    target: str
    files: Mapping[str, str]
    test_files: Mapping[str, str]
    fixed_region: str
    vulnerable_region: str
    steps: tuple[Step, ...]
    context: ContextChoice = field(default_factory=ContextChoice)
    env: Mapping[str, str] = field(default_factory=dict)
    seed_dir: str | None = None

    @property
    def key(self) -> str:
        """Globally unique key ``suite/id``."""
        return f"{self.suite}/{self.id}"

    def steps_of(self, kind: StepKind) -> tuple[Step, ...]:
        """The steps of one kind, in order."""
        return tuple(s for s in self.steps if s.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable summary (without file texts) for listings."""
        return {
            "id": self.id,
            "suite": self.suite,
            "language": self.language,
            "cwes": list(self.cwes),
            "summary": self.summary,
            "safety_depends_on": self.safety_depends_on,
            "instruction": self.instruction,
            "target": self.target,
            "files": sorted(self.files),
            "test_files": sorted(self.test_files),
            "context": {
                "mode": self.context.mode,
                "files": list(self.context.files),
                "token_budget": self.context.token_budget,
            },
            "steps": [s.to_dict() for s in self.steps],
        }
