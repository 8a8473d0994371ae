from collections import Counter
from pathlib import Path

import pytest
from repo_fixtures import write_tiny_repo

from seccal.errors import InputError
from seccal.repo.loader import load_builtin_suite, load_repo_suite, load_repo_task
from seccal.repo.model import REGION_MARKER


def test_tiny_repo_loads_with_defaults(tmp_path: Path) -> None:
    task = load_repo_task(write_tiny_repo(tmp_path))
    assert task.key == "repo/tiny-repo"
    assert task.language == "python"
    assert [s.kind for s in task.steps] == ["build", "functional", "exploit"]
    assert set(task.test_files) == {
        "tests/__init__.py",
        "tests/test_functional.py",
        "tests/test_exploit.py",
    }
    assert task.context.files == ("lib/guard.py",)
    assert "return clean(name)" in task.fixed_region


def test_step_override(tmp_path: Path) -> None:
    steps = '\n[[steps]]\nkind = "exploit"\nname = "e"\nargv = ["true"]\npass_exit = 0\n'
    task = load_repo_task(write_tiny_repo(tmp_path, steps=steps))
    assert [(s.kind, s.argv) for s in task.steps] == [("exploit", ("true",))]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: (d / "fixed.py").unlink(), "fixed reference missing"),
        (
            lambda d: (d / "files/lib/api.py").write_text("x = 1\n"),
            f"expected exactly one line {REGION_MARKER!r}, found 0",
        ),
        (
            lambda d: (d / "repo.toml").write_text(
                (d / "repo.toml").read_text().replace('"CWE-22"', '"cwe22"')
            ),
            "cwes must be",
        ),
        (
            lambda d: (d / "repo.toml").write_text(
                (d / "repo.toml").read_text().replace('"lib/guard.py"', '"lib/nope.py"')
            ),
            "context file 'lib/nope.py' is not in files/",
        ),
        (
            lambda d: (d / "repo.toml").write_text(
                (d / "repo.toml").read_text().replace('language = "python"', "")
            ),
            "missing field 'language'",
        ),
        (lambda d: (d / "repo.toml").write_text("id = [\n"), "invalid TOML"),
    ],
)
def test_bad_repo_gives_precise_error(tmp_path: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    d = write_tiny_repo(tmp_path)
    edit(d)
    with pytest.raises(InputError, match=r"repo\.toml|fixed\.py|api\.py") as info:
        load_repo_task(d)
    assert message in str(info.value)


def test_id_must_match_folder(tmp_path: Path) -> None:
    d = write_tiny_repo(tmp_path)
    renamed = d.rename(tmp_path / "other-name")
    with pytest.raises(InputError, match="equal the folder name"):
        load_repo_task(renamed)


def test_missing_suite_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_repo_suite(tmp_path / "absent")


def test_builtin_suite_shape() -> None:
    tasks = load_builtin_suite()
    assert len(tasks) >= 24
    per_language = Counter(t.language for t in tasks)
    for lang in ("python", "javascript", "java", "c", "go"):
        assert per_language[lang] >= 4, per_language
    assert len({t.id for t in tasks}) == len(tasks)
    modes = {t.context.mode for t in tasks}
    assert modes == {"files", "bm25"}
    for t in tasks:
        assert t.fixed_region.strip() != t.vulnerable_region.strip()
        assert t.safety_depends_on.split(":")[0] in t.files, t.id
        assert t.steps_of("exploit") and t.steps_of("functional"), t.id
