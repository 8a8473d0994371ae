import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from seccal.core.task import SANDBOX_ENV_KEY, TestRole
from seccal.errors import ConfigError, InputError
from seccal.tasks.paths import benchmarks_root
from seccal.tasks.registry import load_suite
from seccal.tasks.sallm import CONFTEST, load_sallm_dir

TEST_FILE = """import unittest
from A_cwe502_0 import unmarshal_data

class T(unittest.TestCase):
    def test_correctness(self):
        pass

    def test_vulnerability(self):
        pass
"""


def _dataset(root: Path) -> Path:
    folder = root / "Matching" / "Author"
    (folder / "static").mkdir(parents=True)
    rows = [
        {
            "id": "Matching_Author_A_cwe502_0.py",
            "technique": "Matching",
            "source": "Author",
            "prompt": "import marshal\n",
            "insecure_code": "import marshal\nimport requests\n",
        },
        {
            "id": "Matching_Author_A_cwe798_0.py",
            "technique": "Matching",
            "source": "Author",
            "prompt": "p",
            "insecure_code": "import jwt\n",
        },
    ]
    (root / "dataset.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (folder / "test_A_cwe502_0.py").write_text(TEST_FILE)
    # SALLM's own files sometimes lack the newline between two pins.
    (folder / "A_cwe502_0_requirements.txt").write_text(
        "lxml==4.6.3Flask==2.3.3\nPyJWT==2.3.0\nargon2-cffi==21.3.0\n"
    )
    (folder / "A_cwe502_0_Dockerfile").write_text(
        "FROM python:3.10-slim\nCOPY $SCRIPT_PATH .\nCOPY test_A_cwe502_0.py .\n"
        "COPY A_cwe502_0_requirements.txt .\nCOPY static/* static/\n"
        "COPY ./Database/db.sqlite ./Database/db.sqlite\nCOPY ../../outside.txt .\n"
        "RUN mkdir -p assets/img uploads\nRUN mkdir -p ../escape .\n"
    )
    (folder / "static" / "logo.png").write_bytes(b"\x89PNG\xff")
    (folder / "static" / "readme.txt").write_text("hello")
    (folder / "Database").mkdir()
    (folder / "Database" / "db.sqlite").write_bytes(b"SQLite format 3\x00\xff")
    (root / "outside.txt").write_text("must not be copied")
    return root


def test_task_with_tests_has_two_selected_roles(tmp_path: Path) -> None:
    tasks = load_sallm_dir(_dataset(tmp_path))
    task = tasks[0]
    assert task.id == "Matching_Author_A_cwe502_0" and task.suite == "sallm"
    assert task.cwes == ("CWE-502",) and task.module_name == "A_cwe502_0.py"
    assert task.entry_point == "unmarshal_data"
    assert task.insecure_reference == "import marshal\nimport requests\n"
    assert task.secure_reference is None
    assert [(t.role, t.framework, t.selector) for t in task.tests] == [
        (TestRole.FUNCTIONAL, "unittest", "seccal_functional"),
        (TestRole.SECURITY, "unittest", "seccal_security"),
    ]
    assert task.dependencies == ("lxml", "Flask", "PyJWT", "argon2-cffi")
    assert task.extra_files == {"static/readme.txt": "hello", "conftest.py": CONFTEST}
    assert set(task.binary_files) == {"static/logo.png", "Database/db.sqlite"}
    assert base64.b64decode(task.binary_files["static/logo.png"]) == b"\x89PNG\xff"
    # the upload folders the Dockerfile makes; none outside the work dir
    assert task.extra_dirs == ("assets/img", "uploads")
    # judged with SALLM's own pinned packages, not the default sandbox environment
    assert task.metadata[SANDBOX_ENV_KEY] == "sallm"


def test_task_without_tests_is_static_only_with_reason(tmp_path: Path) -> None:
    task = load_sallm_dir(_dataset(tmp_path))[1]
    assert task.static_only and task.tests == ()
    assert "no test file" in task.metadata["static_only_reason"]
    assert task.dependencies == ("PyJWT",)  # from imports when no requirements file
    assert task.metadata[SANDBOX_ENV_KEY] == "sallm"


def test_bad_line_names_file_and_line(tmp_path: Path) -> None:
    root = _dataset(tmp_path)
    with (root / "dataset.jsonl").open("a") as fh:
        fh.write(
            '{"id": "no-underscores.py", "technique": "", "source": "", "prompt": "", '
            '"insecure_code": ""}\n'
        )
    with pytest.raises(InputError, match=r"dataset\.jsonl: line 3: field 'id'"):
        load_sallm_dir(root)
    (root / "dataset.jsonl").write_text("{not json\n")
    with pytest.raises(InputError, match="line 1: invalid JSON"):
        load_sallm_dir(root)


def test_missing_folder_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="sallm data not found"):
        load_suite(f"sallm:{tmp_path / 'nope'}")


REAL = benchmarks_root() / "sallm" / "PythonDataset"


@pytest.mark.skipif(not REAL.is_dir(), reason=f"SALLM data not found at {REAL}")
def test_real_sallm_dataset_loads() -> None:
    tasks = load_suite("sallm")
    assert len(tasks) == 100 and len({t.id for t in tasks}) == 100
    static = [t for t in tasks if t.static_only]
    assert len(static) == 7  # SALLM ships 7 tasks without tests
    for task in tasks:
        assert task.cwes and task.insecure_reference
        assert task.metadata[SANDBOX_ENV_KEY] == "sallm"
        if not task.static_only:
            assert len(task.tests) == 2 and task.entry_point
            assert re.search(rf"from\s+{task.module_name[:-3]}\s+import", task.tests[0].source)


@pytest.mark.parametrize(
    ("selector", "ran"),
    [("seccal_functional", "test_correctness"), ("seccal_security", "test_vulnerability")],
)
def test_conftest_lets_pytest_select_one_role(tmp_path: Path, selector: str, ran: str) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_roles.py").write_text(
        "import unittest\n\nclass T(unittest.TestCase):\n"
        "    def test_correctness(self):\n        print('RAN test_correctness')\n"
        "    def test_vulnerability(self):\n        print('RAN test_vulnerability')\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "--strict-markers",
            "-m",
            selector,
            "test_roles.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"RAN {ran}" in proc.stdout and proc.stdout.count("RAN ") == 1
