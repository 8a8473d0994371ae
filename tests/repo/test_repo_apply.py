from pathlib import Path

import pytest
from repo_fixtures import write_tiny_repo

from seccal.errors import InputError
from seccal.repo import apply as apply_mod
from seccal.repo.apply import (
    ApplyError,
    extract_code,
    fill_lines,
    fill_target,
    masked_target,
    split_lines,
    split_target,
    write_workdir,
)
from seccal.repo.loader import load_repo_task


def test_masked_target_hides_region_and_keeps_indent(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    masked = masked_target(task)
    assert "<<<SECCAL_REGION>>>" not in masked
    assert "    # <MASKED REGION: write this part>\n" in masked
    assert masked.endswith("X = 1\n")


def test_fill_reindents_to_marker(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    filled = fill_target(task, "def get(self, name):\n    return name\n")
    assert "class Api:\n    def get(self, name):\n        return name\n\n\nX = 1\n" in filled


def test_split_rejects_two_markers() -> None:
    with pytest.raises(InputError, match="found 2"):
        split_target("<<<SECCAL_REGION>>>\n<<<SECCAL_REGION>>>\n", where="t.c")


def test_write_workdir_writes_everything(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path / "src"))
    work = tmp_path / "work"
    work.mkdir()
    write_workdir(task, task.fixed_region, work, extra={"tests/extra.txt": "x"})
    assert (work / "lib" / "guard.py").read_text() == task.files["lib/guard.py"]
    assert "return clean(name)" in (work / "lib" / "api.py").read_text()
    assert (work / "tests" / "extra.txt").read_text() == "x"
    assert (work / "build").is_dir()


def test_write_workdir_detects_a_region_that_was_not_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path / "src"))
    work = tmp_path / "work"
    work.mkdir()
    # Simulate a bug in filling: the file gets something other than the code.
    monkeypatch.setattr(apply_mod, "fill_target", lambda t, c: t.files[t.target])
    with pytest.raises(ApplyError, match="region does not hold the generation"):
        write_workdir(task, task.fixed_region, work)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("```c\nint x;\n```", "int x;\n"),
        ("Here:\n```python\na = 1\n```\nand\n```\nb = 22222\n```", "b = 22222\n"),
        ("plain code", "plain code"),
    ],
)
def test_extract_code(response: str, expected: str) -> None:
    assert extract_code(response, "c") == expected


def test_fill_lines_replaces_the_lines_and_keeps_the_rest() -> None:
    text = "def f(x):\n    if x:\n        return 1\n    return 0\n"
    got = fill_lines(text, 2, 3, "if x > 0:\n    return 2\n", where="f.py")
    assert got == "def f(x):\n    if x > 0:\n        return 2\n    return 0\n"
    assert split_lines(text, 4, 4).prefix == "def f(x):\n    if x:\n        return 1\n"


@pytest.mark.parametrize("lines", [(0, 1), (3, 2), (4, 5)])
def test_split_lines_outside_the_file(lines: tuple[int, int]) -> None:
    with pytest.raises(InputError, match=r"f\.c: lines .* are not inside its 3 lines"):
        split_lines("a\nb\nc\n", *lines, where="f.c")
