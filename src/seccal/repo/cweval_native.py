"""CWEval's C, C++, Go and JavaScript tasks as ordinary study suites, with their judge backend.

Suites ``cweval-c``, ``cweval-cpp``, ``cweval-go`` and ``cweval-js`` (each ``NAME`` or
``NAME:PATH`` to CWEval's ``benchmark/core``) give :class:`~seccal.core.task.Task`
records of kind ``cweval_native``: the prompt is the task file up to its solution, the
references are CWEval's secure and unsafe programs. The backend registered here turns
a generated reply into the full program (:func:`program_for`) and judges it with
:class:`~seccal.repo.cweval.CwevalJudge` (compile, then CWEval's pytest file, in the
sandbox); the ``static`` label comes from the analyzers (our Semgrep packs for C, C++,
Go and JavaScript, plus cppcheck and flawfinder for C/C++) on the lines the model
wrote (:func:`program_source`): CWEval's header and ``main`` are trusted code.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from seccal.core.task import Task
from seccal.core.verdict import Verdict
from seccal.errors import InputError
from seccal.judge.analyzers import Source, analyze_sources, create_analyzers
from seccal.judge.backends import JudgeItem, register_backend
from seccal.judge.config import JudgeConfig
from seccal.repo.cweval import (
    LANGUAGES,
    CwevalJudge,
    CwevalLang,
    CwevalTask,
    load_cweval,
    security_language,
)
from seccal.tasks.paths import resolve_data_path
from seccal.tasks.registry import register_suite

DEFAULT_REL = "cweval/benchmark/core"
NO_CODE_REASON = "no code extracted"


def to_task(task: CwevalTask, *, root: Path) -> Task:
    """The study's view of a CWEval native task."""
    return Task(
        id=task.id,
        suite=f"cweval-{task.language}",
        language=security_language(task),  # type: ignore[arg-type]
        cwes=(task.cwe,),
        prompt=task.header + task.prompt,
        module_name=task.task_filename,
        entry_point=task.task_filename,
        secure_reference=task.secure_source,
        insecure_reference=task.unsafe_source,
        kind="cweval_native",
        metadata={"cweval_root": str(root), "cweval_language": task.language},
    )


@cache
def _tasks(root: str, language: CwevalLang) -> dict[str, CwevalTask]:
    return {t.id: t for t in load_cweval(Path(root), languages=(language,))}


def cweval_task_for(task: Task) -> CwevalTask:
    """The :class:`CwevalTask` behind a task made by :func:`to_task`."""
    if task.kind != "cweval_native":
        raise InputError(f"task {task.key} is not a CWEval native task")
    lang = str(task.metadata["cweval_language"])
    if lang not in LANGUAGES:
        raise InputError(f"task {task.key}: unknown CWEval language {lang!r}")
    found = _tasks(str(task.metadata["cweval_root"]), lang).get(task.id)  # type: ignore[arg-type]
    if found is None:
        raise InputError(f"task {task.key}: not found in {task.metadata['cweval_root']}")
    return found


def _first_code_line(text: str) -> str:
    """The first line of ``text`` that is code: not a comment, include, import or package.

    Block comments and Go import blocks are skipped whole: CWEval's Go and JavaScript
    doc comments have lines that do not start with ``*``, and a reply that reworded one
    would otherwise not be recognised as a whole file.
    """
    in_block = in_import = False
    for line in text.splitlines():
        s = line.strip()
        if in_block:
            in_block = "*/" not in s
            continue
        if in_import:  # Go's ``import ( ... )``
            in_import = s != ")"
            continue
        if s.startswith("import ("):
            in_import = True
            continue
        if s.startswith("/*"):
            in_block = "*/" not in s[2:]
            continue
        if s and not s.startswith(("//", "*", "#include", "import", "package", ")")):
            return s
    return ""


def program_for(task: CwevalTask, code: str) -> str:
    """The full program for generated ``code``: a whole file, or a completion of the prompt.

    A reply that restates the prompt's function or holds CWEval's entry point (the chat
    form asks for the complete file; CWEval's unsafe C++ programs change the signature)
    is the program itself, given the header when it has none and CWEval's entry
    point when it lacks one; anything else continues the prompt.
    """
    signature = _declaration(_first_code_line(task.prompt))
    entry = _declaration(_first_code_line(task.entrypoint))
    has_entry = bool(entry) and entry in code
    if has_entry or (signature and signature in code):
        header = "" if _has_header(task, code) else task.header
        tail = "" if has_entry else "\n\n" + task.entrypoint
        return header + code.rstrip("\n") + "\n" + tail
    return task.header + task.prompt + code.rstrip("\n") + "\n\n" + task.entrypoint


#: Words before a declaration that a whole-file reply may drop or add (``async function f``).
_QUALIFIERS = frozenset({"async", "export", "static", "inline", "extern"})


def _declaration(line: str) -> str:
    """What identifies the declaration on ``line``: the text before its ``(`` without
    qualifiers, or the whole line when that is a bare keyword (``if (require.main ...``)."""
    words = [w for w in line.split("(", 1)[0].split() if w not in _QUALIFIERS]
    return " ".join(words) if len(words) >= 2 else line


def _has_header(task: CwevalTask, code: str) -> bool:
    """Whether ``code`` already holds the header: its first definition (helpers of C++
    tasks must not be defined twice), or for a header of includes only its first line."""
    lines = [ln.strip() for ln in task.header.splitlines() if ln.strip()]
    definition = _declaration(_first_code_line(task.header))
    if definition:
        return definition in code
    return not lines or lines[0] in code


def _suite_loader(language: CwevalLang) -> None:
    @register_suite(f"cweval-{language}", help=f"CWEval {language} tasks (compiled and tested)")
    def load(path: Path | None) -> list[Task]:
        root = resolve_data_path(path, DEFAULT_REL, suite=f"cweval-{language}")
        return [to_task(t, root=root) for t in _tasks(str(root), language).values()]


for _lang in LANGUAGES:
    _suite_loader(_lang)


def program_source(key: str, task: CwevalTask, code: str) -> Source:
    """The program for ``code`` with the span of lines the model wrote.

    CWEval's entry point (``main``) is trusted code even when a reply repeats it.
    """
    program = program_for(task, code)
    body = code.strip("\n")
    at = max(0, program.find(body))
    first = program.count("\n", 0, at) + 1
    last = first + body.count("\n")
    entry = task.entrypoint.strip()
    cut = program.find(entry, at) if entry else -1
    if cut >= 0:
        last = min(last, program.count("\n", 0, cut))
    return Source(key, task.task_filename, program, first, max(first, last))


@register_backend("cweval_native")
class CwevalNativeBackend:
    """Judges CWEval native programs; tasks that cannot build here are unknown, with why."""

    def __init__(self, config: JudgeConfig) -> None:
        self.config = config
        self.analyzers = create_analyzers(config)
        self._judge = CwevalJudge()

    def judge_many(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """One verdict per item, in order (each program is compiled and tested alone)."""
        out = []
        for item in items:
            task = cweval_task_for(item.task)
            if not item.code.strip():
                out.append(_no_code(item))
                continue
            out.append(
                self._judge.judge(
                    task, program_for(task, item.code), generation_id=item.generation_id
                )
            )
        self._label_static(items, out)
        return out

    def judge_static(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        """Static labels only: the analyzers on each program, nothing compiled or run."""
        out = [
            _no_code(item) if not item.code.strip() else Verdict(item.generation_id, item.task.key)
            for item in items
        ]
        self._label_static(items, out)
        return out

    def _label_static(self, items: Sequence[JudgeItem], verdicts: list[Verdict]) -> None:
        todo = [i for i, item in enumerate(items) if item.code.strip()]
        if not todo:
            return
        if not self.analyzers:
            for i in todo:
                verdicts[i].set_unknown("static", "static analysis disabled")
            return
        sources = [
            program_source(str(i), cweval_task_for(items[i].task), items[i].code) for i in todo
        ]
        report = analyze_sources(sources, self.analyzers, work_root=self.config.work_root)
        for i in todo:
            report.apply(str(i), verdicts[i], items[i].task.cwes, self.config.static_min_severity)


def _no_code(item: JudgeItem) -> Verdict:
    v = Verdict(generation_id=item.generation_id, task_key=item.task.key)
    for key in ("functional", "dynamic", "static"):
        v.set_unknown(key, NO_CODE_REASON)
    return v
