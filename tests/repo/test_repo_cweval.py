import shutil
from pathlib import Path

import pytest

from seccal.errors import ConfigError, InputError
from seccal.repo.cweval import CwevalJudge, assemble, build_argv, load_cweval
from seccal.tasks.paths import benchmarks_root

CORE = benchmarks_root() / "cweval" / "benchmark" / "core"
needs_data = pytest.mark.skipif(not CORE.is_dir(), reason=f"CWEval data not found at {CORE}")


def _write_task(root: Path, lang: str = "c", *, entry: bool = True) -> None:
    d = root / lang
    d.mkdir(parents=True)
    ep = "// BEGIN ENTRYPOINT\nint main(void) { return f(); }\n" if entry else ""
    src = (
        "#include <stdio.h>\n// BEGIN PROMPT\nint f(void) {\n    // BEGIN SOLUTION\n    return 0;\n}\n\n"
        + ep
    )
    (d / f"cwe_787_0_{lang}_task.{lang}").write_text(src)
    (d / f"cwe_787_0_{lang}_unsafe.{lang}").write_text(src)
    (d / f"cwe_787_0_{lang}_test.py").write_text("def test_x():\n    pass\n")


def test_loader_splits_prompt_and_entrypoint(tmp_path: Path) -> None:
    _write_task(tmp_path)
    (task,) = load_cweval(tmp_path, languages=("c",))
    assert task.id == "cwe_787_0_c" and task.cwe == "CWE-787" and task.key == "cweval-c/cwe_787_0_c"
    assert task.header == "#include <stdio.h>\n"
    assert task.prompt == "int f(void) {\n"
    assert task.entrypoint.startswith("// BEGIN ENTRYPOINT")
    full = assemble(task, "    return 1;\n}")
    assert full.startswith(
        "#include <stdio.h>\nint f(void) {\n    return 1;\n}\n\n// BEGIN ENTRYPOINT"
    )


def test_loader_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cweval data not found"):
        load_cweval(tmp_path / "nope")
    _write_task(tmp_path, entry=False)
    with pytest.raises(InputError, match="no '// BEGIN ENTRYPOINT' line"):
        load_cweval(tmp_path, languages=("c",))


def test_link_flags_follow_includes(tmp_path: Path) -> None:
    _write_task(tmp_path)
    (task,) = load_cweval(tmp_path, languages=("c",))
    argv = build_argv(task, "#include <openssl/evp.h>\n#include <sqlite3.h>\n")
    assert argv is not None and argv[-3:] == ("-lssl", "-lcrypto", "-lsqlite3")


@needs_data
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_real_c_task_references() -> None:
    tasks = {t.id: t for t in load_cweval(languages=("c",))}
    judge = CwevalJudge()
    task = tasks["cwe_022_0_c"]
    secure = judge.judge(task, task.secure_source)
    assert (secure.functional, secure.security["dynamic"]) == ("pass", "secure"), secure.reasons
    unsafe = judge.judge(task, task.unsafe_source)
    assert (unsafe.functional, unsafe.security["dynamic"]) == ("pass", "vulnerable")
    broken = judge.judge(task, assemble(task, "  return 1 +;\n}"))
    assert broken.functional == "fail" and broken.security["dynamic"] == "unknown"


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_task_that_cannot_build_here_is_unknown_with_reason(tmp_path: Path) -> None:
    _write_task(tmp_path)
    task_file = tmp_path / "c" / "cwe_787_0_c_task.c"
    task_file.write_text("#include <seccal_no_such_lib.h>\n" + task_file.read_text())
    (task,) = load_cweval(tmp_path, languages=("c",))
    judge = CwevalJudge()
    if not Path(judge.python).exists():
        pytest.skip(f"sandbox environment missing: {judge.python}")
    assert judge.task_problem(task) == "missing dependency seccal_no_such_lib.h"
    v = judge.judge(task, task.secure_source)
    assert v.functional == "unknown" and v.security["dynamic"] == "unknown"
    assert "seccal_no_such_lib.h" in v.reasons["dynamic"]
    v.check()


@needs_data
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("go") is None, reason="go is not installed")
def test_real_go_task_reference() -> None:
    tasks = {t.id: t for t in load_cweval(languages=("go",))}
    judge = CwevalJudge()
    v = judge.judge(tasks["cwe_078_0_go"], tasks["cwe_078_0_go"].secure_source)
    assert (v.functional, v.security["dynamic"]) == ("pass", "secure"), v.reasons


def test_missing_python_modules_reported() -> None:
    import sys

    from seccal.repo.cweval import missing_python_modules

    src = "import os\nimport seccal_no_such_mod\nfrom cwe_1_0_task import f\nfrom json import x\n"
    assert missing_python_modules(src, sys.executable) == ["seccal_no_such_mod"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_missing_node_modules(tmp_path: Path) -> None:
    from seccal.repo.cweval import missing_node_modules

    src = "const fs = require('fs');\nconst x = require('seccal-no-such-pkg');\n"
    assert missing_node_modules(src, tmp_path) == ["seccal-no-such-pkg"]
