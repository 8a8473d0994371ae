"""Extract the code a model wrote from its reply.

Replies come in three shapes:

* **fenced** — chat models answer with Markdown, usually one ```python block,
  sometimes several (implementation, usage example, a ``pip install`` line) and
  sometimes an unclosed fence when the reply hit ``max_tokens``;
* **continuation** — a base model continues the prompt prefix (imports,
  signature, docstring), so the code is ``prompt + continuation``, cut where the
  target function ends (base models ramble on into new functions, tests or prose);
* **bare** — an instruction-tuned model answers with unfenced code.

:func:`extract_code` returns the module text to save as the task's module, or
``None`` with a reason when there is no code at all — a judge then records the
snippet as ``unknown`` rather than failing it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Literal

ExtractionMethod = Literal["fenced", "continuation", "bare", "none"]

# Tokens some local models emit verbatim at the end of a turn.
_SPECIAL_TOKENS = re.compile(r"<(?:end_of_turn|start_of_turn|eos|\|endoftext\||\|im_end\|)>")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)
_PYTHON_TAGS = {"", "python", "py", "python3", "py3"}
_OTHER_CODE_TAGS = {"bash", "sh", "shell", "console", "text", "txt", "json", "yaml", "toml"}
_DEF_RE = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)|^class[ \t]+(\w+)", re.MULTILINE)
_CODE_LINE = re.compile(
    r"^(?:import |from \w[\w.]* import |def |async def |class |@\w|if __name__|[A-Za-z_]\w* = )"
)


@dataclass(frozen=True, slots=True)
class CodeExtraction:
    """The code found in a reply.

    Attributes
    ----------
    code:
        Module text to save, or ``None`` when the reply holds no code.
    method:
        Which reply shape was recognised.
    parses:
        Whether ``code`` is syntactically valid Python (always False for ``None``).
    reason:
        Why ``code`` is ``None`` or what was repaired (empty when nothing to say).
    """

    code: str | None
    method: ExtractionMethod
    parses: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _Block:
    tag: str
    body: str
    closed: bool


def _fenced_blocks(text: str) -> list[_Block]:
    """All fenced blocks in order; an unclosed last fence runs to the end of the text."""
    blocks: list[_Block] = []
    pos = 0
    while True:
        opening = _FENCE.search(text, pos)
        if opening is None:
            return blocks
        fence = opening.group(1)
        start = opening.end() + 1
        closing_re = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        closing = closing_re.search(text, start)
        if closing is None:
            blocks.append(_Block(opening.group(2).lower(), text[start:], closed=False))
            return blocks
        blocks.append(_Block(opening.group(2).lower(), text[start : closing.start()], True))
        pos = closing.end()


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def _entry_point(prompt: str) -> str | None:
    """Name of the last function or class the prompt opens (the one to complete)."""
    names = [m.group(1) or m.group(2) for m in _DEF_RE.finditer(prompt)]
    return names[-1] if names else None


def _prompt_preamble(prompt: str) -> str:
    """The prompt up to the line opening its target definition (and its decorators)."""
    lines = prompt.splitlines(keepends=True)
    target = None
    for i, line in enumerate(lines):
        if _DEF_RE.match(line):
            target = i
    if target is None:
        return prompt
    while target > 0 and lines[target - 1].lstrip().startswith("@"):
        target -= 1
    return "".join(lines[:target])


def _trim_to_parse(code: str) -> str:
    """Drop trailing lines until the module parses (a reply cut by ``max_tokens``)."""
    lines = code.rstrip().splitlines()
    # Bounded: truncation damages the tail, so at most ~40 lines are worth trying.
    for cut in range(len(lines), max(0, len(lines) - 40), -1):
        candidate = "\n".join(lines[:cut]) + "\n"
        if _parses(candidate):
            return candidate
    return code


def _cut_continuation(continuation: str) -> str:
    """Keep the continuation up to the end of the function the prompt opened.

    The prompt ends inside a function body, so the function ends at the first
    non-blank line starting in column 0 that is not a comment. Everything after
    it (new functions, tests, ``if __name__``, prose, a closing fence) is the
    model rambling and is not part of the answer.
    """
    kept: list[str] = []
    for line in continuation.splitlines(keepends=True):
        if kept and line.strip() and not line[0].isspace() and not line.startswith("#"):
            break
        kept.append(line)
    return "".join(kept)


def _choose_block(blocks: list[_Block], entry: str | None) -> _Block | None:
    python = [b for b in blocks if b.tag in _PYTHON_TAGS and b.body.strip()]
    if not python:
        python = [b for b in blocks if b.tag not in _OTHER_CODE_TAGS and b.body.strip()]
    if not python:
        return None
    if entry:
        defining = [b for b in python if re.search(rf"\b(?:def|class)\s+{entry}\b", b.body)]
        if defining:
            # The implementation, not a usage example that only calls it.
            return max(defining, key=lambda b: len(b.body))
    return max(python, key=lambda b: len(b.body))


def _complete_with_prompt(code: str, prompt: str | None) -> str:
    """Add what the prompt provided when the answer left it out.

    Chat models often return only the target function; the tests import the
    module's other names (``app``, helpers, constants) given in the prompt.
    A bare body (indented lines) continues the prompt itself.
    """
    if not prompt:
        return code
    entry = _entry_point(prompt)
    first = next((ln for ln in code.splitlines() if ln.strip()), "")
    if first[:1].isspace():
        return prompt.rstrip("\n") + "\n" + _cut_continuation(code)
    if entry and not re.search(rf"\b(?:def|class)\s+{entry}\b", code):
        return code
    preamble = _prompt_preamble(prompt)
    missing = [
        ln
        for ln in preamble.splitlines()
        if ln.strip() and ln.strip() not in {c.strip() for c in code.splitlines()}
    ]
    if not missing:
        return code
    return preamble.rstrip("\n") + "\n\n\n" + code.lstrip("\n")


def _looks_like_code(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return False
    codeish = sum(1 for ln in lines if _CODE_LINE.match(ln) or ln[:1].isspace())
    return codeish / len(lines) >= 0.5


def _finish(code: str, method: ExtractionMethod, reason: str = "") -> CodeExtraction:
    code = code.rstrip() + "\n"
    if _parses(code):
        return CodeExtraction(code, method, True, reason)
    trimmed = _trim_to_parse(code)
    if trimmed is not code and _parses(trimmed):
        note = "dropped a truncated tail to make the module parse"
        return CodeExtraction(trimmed, method, True, f"{reason}; {note}" if reason else note)
    return CodeExtraction(code, method, False, reason or "code does not parse")


def extract_code(
    reply: str, *, prompt: str | None = None, completion: bool = False
) -> CodeExtraction:
    """Extract the module text from a model reply.

    Parameters
    ----------
    reply:
        The model's raw text.
    prompt:
        The task's code prefix (imports, signature, docstring), used to re-attach
        what a chat answer omitted and as the start of a base model's continuation.
    completion:
        True when ``reply`` continues ``prompt`` (completion-style request to a
        base model); the code is then ``prompt + reply`` cut at the end of the
        target function.

    Returns
    -------
    CodeExtraction
        ``code`` is ``None`` (method ``"none"``) with a reason when the reply
        holds no code; it is never guessed.

    Examples
    --------
    >>> extract_code("Sure:\\n```python\\nx = 1\\n```\\nDone.").code
    'x = 1\\n'
    >>> extract_code("    return a + b\\n\\nprint(add(1, 2))", prompt="def add(a, b):\\n",
    ...              completion=True).code
    'def add(a, b):\\n    return a + b\\n'
    """
    text = _SPECIAL_TOKENS.sub("", reply)
    if completion and prompt is not None:
        # A base model may echo the prompt before continuing it.
        continuation = text[len(prompt) :] if text.startswith(prompt) else text
        # A fence is prose's way of ending code: cut there too.
        fence = _FENCE.search(continuation)
        if fence is not None:
            continuation = continuation[: fence.start()]
        body = _cut_continuation(continuation)
        if not body.strip():
            return CodeExtraction(None, "none", False, "empty continuation")
        return _finish(prompt + body, "continuation")
    if not text.strip():
        return CodeExtraction(None, "none", False, "empty reply")
    blocks = _fenced_blocks(text)
    entry = _entry_point(prompt) if prompt else None
    if blocks:
        block = _choose_block(blocks, entry)
        if block is None:
            return CodeExtraction(None, "none", False, "fenced blocks hold no Python code")
        reason = "" if block.closed else "unclosed fence (reply truncated)"
        return _finish(_complete_with_prompt(block.body, prompt), "fenced", reason)
    if _looks_like_code(text):
        return _finish(_complete_with_prompt(text, prompt), "bare")
    return CodeExtraction(None, "none", False, "reply holds no code")
