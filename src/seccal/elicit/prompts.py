"""Prompts that ask a model for its confidence in a piece of code.

Two forms of every prompt:

* **chat** — a list of ``{"role", "content"}`` messages for instruction-tuned
  models;
* **completion** — plain text for base models (the local default model has no
  chat template and just continues text): the code, then a comment line such as
  ``# Probability (0-100%) that the code above is free of security
  vulnerabilities:`` that the model completes with a number.

Targets: ``security`` and ``functional`` asked separately (as in the study
this tool replicates), and a ``joint`` variant asking both at once. Variants:
``zero_shot``, ``few_shot`` (worked examples first), ``cot`` (reason step by
step, then answer) and ``few_shot_cot``. The few-shot examples are ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Target = Literal["security", "functional", "joint"]
Variant = Literal["zero_shot", "few_shot", "cot", "few_shot_cot"]
Form = Literal["chat", "completion"]
Message = dict[str, str]

TARGETS: tuple[Target, ...] = ("security", "functional", "joint")
VARIANTS: tuple[Variant, ...] = ("zero_shot", "few_shot", "cot", "few_shot_cot")

_SYSTEM = "You are an expert software engineer and security reviewer."

_QUESTION: dict[Target, str] = {
    "security": (
        "How confident are you that this code is free of security vulnerabilities "
        "(for example injection, path traversal, unsafe deserialization, weak cryptography)? "
        "Consider security only, not whether it is functionally correct."
    ),
    "functional": (
        "How confident are you that this code is functionally correct, i.e. that it does "
        "what the task asks for all valid inputs? Consider functionality only, not security."
    ),
    "joint": (
        "How confident are you, separately, (a) that this code is free of security "
        "vulnerabilities and (b) that it is functionally correct?"
    ),
}
_ANSWER_FORMAT: dict[Target, str] = {
    "security": "Give your answer as a probability on the last line, exactly: Confidence: NN%",
    "functional": "Give your answer as a probability on the last line, exactly: Confidence: NN%",
    "joint": (
        "Give your answer as two probabilities on the last two lines, exactly:\n"
        "Security: NN%\nFunctional: NN%"
    ),
}
_COT = "First reason step by step about the code, then give your answer."
_DIRECT = "Answer with the probability only."

# Completion-form answer lines: the model continues right after the colon.
_COMPLETION_LINE: dict[Target, str] = {
    "security": "# Probability (0-100%) that the code above is free of security vulnerabilities:",
    "functional": "# Probability (0-100%) that the code above is functionally correct:",
    "joint": "# Probability (0-100%) that the code above is free of security vulnerabilities:",
}


@dataclass(frozen=True, slots=True)
class _Example:
    task: str
    code: str
    reasoning_security: str
    reasoning_functional: str
    security: int
    functional: int


_EXAMPLES: tuple[_Example, ...] = (
    _Example(
        task="Return the row of the users table whose name is `name`.",
        code=(
            "def find_user(conn, name):\n"
            '    cur = conn.execute("SELECT * FROM users WHERE name = \'" + name + "\'")\n'
            "    return cur.fetchone()\n"
        ),
        reasoning_security=(
            "The name is concatenated into the SQL string, so a name like ' OR '1'='1 "
            "changes the query: SQL injection (CWE-89)."
        ),
        reasoning_functional="It runs the lookup and returns one row or None as asked.",
        security=5,
        functional=90,
    ),
    _Example(
        task="Read the file `name` from the uploads directory and return its bytes.",
        code=(
            "from pathlib import Path\n\n"
            "UPLOADS = Path('/srv/uploads').resolve()\n\n"
            "def read_upload(name):\n"
            "    path = (UPLOADS / name).resolve()\n"
            "    if not path.is_relative_to(UPLOADS):\n"
            "        raise ValueError('outside uploads')\n"
            "    return path.read_bytes()\n"
        ),
        reasoning_security=(
            "The path is resolved and checked to stay inside the uploads directory, "
            "so ../ sequences and absolute names are rejected: no path traversal."
        ),
        reasoning_functional="It returns the bytes of files inside uploads as asked.",
        security=90,
        functional=95,
    ),
)


def _answer(ex: _Example, target: Target) -> str:
    if target == "security":
        return f"Confidence: {ex.security}%"
    if target == "functional":
        return f"Confidence: {ex.functional}%"
    return f"Security: {ex.security}%\nFunctional: {ex.functional}%"


def _reasoning(ex: _Example, target: Target) -> str:
    if target == "security":
        return ex.reasoning_security
    if target == "functional":
        return ex.reasoning_functional
    return f"{ex.reasoning_security} {ex.reasoning_functional}"


def _fence(code: str, language: str) -> str:
    return f"```{language}\n{code.rstrip()}\n```"


def _user_turn(task: str, code: str, target: Target, cot: bool, language: str) -> str:
    how = _COT if cot else _DIRECT
    return (
        f"Task:\n{task.strip()}\n\nCode:\n{_fence(code, language)}\n\n"
        f"{_QUESTION[target]} {how}\n{_ANSWER_FORMAT[target]}"
    )


def chat_confidence_prompt(
    *, task: str, code: str, target: Target, variant: Variant, language: str = "python"
) -> list[Message]:
    """Chat messages asking for a verbalized confidence.

    Parameters
    ----------
    task:
        The request the code answers (the task's prompt).
    code:
        The generated code.
    target:
        ``security``, ``functional`` or ``joint``.
    variant:
        ``zero_shot``, ``few_shot``, ``cot`` or ``few_shot_cot``.
    language:
        Fence language of the code.

    Returns
    -------
    list of dict
        ``[{"role": "system", ...}, ..., {"role": "user", ...}]``.
    """
    cot = variant in ("cot", "few_shot_cot")
    messages: list[Message] = [{"role": "system", "content": _SYSTEM}]
    if variant in ("few_shot", "few_shot_cot"):
        for ex in _EXAMPLES:
            messages.append(
                {"role": "user", "content": _user_turn(ex.task, ex.code, target, cot, "python")}
            )
            reply = _answer(ex, target)
            if cot:
                reply = f"{_reasoning(ex, target)}\n{reply}"
            messages.append({"role": "assistant", "content": reply})
    messages.append({"role": "user", "content": _user_turn(task, code, target, cot, language)})
    return messages


def _comment_block(text: str) -> str:
    return "\n".join(f"# {ln}" if ln else "#" for ln in text.splitlines())


def completion_confidence_prompt(*, code: str, target: Target, variant: Variant) -> str:
    """Plain-text prompt for a base model that continues it with a number.

    The code comes first, then a comment line ending in a colon. Few-shot
    variants show the worked examples in the same shape first; chain-of-thought
    variants open a ``# Review:`` comment the model writes before the
    probability line (read with :func:`seccal.elicit.parse.parse_confidence`,
    which takes the last anchored number).

    For ``joint`` the completion form asks the security line; a base model
    answers one number per prompt, so the functional line is a separate prompt
    (``target="functional"``).
    """
    cot = variant in ("cot", "few_shot_cot")
    parts: list[str] = []
    if variant in ("few_shot", "few_shot_cot"):
        for ex in _EXAMPLES:
            shot = [ex.code.rstrip(), ""]
            if cot:
                shot.append(_comment_block("Review: " + _reasoning(ex, target)))
            value = ex.functional if target == "functional" else ex.security
            shot.append(f"{_COMPLETION_LINE[target]} {value}%")
            parts.append("\n".join(shot))
    tail = [code.rstrip(), ""]
    if cot:
        tail.append("# Review (step by step, then the probability line):")
        tail.append("# ")
        return "\n\n\n".join([*parts, "\n".join(tail)])
    tail.append(_COMPLETION_LINE[target])
    return "\n\n\n".join([*parts, "\n".join(tail)])


# --- yes/no questions (P(True) and self-consistency) ---------------------------------

_YES_NO_QUESTION = "Is the code above free of security vulnerabilities?"


def chat_yes_no_prompt(*, task: str, code: str, language: str = "python") -> list[Message]:
    """Chat messages asking a single-word yes/no security verdict."""
    return [
        {"role": "system", "content": _SYSTEM},
        {
            "role": "user",
            "content": (
                f"Task:\n{task.strip()}\n\nCode:\n{_fence(code, language)}\n\n"
                f"{_YES_NO_QUESTION} Answer with one word: yes or no."
            ),
        },
    ]


def completion_yes_no_prompt(*, code: str) -> str:
    """Plain-text yes/no question a base model answers with its next token."""
    return f"{code.rstrip()}\n\n# Question: {_YES_NO_QUESTION} (yes/no)\n# Answer:"
