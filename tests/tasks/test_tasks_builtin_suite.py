import base64
import json
import shutil
from pathlib import Path

import pytest

from seccal.core.task import TestRole, task_from_dict
from seccal.errors import InputError
from seccal.tasks.builtin_suite import BUILTIN_DIR, load_builtin_dir, sandbox_packages

PROMPT = 'import sqlite3\n\n\ndef get_user(db, name):\n    """Return the user row."""\n'


def _write_task(root: Path, task_id: str = "sqli-demo", **overrides: str) -> Path:
    folder = root / task_id
    folder.mkdir(parents=True)
    files = {
        "task.toml": (
            f'id = "{task_id}"\ncwes = ["CWE-89"]\nentry_point = "get_user"\n'
            'kind = "library"\ndependencies = []\nsummary = "demo"\n'
        ),
        "prompt.py": PROMPT,
        "secure.py": PROMPT + "    return db.execute('select ?', (name,)).fetchone()\n",
        "insecure.py": PROMPT + "    return db.execute(f'select {name}').fetchone()\n",
        "test_functional.py": "def test_ok():\n    pass\n",
        "test_security.py": "def test_exploit():\n    pass\n",
    }
    files.update(overrides)
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text)
    return folder


def test_valid_folder_loads_as_task(tmp_path: Path) -> None:
    folder = _write_task(tmp_path)
    (folder / "files" / "data").mkdir(parents=True)
    (folder / "files" / "data" / "users.csv").write_text("alice\n")
    (folder / "files" / "logo.bin").write_bytes(b"\xff\xfe\x00")
    [task] = load_builtin_dir(tmp_path)
    assert task.id == "sqli-demo" and task.suite == "builtin" and task.module_name == "solution.py"
    assert task.cwes == ("CWE-89",)
    assert [t.role for t in task.tests] == [TestRole.FUNCTIONAL, TestRole.SECURITY]
    assert task.secure_reference is not None and task.secure_reference.startswith(task.prompt)
    assert task.extra_files == {"data/users.csv": "alice\n"}
    assert base64.b64decode(task.binary_files["logo.bin"]) == b"\xff\xfe\x00"
    assert task.metadata["kind"] == "library"
    assert task_from_dict(json.loads(json.dumps(task.to_dict()))) == task  # binary files survive


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"secure.py": "import os\n"}, r"secure\.py: -: does not begin with the exact text"),
        (
            {
                "task.toml": 'id = "other"\ncwes=["CWE-89"]\nentry_point="get_user"\nkind="library"\n'
            },
            r"task\.toml: id: 'other' differs from folder name 'sqli-demo'",
        ),
        (
            {
                "task.toml": 'id = "sqli-demo"\ncwes=["89"]\nentry_point="get_user"\nkind="library"\n'
            },
            r"task\.toml: cwes: '89' is not of the form",
        ),
        (
            {
                "task.toml": 'id = "sqli-demo"\ncwes=["CWE-89"]\nentry_point="get_user"\nkind="cli"\n'
            },
            r"task\.toml: kind: 'cli' is not one of",
        ),
        (
            {"task.toml": 'id = "sqli-demo"\ncwes=["CWE-89"]\nkind="library"\n'},
            r"task\.toml: entry_point: missing",
        ),
        (
            {
                "task.toml": 'id = "sqli-demo"\ncwes=["CWE-89"]\nentry_point="get_user"\n'
                'kind="library"\ndependencies=["leftpad"]\n'
            },
            r"dependencies: 'leftpad' is not in scripts/sandbox-requirements.txt",
        ),
        ({"test_security.py": "def test_x(:\n"}, r"test_security\.py: line 1: not valid Python"),
        ({"task.toml": "id = \n"}, r"task\.toml: -: invalid TOML"),
    ],
)
def test_invalid_folder_names_file_field_reason(
    tmp_path: Path, override: dict[str, str], message: str
) -> None:
    _write_task(tmp_path, **override)
    with pytest.raises(InputError, match=message):
        load_builtin_dir(tmp_path)


def test_missing_test_file_is_reported(tmp_path: Path) -> None:
    folder = _write_task(tmp_path)
    (folder / "test_functional.py").unlink()
    with pytest.raises(InputError, match=r"test_functional\.py: -: required file missing"):
        load_builtin_dir(tmp_path)


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    _write_task(tmp_path, "good-one")
    _write_task(tmp_path, "bad-one", **{"insecure.py": "x = 1\n"})
    bad = tmp_path / "worse-one"
    shutil.copytree(tmp_path / "good-one", bad)
    with pytest.raises(InputError) as info:
        load_builtin_dir(tmp_path)
    text = str(info.value)
    assert "2 problem(s)" in text and "bad-one/insecure.py" in text and "worse-one" in text


def test_sandbox_packages_reads_requirement_names(tmp_path: Path) -> None:
    req = tmp_path / "r.txt"
    req.write_text("# comment\nFlask==3.1\nPyJWT>=2.8  # jwt\n\nflask_sqlalchemy>=3\n")
    assert sandbox_packages(req) == frozenset({"flask", "pyjwt", "flask-sqlalchemy"})


def test_builtin_dir_is_inside_the_package() -> None:
    assert BUILTIN_DIR.name == "builtin" and BUILTIN_DIR.parent.name == "tasks"
