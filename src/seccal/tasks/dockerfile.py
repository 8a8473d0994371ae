"""A small Dockerfile parser: instructions, their arguments, and build-argument expansion.

Only what a benchmark's per-task Dockerfile uses is interpreted elsewhere
(:mod:`seccal.tasks.image`); this module just reads the file the way Docker's
front end does:

* one instruction per logical line; a trailing ``\\`` continues it on the next
  line; lines starting with ``#`` are comments (parser directives included);
* the keyword is case-insensitive; ``RUN``, ``CMD``, ``ENTRYPOINT``, ``COPY`` and
  ``ADD`` accept the JSON *exec form* (``["python", "x.py"]``) as well as the
  shell form;
* ``$NAME`` and ``${NAME}`` (with ``:-default`` / ``:+alternate``) expand to
  ``ARG`` / ``ENV`` values in the instructions Docker expands them in.

Examples
--------
>>> [i.keyword for i in parse_dockerfile("FROM python:3.10-slim\\nWORKDIR /prompt\\n")]
['FROM', 'WORKDIR']
>>> parse_dockerfile('CMD ["python", "run.py", "t"]')[0].exec_form
('python', 'run.py', 't')
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass

from seccal.errors import InputError

__all__ = ["EXEC_FORM_KEYWORDS", "Instruction", "expand", "parse_dockerfile"]

#: Instructions whose argument may be a JSON array (Docker's exec form).
EXEC_FORM_KEYWORDS = frozenset({"RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "SHELL", "VOLUME"})
#: Instructions in which Docker expands ``$VAR`` (environment replacement).
EXPANDING_KEYWORDS = frozenset(
    {"ADD", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
_KEYWORD_RE = re.compile(r"\s*([A-Za-z]+)(?:\s+(.*))?\s*$", re.DOTALL)
_VAR_RE = re.compile(
    r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))"
)


@dataclass(frozen=True, slots=True)
class Instruction:
    """One Dockerfile instruction.

    Attributes
    ----------
    line:
        1-based line where the instruction starts.
    keyword:
        Upper-case instruction name (``FROM``, ``COPY`` ...).
    value:
        The argument text, continuation lines joined with a space.
    exec_form:
        The JSON array's items when the argument is one (exec form), else ``None``.
    """

    line: int
    keyword: str
    value: str
    exec_form: tuple[str, ...] | None = None

    def words(self, variables: Mapping[str, str] | None = None) -> list[str]:
        """The argument split into words (exec form items, or shell-style words).

        ``variables`` expand ``$NAME`` in the words of expanding instructions.

        Raises
        ------
        InputError
            When the shell form has unbalanced quotes.
        """
        if self.exec_form is not None:
            items = list(self.exec_form)
        else:
            try:
                items = shlex.split(self.value, posix=True)
            except ValueError as exc:
                raise InputError(f"line {self.line}: {self.keyword}: {exc}") from exc
        if variables is not None and self.keyword in EXPANDING_KEYWORDS:
            items = [expand(w, variables) for w in items]
        return items

    def __str__(self) -> str:
        text = f"{self.keyword} {self.value}"
        return text if len(text) <= 120 else text[:117] + "..."


def expand(text: str, variables: Mapping[str, str]) -> str:
    """Replace ``$NAME``, ``${NAME}``, ``${NAME:-default}``, ``${NAME:+alt}`` in ``text``.

    An unknown name expands to the empty string, as in Docker.
    """

    def sub(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        value = variables.get(name, "")
        if m.group(2) == "-":
            return value or m.group(3)
        if m.group(2) == "+":
            return m.group(3) if value else ""
        return value

    return _VAR_RE.sub(sub, text)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction are dropped
        if not buf:
            start = number
        if stripped.endswith("\\"):
            buf.append(stripped[:-1].strip())
            continue
        buf.append(stripped)
        out.append((start, " ".join(p for p in buf if p)))
        buf = []
    if buf:
        out.append((start, " ".join(p for p in buf if p)))
    return out


def parse_dockerfile(text: str, *, source: str = "Dockerfile") -> list[Instruction]:
    """The instructions of a Dockerfile, in order.

    Parameters
    ----------
    text:
        The Dockerfile's text.
    source:
        Name used in error messages.

    Raises
    ------
    InputError
        On a line that does not start with an instruction keyword, or an
        exec-form argument that is not a JSON array of strings.
    """
    instructions: list[Instruction] = []
    for line, logical in _logical_lines(text):
        m = _KEYWORD_RE.match(logical)
        if m is None:
            raise InputError(f"{source}:{line}: not a Dockerfile instruction: {logical[:80]!r}")
        keyword, value = m.group(1).upper(), (m.group(2) or "").strip()
        exec_form: tuple[str, ...] | None = None
        if keyword in EXEC_FORM_KEYWORDS and value.startswith("["):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None  # Docker then treats it as the shell form
            if isinstance(parsed, list):
                if not all(isinstance(x, str) for x in parsed):
                    raise InputError(
                        f"{source}:{line}: {keyword}: exec form must be a JSON array of strings"
                    )
                exec_form = tuple(parsed)
        instructions.append(Instruction(line, keyword, value, exec_form))
    return instructions
