"""Finding the masked region (the function or block a fix changes) in a real file.

A region opens at the first line (after the line holding ``after``, when
given) holding a ``start`` string (tried in order; a Python function's
decorators are included) and
closes at the end of the block that begins on the ``through`` line (default:
the start line). A Python block ends before the first non-blank line indented
no deeper than its header (a multi-line signature's closing ``)`` excepted);
a C or JavaScript block ends on the line where its braces balance again (a
header line without a brace that ends in ``;`` is a block by itself), with
strings, characters, template literals, comments and JavaScript regex
literals skipped. The same rule
finds the region in the vulnerable and the fixed version, so a task states it
once.
"""

from __future__ import annotations

from dataclasses import dataclass

from seccal.core.task import Language
from seccal.errors import InputError
from seccal.repo.model import REGION_MARKER
from seccal.repo.realrepo.spec import RegionSpec


@dataclass(frozen=True, slots=True)
class Region:
    """Lines ``first`` .. ``last`` (0-based, inclusive) of a file's text."""

    first: int
    last: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The region's text, newline-terminated."""
        return "".join(self.lines[self.first : self.last + 1])

    @property
    def size(self) -> int:
        """Number of lines in the region."""
        return self.last - self.first + 1

    def masked(self) -> str:
        """The file with the region replaced by the marker line (at the region's indentation)."""
        head = self.lines[self.first]
        indent = head[: len(head) - len(head.lstrip())]
        return (
            "".join(self.lines[: self.first])
            + f"{indent}{REGION_MARKER}\n"
            + "".join(self.lines[self.last + 1 :])
        )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _python_end(lines: list[str], header: int) -> int:
    base = _indent(lines[header])
    last = header
    for i in range(header + 1, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        if _indent(line) > base or line.lstrip().startswith((")", "]")):
            last = i
            continue
        break
    return last


#: After one of these (or at the start of a line) a JavaScript ``/`` opens a regex literal.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")


def _skip_regex(line: str, j: int) -> int:
    """Index of the closing ``/`` of the regex literal opening at ``line[j]``."""
    in_class = False
    k = j + 1
    while k < len(line):
        ch = line[k]
        if ch == "\\":
            k += 1
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "/" and not in_class:
            return k
        k += 1
    return j  # no closing slash on the line: a division after all


def _brace_end(lines: list[str], header: int, where: str, *, regexes: bool) -> int:
    depth = 0
    opened = False
    quote: str | None = None
    block_comment = False
    for i in range(header, len(lines)):
        line = lines[i]
        prev = ""
        j = 0
        while j < len(line):
            ch = line[j]
            two = line[j : j + 2]
            if block_comment:
                if two == "*/":
                    block_comment = False
                    j += 1
            elif quote is not None:
                if ch == "\\":
                    j += 1
                elif ch == quote:
                    quote = None
            elif two == "//":
                break
            elif two == "/*":
                block_comment = True
                j += 1
            elif ch == "/" and regexes and (not prev or prev in _REGEX_AFTER):
                j = _skip_regex(line, j)
            elif ch in "\"'`":
                quote = ch
            elif ch == "{":
                depth += 1
                opened = True
            elif ch == "}":
                depth -= 1
                if opened and depth == 0 and i > header:
                    return i
            if not ch.isspace():
                prev = ch
            j += 1
        if i == header and depth == 0 and (opened or prev == ";"):
            # braces balanced on the header line (destructured parameters, a one-line
            # body) or none at all before ``;``: the header is the whole block, unless
            # it goes on to open the body at its end
            if not line.rstrip().endswith("{"):
                return i
            opened = False
        if quote in ("'", '"'):
            quote = None  # an unterminated quote on one line is an apostrophe in C
    raise InputError(f"{where}: the block opened on line {header + 1} never closes")


def find_region(text: str, spec: RegionSpec, language: Language, *, where: str) -> Region:
    """Locate ``spec``'s region in ``text``.

    Raises
    ------
    InputError
        When no line holds a start string, the ``through`` line is missing
        after it, or the block does not close (``where`` names the file).
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    begin = 0
    if spec.after is not None:
        anchor = next((i for i, ln in enumerate(lines) if spec.after in ln), None)
        if anchor is None:
            raise InputError(f"{where}: no line holds {spec.after!r}")
        begin = anchor + 1
    opening = next(
        (i for s in spec.start for i in range(begin, len(lines)) if s in lines[i]), None
    )  # the alternatives in order: the first one found opens the region
    if opening is None:
        raise InputError(f"{where}: no line holds any of {list(spec.start)!r}")
    header = opening
    if spec.through is not None:
        found = next((i for i in range(opening, len(lines)) if spec.through in lines[i]), None)
        if found is None:
            raise InputError(f"{where}: no line after line {opening + 1} holds {spec.through!r}")
        header = found
    first = opening
    if language == "python":  # decorators belong to the function they decorate
        while first > 0 and lines[first - 1].strip().startswith("@"):
            first -= 1
    if language == "python":
        last = _python_end(lines, header)
    else:
        last = _brace_end(lines, header, where, regexes=language == "javascript")
    return Region(first, last, tuple(lines))
