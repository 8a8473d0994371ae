"""What a task's Dockerfile builds, as a plan the sandbox can reproduce without Docker.

:func:`plan_image` walks a parsed Dockerfile (:mod:`seccal.tasks.dockerfile`) in
order and records the parts a test can observe: the working directory, every
file ``COPY``/``ADD`` puts there (Docker's rules: a copied directory contributes
its contents; wildcards match in the build context), folders ``RUN mkdir``
makes, files ``RUN echo ... > FILE`` writes, ``ENV`` values, the ``pip`` and
``apt-get`` installs, and the command ``ENTRYPOINT``/``CMD`` run. Each
instruction also yields a :class:`Step` saying whether the sandbox reproduces
it, and if not why; host-dependent parts (interpreter, package versions) are
checked by :mod:`seccal.tasks.parity`.

A build argument without a default copied by ``COPY $ARG DEST`` is the
benchmark's input: the generated solution, placed at ``DEST`` under the name
the caller gives.

Why ~400 lines in one module: one walk over the instructions (:class:`_Builder`),
each handler writing the plan and its own :class:`Step` together; split, a handler
and the step that reports it would live apart.
"""

from __future__ import annotations

import glob
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from seccal.errors import InputError
from seccal.tasks.dockerfile import Instruction, expand

__all__ = ["ImagePlan", "Step", "StepStatus", "plan_image"]

StepStatus = Literal["reproduced", "deviates", "not-reproduced", "no-effect"]
_PY_RE = re.compile(r"python(?:3(?:\.\d+)?)?")
_SEPARATORS = {"&&", "||", ";", "|", "&"}
_ECHO_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


@dataclass(frozen=True, slots=True)
class Step:
    """Whether the sandbox reproduces one Dockerfile instruction (or one aspect of it)."""

    line: int
    instruction: str
    status: StepStatus
    note: str = ""


@dataclass(slots=True)
class ImagePlan:
    """The observable result of a Dockerfile build.

    Attributes
    ----------
    base:
        The ``FROM`` image.
    workdir:
        Absolute working directory of the command (last ``WORKDIR``).
    files:
        Files in the work dir, by path relative to it, with their bytes.
    dirs:
        Folders made in the work dir (``RUN mkdir``, ``WORKDIR`` below it).
    solution:
        Path (relative to the work dir) where the generated solution is copied.
    requirement_files:
        Files installed with ``pip install -r`` (relative to the work dir).
    pip_packages:
        Requirement specs installed by name (``pip install flask==2.3.3``).
    apt_packages:
        Debian packages ``apt-get install`` adds.
    env:
        ``ENV`` values.
    command:
        ``ENTRYPOINT`` followed by ``CMD`` (exec form; a shell form becomes ``/bin/sh -c``).
    user:
        The ``USER`` the command runs as (empty: root).
    steps:
        One :class:`Step` per instruction (environment steps come from :mod:`parity`).
    """

    base: str = ""
    workdir: str = "/"
    files: dict[str, bytes] = field(default_factory=dict)
    dirs: list[str] = field(default_factory=list)
    solution: str | None = None
    requirement_files: list[str] = field(default_factory=list)
    pip_packages: list[str] = field(default_factory=list)
    apt_packages: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    command: tuple[str, ...] = ()
    user: str = ""
    steps: list[Step] = field(default_factory=list)
    #: absolute paths while building; rebased on the final work dir by :func:`plan_image`
    _abs_files: dict[str, bytes] = field(default_factory=dict)
    _abs_dirs: list[str] = field(default_factory=list)

    def command_script(self) -> str | None:
        """The Python script the command runs (``python SCRIPT ...``), else ``None``."""
        cmd = self.command
        if (
            len(cmd) >= 2
            and _PY_RE.fullmatch(posixpath.basename(cmd[0]))
            and cmd[1].endswith(".py")
        ):
            return cmd[1]
        return None


def _echo_text(words: list[str]) -> str:
    """What ``/bin/sh``'s ``echo`` (dash, the image's ``sh``) prints for ``words``."""
    text = " ".join(words)
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "c":
                return "".join(out)  # \c: stop, no newline
            if nxt in _ECHO_ESCAPES:
                out.append(_ECHO_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "\\":
                out.append("\\")
                i += 2
                continue
            if nxt == "0":
                digits = re.match(r"[0-7]{0,3}", text[i + 2 :])
                value = digits.group(0) if digits else ""
                out.append(chr(int(value or "0", 8)))
                i += 2 + len(value)
                continue
        out.append(ch)
        i += 1
    return "".join(out) + "\n"


class _Builder:
    def __init__(self, context: Path, solution_name: str) -> None:
        self.context = context.resolve()
        self.solution_name = solution_name
        self.plan = ImagePlan()
        self.vars: dict[str, str] = {}
        self.inputs: set[str] = set()
        self.entrypoint: tuple[str, ...] = ()
        self.cmd: tuple[str, ...] = ()

    # -- helpers ------------------------------------------------------------
    def step(self, ins: Instruction, status: StepStatus, note: str = "") -> None:
        self.plan.steps.append(Step(ins.line, str(ins), status, note))

    def absolute(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.plan.workdir, path))

    # -- instructions -------------------------------------------------------
    def run(self, ins: Instruction) -> None:
        handler = getattr(self, f"do_{ins.keyword.lower()}", None)
        if handler is None:
            self.step(ins, "not-reproduced", f"instruction {ins.keyword} is not interpreted")
            return
        handler(ins)

    def do_from(self, ins: Instruction) -> None:
        words = ins.words(self.vars)
        self.plan.base = words[0] if words else ""
        # the interpreter and packages are checked against the host by seccal.tasks.parity

    def do_arg(self, ins: Instruction) -> None:
        for word in ins.words():
            name, eq, default = word.partition("=")
            if eq:
                self.vars.setdefault(name, expand(default, self.vars))
            else:
                self.inputs.add(name)
        self.step(ins, "no-effect", "build argument")

    def do_env(self, ins: Instruction) -> None:
        words = ins.words(self.vars)
        pairs: list[tuple[str, str]] = []
        if words and "=" not in words[0]:
            pairs.append((words[0], " ".join(words[1:])))  # legacy "ENV NAME value"
        else:
            pairs = [(w.partition("=")[0], w.partition("=")[2]) for w in words]
        for name, value in pairs:
            self.vars[name] = value
            self.plan.env[name] = value
        self.step(ins, "reproduced", "set in the test process's environment")

    def do_workdir(self, ins: Instruction) -> None:
        words = ins.words(self.vars)
        if not words:
            raise InputError(f"line {ins.line}: WORKDIR without a path")
        self.plan.workdir = self.absolute(words[0])
        self.plan._abs_dirs.append(self.plan.workdir)
        self.step(ins, "reproduced")

    def do_user(self, ins: Instruction) -> None:
        self.plan.user = " ".join(ins.words(self.vars))
        self.step(ins, "deviates", "the sandbox runs tests as its own unprivileged uid")

    def do_cmd(self, ins: Instruction) -> None:
        self.cmd = ins.exec_form or ("/bin/sh", "-c", ins.value)
        self.step(ins, "reproduced", "the test command (see 'command')")

    def do_entrypoint(self, ins: Instruction) -> None:
        self.entrypoint = ins.exec_form or ("/bin/sh", "-c", ins.value)
        self.cmd = ()  # Docker: ENTRYPOINT resets an inherited CMD
        self.step(ins, "reproduced", "the test command (see 'command')")

    def do_expose(self, ins: Instruction) -> None:
        self.step(ins, "no-effect", "documents a port; tests use in-process clients")

    def do_label(self, ins: Instruction) -> None:
        self.step(ins, "no-effect")

    def do_copy(self, ins: Instruction) -> None:
        words = ins.words(self.vars) if ins.exec_form is not None else self._copy_words(ins)
        flags = [w for w in words if w.startswith("--")]
        args = [w for w in words if not w.startswith("--")]
        if any(f.startswith("--from") for f in flags):
            self.step(ins, "not-reproduced", "copies from another build stage")
            return
        if len(args) < 2:
            raise InputError(f"line {ins.line}: {ins.keyword} needs a source and a destination")
        *sources, dest = args
        notes: list[str] = []
        status: StepStatus = "reproduced"
        for src in sources:
            if src in self.inputs:
                into = dest.endswith("/") or dest == "."
                path = self.absolute(posixpath.join(dest, self.solution_name) if into else dest)
                self.plan.solution = path
                notes.append(f"the generated solution as {posixpath.basename(path)}")
                continue
            if ins.keyword == "ADD" and re.match(r"[a-z]+://", src):
                status = "not-reproduced"
                notes.append(f"downloads {src} (no network in the sandbox)")
                continue
            copied = self._copy_one(src, dest, many=len(sources) > 1 or glob.has_magic(src))
            if copied == 0:
                status = "not-reproduced"
                notes.append(f"{src}: no such file in the build context")
            else:
                notes.append(f"{copied} file(s) from {src}")
        self.step(ins, status, "; ".join(notes))

    do_add = do_copy

    def _copy_words(self, ins: Instruction) -> list[str]:
        # a build input stays a name ($SCRIPT_PATH), it is not expanded to ""
        words = ins.words()
        out = []
        for w in words:
            m = re.fullmatch(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", w)
            out.append(m.group(1) if m and m.group(1) in self.inputs else expand(w, self.vars))
        return out

    def _copy_one(self, src: str, dest: str, *, many: bool) -> int:
        matches = sorted(glob.glob(str(self.context / src.lstrip("/"))))
        count = 0
        into_dir = dest.endswith("/") or dest == "." or many
        for match in (Path(m) for m in matches):
            if not match.resolve().is_relative_to(self.context):
                continue  # Docker forbids sources outside the context
            if match.is_dir():
                for f in sorted(p for p in match.rglob("*") if p.is_file()):
                    rel = f.relative_to(match).as_posix()
                    self.plan._abs_files[self.absolute(posixpath.join(dest, rel))] = f.read_bytes()
                    count += 1
                for d in sorted(p for p in match.rglob("*") if p.is_dir()):
                    self.plan._abs_dirs.append(
                        self.absolute(posixpath.join(dest, d.relative_to(match).as_posix()))
                    )
            elif match.is_file():
                target = posixpath.join(dest, match.name) if into_dir else dest
                self.plan._abs_files[self.absolute(target)] = match.read_bytes()
                count += 1
        return count

    def do_run(self, ins: Instruction) -> None:
        if ins.exec_form is not None:
            commands = [list(ins.exec_form)]
        else:
            lexer = shlex.shlex(ins.value, posix=True, punctuation_chars=";&|<>")
            lexer.whitespace_split = True
            try:
                tokens = list(lexer)
            except ValueError as exc:
                raise InputError(f"line {ins.line}: RUN: {exc}") from exc
            commands = [[]]
            for tok in tokens:
                if tok in _SEPARATORS:
                    commands.append([])
                else:
                    commands[-1].append(tok)
        results = [self._run_command(c) for c in commands if c]
        order: tuple[StepStatus, ...] = ("not-reproduced", "deviates", "reproduced", "no-effect")
        status: StepStatus = min((s for s, _ in results), key=order.index, default="no-effect")
        self.step(ins, status, "; ".join(n for _, n in results if n))

    def _run_command(self, argv: list[str]) -> tuple[StepStatus, str]:
        redirect = next((i for i, w in enumerate(argv) if w in (">", ">>")), None)
        target = argv[redirect + 1] if redirect is not None and redirect + 1 < len(argv) else None
        words = argv if redirect is None else argv[:redirect]
        name = posixpath.basename(words[0]) if words else ""
        if name == "echo" and target is not None:
            path = self.absolute(target)
            old = self.plan._abs_files.get(path, b"") if argv[redirect or 0] == ">>" else b""
            self.plan._abs_files[path] = old + _echo_text(words[1:]).encode()
            return "reproduced", f"writes {target}"
        if target is not None:
            return "not-reproduced", f"output of {name} written to {target}"
        if name == "mkdir":
            made = [w for w in words[1:] if not w.startswith("-")]
            self.plan._abs_dirs.extend(self.absolute(d) for d in made)
            return "reproduced", "makes " + ", ".join(made)
        if name == "touch":
            for w in words[1:]:
                if not w.startswith("-"):
                    self.plan._abs_files.setdefault(self.absolute(w), b"")
            return "reproduced", ""
        if name in ("pip", "pip3") or (_PY_RE.fullmatch(name) and words[1:3] == ["-m", "pip"]):
            return self._pip(words[words.index("install") + 1 :] if "install" in words else [])
        if name in ("apt-get", "apt"):
            if "install" in words:
                pkgs = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
                self.plan.apt_packages.extend(pkgs)
                return "reproduced", "apt packages (checked on the host: see 'environment')"
            return "no-effect", ""
        if name == "rm" and all(
            not self._inside(self.absolute(w)) for w in words[1:] if not w.startswith("-")
        ):
            return "no-effect", "removes files outside the work dir"
        return "not-reproduced", f"command {' '.join(words)[:60]!r} is not interpreted"

    def _pip(self, args: list[str]) -> tuple[StepStatus, str]:
        it = iter(args)
        for word in it:
            if word in ("-r", "--requirement"):
                req = next(it, "")
                self.plan.requirement_files.append(self.absolute(req))
            elif word.startswith("--requirement="):
                self.plan.requirement_files.append(self.absolute(word.split("=", 1)[1]))
            elif not word.startswith("-"):
                self.plan.pip_packages.append(word)
        return "reproduced", "pip install (checked against the sandbox environment)"

    def _inside(self, path: str) -> bool:
        wd = self.plan.workdir
        return path == wd or path.startswith(wd.rstrip("/") + "/")

    # -- result -------------------------------------------------------------
    def finish(self) -> ImagePlan:
        plan = self.plan
        plan.command = (*self.entrypoint, *self.cmd)
        wd = plan.workdir
        for path, data in plan._abs_files.items():
            if self._inside(path) and path != wd:
                plan.files[posixpath.relpath(path, wd)] = data
            else:
                plan.steps.append(Step(0, f"file {path}", "not-reproduced", "outside the work dir"))
        for path in dict.fromkeys(plan._abs_dirs):
            if self._inside(path) and path != wd:
                plan.dirs.append(posixpath.relpath(path, wd))
            elif not self._inside(path) and not any(
                f.startswith(path.rstrip("/") + "/") for f in plan._abs_files
            ):
                plan.steps.append(
                    Step(0, f"folder {path}", "not-reproduced", "outside the work dir")
                )
        plan.requirement_files = [
            posixpath.relpath(p, wd) if self._inside(p) else p for p in plan.requirement_files
        ]
        if plan.solution is not None:
            plan.solution = posixpath.relpath(plan.solution, wd)
        return plan


def plan_image(instructions: list[Instruction], context: Path, solution_name: str) -> ImagePlan:
    """Interpret ``instructions`` (a parsed Dockerfile) built in ``context``.

    Parameters
    ----------
    instructions:
        From :func:`seccal.tasks.dockerfile.parse_dockerfile`.
    context:
        The build context (the Dockerfile's folder for SALLM).
    solution_name:
        File name given to the generated solution where a build input is copied
        to a directory (``COPY $SCRIPT_PATH .``).

    Raises
    ------
    InputError
        On an instruction that is malformed for Docker too (``COPY`` without a
        destination, unbalanced quotes).
    """
    builder = _Builder(context, solution_name)
    for ins in instructions:
        builder.run(ins)
    return builder.finish()
