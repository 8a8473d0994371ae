"""CWEval's native-language tasks as study suites, judged through the one Judge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from seccal.judge import Judge, JudgeConfig, JudgeItem
from seccal.repo.cweval import load_cweval
from seccal.repo.cweval_native import cweval_task_for, program_for
from seccal.tasks.paths import benchmarks_root
from seccal.tasks.registry import known_suites, load_suite

CORE = benchmarks_root() / "cweval" / "benchmark" / "core"
needs_data = pytest.mark.skipif(not CORE.is_dir(), reason=f"CWEval data not found at {CORE}")

SRC = (
    "#include <stdio.h>\n// BEGIN PROMPT\n/* add one */\nint f(int x) {\n"
    "    // BEGIN SOLUTION\n    return x + 1;\n}\n\n// BEGIN ENTRYPOINT\n"
    'int main(void) { printf("%d", f(1)); return 0; }\n'
)


def _write_task(root: Path) -> None:
    d = root / "c"
    d.mkdir(parents=True)
    (d / "cwe_787_0_c_task.c").write_text(SRC)
    (d / "cwe_787_0_c_unsafe.c").write_text(SRC)
    (d / "cwe_787_0_c_test.py").write_text("def test_x():\n    pass\n")


def test_every_native_language_is_a_registered_suite() -> None:
    assert {"cweval-c", "cweval-cpp", "cweval-go", "cweval-js"} <= set(known_suites())


def test_suite_gives_native_tasks_that_find_their_cweval_record(tmp_path: Path) -> None:
    _write_task(tmp_path)
    (task,) = load_suite(f"cweval-c:{tmp_path}")
    assert task.kind == "cweval_native" and task.key == "cweval-c/cwe_787_0_c"
    assert task.language == "c" and task.cwes == ("CWE-787",)
    assert task.prompt == "#include <stdio.h>\n/* add one */\nint f(int x) {\n"
    assert cweval_task_for(task).id == "cwe_787_0_c"


def test_program_for_a_whole_file_or_a_completion(tmp_path: Path) -> None:
    _write_task(tmp_path)
    (ct,) = load_cweval(tmp_path, languages=("c",))
    body = program_for(ct, "    return x + 2;\n}")
    assert body.startswith("#include <stdio.h>\n/* add one */\nint f(int x) {\n    return x + 2;")
    assert body.rstrip().endswith("return 0; }")
    whole = program_for(ct, "#include <stdio.h>\nint f(int x) {\n    return x + 2;\n}\n")
    assert whole.count("#include <stdio.h>") == 1 and whole.count("int main") == 1
    no_header = program_for(ct, "int f(int x) { return x; }")
    assert no_header.startswith("#include <stdio.h>\nint f(int x)")


@needs_data
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_references_are_judged_through_the_judge() -> None:
    tasks = {t.id: t for t in load_suite("cweval-c")}
    task = tasks["cwe_020_0_c"]
    items = [
        JudgeItem("secure", task, task.secure_reference or ""),
        JudgeItem("unsafe", task, task.insecure_reference or ""),
        JudgeItem("empty", task, ""),
    ]
    secure, unsafe, empty = Judge(JudgeConfig()).judge_many(items)
    assert (secure.functional, secure.security["dynamic"]) == ("pass", "secure")
    assert unsafe.security["dynamic"] == "vulnerable"
    assert empty.reasons["functional"] == "no code extracted"
    for v in (secure, unsafe, empty):
        v.check()
