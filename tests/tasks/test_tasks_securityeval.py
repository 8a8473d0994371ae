import json
from pathlib import Path

import pytest

from seccal.errors import ConfigError, InputError
from seccal.tasks.registry import load_suite
from seccal.tasks.securityeval import load_securityeval_file


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


ROWS = [
    {
        "ID": "CWE-020_author_1.py",
        "Prompt": "import yaml\n\n\ndef yaml_load(filename):\n    '''x'''\n",
        "Insecure_code": "import yaml\n\n\ndef yaml_load(filename):\n    return yaml.load(open(filename))\n",
    },
    {"ID": "CWE-089_codeql_1.py", "Prompt": "def q(): ...", "Insecure_code": "import os\n"},
]


def test_lines_become_static_only_tasks(tmp_path: Path) -> None:
    tasks = load_suite(f"securityeval:{_write(tmp_path / 'dataset.jsonl', ROWS)}")
    first = tasks[0]
    assert first.id == "CWE-020_author_1" and first.cwes == ("CWE-20",)
    assert first.static_only and first.tests == ()
    assert first.module_name == "CWE-020_author_1.py" and first.entry_point == "yaml_load"
    assert first.dependencies == ("PyYAML",)
    assert "static analysis" in first.metadata["static_only_reason"]
    assert tasks[1].cwes == ("CWE-89",) and tasks[1].dependencies == ()


def test_folder_path_finds_dataset(tmp_path: Path) -> None:
    _write(tmp_path / "dataset.jsonl", ROWS)
    assert len(load_suite(f"securityeval:{tmp_path}")) == 2


def test_bad_id_and_duplicates_name_the_line(tmp_path: Path) -> None:
    bad = _write(tmp_path / "a.jsonl", [*ROWS, {**ROWS[0], "ID": "author_1.py"}])
    with pytest.raises(InputError, match=r"a\.jsonl: line 3: field 'ID'"):
        load_securityeval_file(bad)
    dup = _write(tmp_path / "b.jsonl", [ROWS[0], ROWS[0]])
    with pytest.raises(InputError, match=r"line 2: field 'ID'.*repeats line 1"):
        load_securityeval_file(dup)
    missing = _write(tmp_path / "c.jsonl", [{"ID": "CWE-1_x.py", "Prompt": "p"}])
    with pytest.raises(InputError, match="field 'Insecure_code' missing"):
        load_securityeval_file(missing)


def test_without_path_explains_it_is_not_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECCAL_BENCHMARKS", str(tmp_path))
    with pytest.raises(ConfigError, match="not shipped with seccal"):
        load_suite("securityeval")
