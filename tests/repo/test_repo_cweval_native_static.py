"""CWEval native tasks get a real static label: our rules on the lines the model wrote."""

from __future__ import annotations

import pytest

from seccal.judge.analyzers.base import tool_path
from seccal.judge.backends import JudgeItem, backend_for
from seccal.judge.config import JudgeConfig
from seccal.repo.cweval import load_cweval
from seccal.repo.cweval_native import program_source, to_task
from seccal.tasks.paths import benchmarks_root

CORE = benchmarks_root() / "cweval" / "benchmark" / "core"
needs_data = pytest.mark.skipif(not CORE.is_dir(), reason=f"CWEval data not found at {CORE}")
needs_semgrep = pytest.mark.skipif(tool_path("semgrep") is None, reason="semgrep is not installed")


@needs_data
def test_span_is_the_completion_not_the_header_or_main() -> None:
    task = next(t for t in load_cweval(languages=("c",)) if t.id == "cwe_078_0_c")
    src = program_source("k", task, "    return 0;\n}\n")
    lines = src.text.splitlines()
    assert lines[src.first_line - 1 : src.last_line] == ["    return 0;", "}"]
    assert "int main" in src.text and "int main" not in "\n".join(lines[: src.last_line])


@needs_data
@needs_semgrep
def test_static_label_of_native_references() -> None:
    tasks = [t for t in load_cweval(languages=("c", "go", "js")) if t.id.startswith("cwe_326_0")]
    assert len(tasks) == 3
    items = []
    for t in tasks:
        task = to_task(t, root=CORE)
        items += [
            JudgeItem(f"{t.id}-s", task, t.secure_source),
            JudgeItem(f"{t.id}-u", task, t.unsafe_source),
        ]
    items.append(JudgeItem("empty", to_task(tasks[0], root=CORE), ""))
    verdicts = backend_for("cweval_native", JudgeConfig()).judge_static(items)
    labels = {v.generation_id: v.security["static"] for v in verdicts}
    for t in tasks:
        assert labels[f"{t.id}-s"] == "secure", t.id
        assert labels[f"{t.id}-u"] == "vulnerable", t.id
    assert labels["empty"] == "unknown" and verdicts[-1].reasons["static"] == "no code extracted"
    flagged = {f.rule_id for v in verdicts for f in v.findings}
    assert {"seccal.c.short-asymmetric-key", "seccal.go.short-asymmetric-key"} <= flagged
