"""The judge stage: label each generated snippet (functional, and secure per label source).

Snippets are judged in batches through :class:`seccal.judge.Judge`; each
batch's verdicts are stored before the next batch starts, so a kill loses at
most one batch of (free, local) work. A generation without code gets an
all-``unknown`` verdict with the reason, without running anything.

Identical code for the same task is judged once per stage run (:func:`judge_unique`):
at temperature 0, across samples and across generation variants, models often write
the same code, and its tests decide it the same way; each generation gets the verdict
under its own id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import replace
from functools import partial
from itertools import islice
from pathlib import Path

from seccal.core.config import JudgeSettings
from seccal.core.findings import DEFAULT_MIN_SEVERITY, Finding, counted_findings
from seccal.core.labels import MEASURED_SOURCES
from seccal.core.task import Task
from seccal.core.verdict import Verdict
from seccal.judge.sarif import group_by_generation, load_sarif, merge_findings
from seccal.study.generate import StageResult
from seccal.study.store import GenerationRecord, RunStore, VerdictRecord

NO_CODE_REASON = "no code to judge (generation failed or reply held no code)"


JudgeMany = Callable[[Sequence[tuple[str, Task, str]]], Sequence[Verdict]]
#: Judges items lazily, yielding finished ``(gen_id, verdict)`` chunks in any order
#: (an executor's ``judge_stream``, e.g. on a Ray cluster).
JudgeStream = Callable[[Iterable[tuple[str, Task, str]]], Iterable[Sequence[tuple[str, Verdict]]]]


def default_judge(settings: JudgeSettings) -> JudgeStream:
    """The real judge as a stream, imported lazily (it loads analyzers).

    It judges in groups of :meth:`~seccal.judge.Judge.judge_groups` (several batches
    per worker, analyzers over hundreds of snippets at once, the next group started
    while the last batches of one run), each stored as it finishes.
    """
    from seccal.judge import Judge, JudgeItem
    from seccal.judge.config import study_judge_config

    judge = Judge(study_judge_config(settings))

    def stream(items: Iterable[tuple[str, Task, str]]) -> Iterator[list[tuple[str, Verdict]]]:
        work = (JudgeItem(g, t, c) for g, t, c in items)
        for group, verdicts in judge.judge_groups(work):
            yield [(i.generation_id, v) for i, v in zip(group, verdicts, strict=True)]

    return stream


def verdict_record(gen_id: str, verdict: Verdict) -> VerdictRecord:
    """Store record of a judge verdict."""
    sec = verdict.security
    return VerdictRecord(
        gen_id=gen_id,
        functional=verdict.functional,
        sec_dynamic=sec.get("dynamic", "unknown"),
        sec_static=sec.get("static", "unknown"),
        n_findings=len(counted_findings(verdict.findings, DEFAULT_MIN_SEVERITY)),
        verdict_json=json.dumps(verdict.to_dict()),
    )


def no_code_record(gen_id: str, task_key: str) -> VerdictRecord:
    """All-unknown verdict of a generation that produced no code."""
    reasons = {k: NO_CODE_REASON for k in ("functional", *MEASURED_SOURCES)}
    body = {"generation_id": gen_id, "task_key": task_key, "reasons": reasons}
    return VerdictRecord(gen_id, "unknown", "unknown", "unknown", 0, json.dumps(body))


def run_judge(
    *,
    store: RunStore,
    judge_many: JudgeMany | None,
    batch_size: int,
    on_total: Callable[[int], None] | None = None,
    on_progress: Callable[[int, float], None] | None = None,
    judge_stream: JudgeStream | None = None,
    sarif: Sequence[str] = (),
) -> StageResult:
    """Judge every stored generation that has no verdict yet.

    Items go to ``judge_stream`` when given (each chunk it yields is stored as it
    arrives), else to ``judge_many`` in batches of ``batch_size``. Findings of the
    ``sarif`` files (``[judge] sarif``) join each verdict's static label before it is
    stored (:func:`sarif_findings` says which generation a result belongs to).
    """
    imported = sarif_findings(sarif)
    if judge_stream is None:
        if judge_many is None:
            raise ValueError("run_judge needs judge_many or judge_stream")
        judge_stream = partial(_in_batches, judge_many, batch_size)
    total = store.counts()["generations"]
    # Only unjudged rows are read: resuming a finished run loads no code at all.
    pending: list[GenerationRecord] = store.generations(unjudged=True)
    result = StageResult(done_before=total - len(pending))
    if on_total is not None:
        on_total(total)
    if on_progress is not None and result.done_before:
        on_progress(result.done_before, 0.0)
    without_code = [no_code_record(g.gen_id, g.task_key) for g in pending if g.code is None]
    if without_code:
        result.stored += store.put_verdicts(without_code)
        if on_progress is not None:
            on_progress(len(without_code), 0.0)
    tasks = store.tasks()
    with_code = [g for g in pending if g.code is not None and g.task_key in tasks]
    task_of = {g.gen_id: tasks[g.task_key] for g in with_code}
    work = [(g.gen_id, task_of[g.gen_id], g.code or "") for g in with_code]
    for pairs in judge_unique(work, judge_stream):
        if imported:
            # Imported findings belong to one generation (its SARIF file), copies or not.
            by_gen = group_by_generation(imported, [g for g, _ in pairs])
            for g, v in pairs:
                if g in by_gen:
                    merge_findings(v, by_gen[g], task_of[g].cwes, DEFAULT_MIN_SEVERITY)
        result.stored += store.put_verdicts([verdict_record(g, v) for g, v in pairs])
        if on_progress is not None:
            on_progress(len(pairs), 0.0)
    return result


def judge_unique(
    items: Sequence[tuple[str, Task, str]], judge_stream: JudgeStream
) -> Iterator[list[tuple[str, Verdict]]]:
    """Judge each distinct ``(task, code)`` once; yield the verdict for every item that has it.

    Chunks come as ``judge_stream`` finishes them, each extended by the items whose
    code repeats one in the chunk (their verdicts carry their own generation id).
    """
    copies: dict[str, list[str]] = {}
    first: dict[tuple[str, str], str] = {}
    unique = []
    for gen_id, task, code in items:
        key = (task.key, code)
        if key in first:
            copies[first[key]].append(gen_id)
            continue
        first[key] = gen_id
        copies[gen_id] = []
        unique.append((gen_id, task, code))
    for pairs in judge_stream(unique):
        out = list(pairs)
        for gen_id, verdict in pairs:
            # Deep copies: a copy's findings may still grow (imported SARIF results).
            out += [
                (c, replace(deepcopy(verdict), generation_id=c)) for c in copies.get(gen_id, ())
            ]
        yield out


def sarif_findings(paths: Sequence[str]) -> list[tuple[str, Finding]]:
    """Every result of the SARIF files ``paths``, with the path (URI) of its file.

    Convention: the external analyzer scanned each generation as ``<gen_id>/<file>``
    or ``<gen_id>.<ext>`` (``seccal export`` ids), so a result belongs to the
    generation whose id is a folder of its path or the file's stem; results in other
    files are ignored. Labels already unknown stay unknown.

    Raises
    ------
    InputError
        A file that is missing or not SARIF (naming the file).
    """
    return [found for path in paths for found in load_sarif(Path(path))]


def _in_batches(
    judge_many: JudgeMany, size: int, items: Iterable[tuple[str, Task, str]]
) -> Iterator[list[tuple[str, Verdict]]]:
    it = iter(items)
    while batch := list(islice(it, max(1, size))):
        verdicts = judge_many(batch)
        yield [(g, v) for (g, _, _), v in zip(batch, verdicts, strict=True)]
