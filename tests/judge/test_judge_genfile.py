"""Generations files: malformed lines reported by number, resume from a verdict file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seccal.core.task import Task
from seccal.errors import InputError
from seccal.judge.genfile import (
    append_rows,
    done_ids,
    generation_id_of,
    iter_task_file,
    read_generations,
)


def _task() -> Task:
    return Task(
        id="t1",
        suite="s",
        language="python",
        cwes=("CWE-89",),
        prompt="",
        module_name="solution.py",
    )


def test_read_generations_reports_bad_lines(tmp_path: Path) -> None:
    task = _task()
    path = tmp_path / "gen.jsonl"
    lines = [
        json.dumps(
            {"task_id": "t1", "code": "x = 1", "model": "m", "temperature": 0.2, "sample": 0}
        ),
        "{broken",
        json.dumps([1, 2]),
        json.dumps({"task_id": "t1"}),
        json.dumps({"task_id": "t1", "code": 5}),
        json.dumps({"task_id": "zzz", "code": "x"}),
        "",
        json.dumps({"id": "a", "task_id": "s/t1", "code": "y = 2", "temperature": "hot"}),
        json.dumps({"id": "a", "task_id": "s/t1", "code": "y = 2"}),
        json.dumps({"id": "a", "task_id": "s/t1", "code": "y = 3"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    good, warnings = read_generations(path, {"t1": task, "s/t1": task})
    assert [r.generation_id for r, _ in good][1:] == ["a"]
    assert good[0][0].meta == {"model": "m", "temperature": 0.2, "sample": 0}
    joined = "\n".join(warnings)
    for number, text in [
        (2, "not JSON"),
        (3, "not a JSON object"),
        (4, "field 'code' missing"),
        (5, "field 'code' must be a string"),
        (6, "field 'task_id': unknown task 'zzz'"),
        (8, "field 'temperature' must be a number"),
        (10, "duplicate generation id 'a'"),
    ]:
        assert f"gen.jsonl:{number}: {text}" in joined
    assert len(warnings) == 7


def test_generation_id_is_stable_and_content_based() -> None:
    row = {"task_id": "t", "code": "x", "model": "m", "temperature": 0.0, "sample": 1}
    assert generation_id_of(row) == generation_id_of(dict(row))
    assert generation_id_of(row) != generation_id_of({**row, "sample": 2})
    assert generation_id_of({**row, "id": 7}) == "7"


def test_done_ids_drops_a_cut_last_line(tmp_path: Path) -> None:
    out = tmp_path / "v.jsonl"
    append_rows(out, [{"generation_id": "a"}, {"generation_id": "b"}])
    with out.open("a") as fh:
        fh.write('{"generation_id": "c", "verd')  # killed mid-write
    ids, warnings = done_ids(out)
    assert ids == {"a", "b"} and warnings == []
    assert out.read_text().endswith("}\n")
    append_rows(out, [{"generation_id": "c"}])
    assert done_ids(out)[0] == {"a", "b", "c"}


def test_done_ids_warns_on_garbage(tmp_path: Path) -> None:
    out = tmp_path / "v.jsonl"
    out.write_text('{"generation_id": "a"}\nnot json\n')
    ids, warnings = done_ids(out)
    assert ids == {"a"} and warnings == [f"{out}:2: unreadable verdict line; ignored"]
    assert done_ids(tmp_path / "missing.jsonl") == (set(), [])


def test_task_file_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(_task().to_dict()) + "\n\n")
    assert list(iter_task_file(path)) == [_task()]
    path.write_text(json.dumps(_task().to_dict()) + "\n{}\n")
    with pytest.raises(InputError, match=r"tasks\.jsonl:2"):
        list(iter_task_file(path))
