"""Building the model's view of a repository: context plus the masked target.

Two recorded choices: ``files`` (listed files given whole) and ``bm25``
(snippets of every other snapshot file ranked by BM25 against the masked
target and the instruction, kept greedily within a token budget). Tests are
never part of the context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from seccal.repo.apply import masked_target
from seccal.repo.bm25 import BM25, tokenize
from seccal.repo.model import RepoTask

#: Lines per BM25 snippet: about one function in these small repositories.
SNIPPET_LINES = 30

_FENCE_LANG = {
    "python": "python",
    "javascript": "javascript",
    "java": "java",
    "c": "c",
    "cpp": "cpp",
    "go": "go",
}


def approx_tokens(text: str) -> int:
    """Token estimate used for budgets: one token per 4 characters (a common
    rule of thumb for code with BPE vocabularies; exact counts depend on the model)."""
    return math.ceil(len(text) / 4)


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of context: a file or a line range of one."""

    path: str
    start_line: int
    end_line: int
    text: str
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Record of what was shown (without the text)."""
        return {"path": self.path, "lines": [self.start_line, self.end_line], "score": self.score}


def _chunks(path: str, text: str) -> list[Snippet]:
    lines = text.splitlines(keepends=True)
    return [
        Snippet(
            path, i + 1, min(i + SNIPPET_LINES, len(lines)), "".join(lines[i : i + SNIPPET_LINES])
        )
        for i in range(0, len(lines), SNIPPET_LINES)
    ]


def select_context(task: RepoTask) -> list[Snippet]:
    """The context snippets for ``task`` under its recorded choice, in reading order."""
    if task.context.mode == "files":
        out = []
        for path in task.context.files:
            text = task.files[path]
            out.append(Snippet(path, 1, len(text.splitlines()), text))
        return out
    candidates = [
        c
        for path, text in sorted(task.files.items())
        if path != task.target and text.strip()
        for c in _chunks(path, text)
    ]
    if not candidates:
        return []
    index = BM25([tokenize(c.text) for c in candidates])
    query = tokenize(masked_target(task) + "\n" + task.instruction)
    scored = sorted(zip(index.scores(query), range(len(candidates)), strict=True), reverse=True)
    budget = task.context.token_budget
    chosen = []
    for score, i in scored:
        cost = approx_tokens(candidates[i].text)
        if score <= 0 or cost > budget:
            continue
        budget -= cost
        c = candidates[i]
        chosen.append(Snippet(c.path, c.start_line, c.end_line, c.text, round(score, 4)))
    return sorted(chosen, key=lambda s: (s.path, s.start_line))


@dataclass(frozen=True, slots=True)
class RepoPrompt:
    """The prompt text and the record of which context it contains."""

    text: str
    context: tuple[Snippet, ...]
    mode: str
    token_budget: int

    def record(self) -> dict[str, Any]:
        """JSON-serialisable record stored with each generation."""
        return {
            "mode": self.mode,
            "token_budget": self.token_budget,
            "snippets": [s.to_dict() for s in self.context],
            "prompt_tokens_approx": approx_tokens(self.text),
        }


def build_prompt(task: RepoTask) -> RepoPrompt:
    """The instruction prompt for ``task``: context, masked target, and the request.

    The model is asked for the region's code only, in one fenced block, which
    :func:`seccal.repo.apply.extract_code` takes out of the reply.
    """
    fence = _FENCE_LANG[task.language]
    snippets = select_context(task)
    parts = [f"You are working in a {task.language} repository ({task.summary}).", ""]
    if snippets:
        parts.append("Relevant code from other files of the repository:")
        for s in snippets:
            whole = task.context.mode == "files"
            where = s.path if whole else f"{s.path} (lines {s.start_line}-{s.end_line})"
            parts += ["", f"--- {where}", f"```{fence}", s.text.rstrip("\n"), "```"]
        parts.append("")
    parts += [
        f"The file {task.target}, with one region masked:",
        f"```{fence}",
        masked_target(task).rstrip("\n"),
        "```",
        "",
        f"Task: {task.instruction}",
        "",
        f"Reply with only the code that replaces the masked region, in one ```{fence} block.",
    ]
    return RepoPrompt(
        "\n".join(parts) + "\n", tuple(snippets), task.context.mode, task.context.token_budget
    )
