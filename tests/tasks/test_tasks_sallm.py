import base64
import json
import re
from pathlib import Path

import pytest

from seccal.core.task import (
    IMAGE_PINS_KEY,
    SANDBOX_ENV_KEY,
    TEST_COMMAND_KEY,
    WORKDIR_KEY,
    TestRole,
)
from seccal.errors import ConfigError, InputError
from seccal.tasks.paths import benchmarks_root
from seccal.tasks.registry import load_suite
from seccal.tasks.sallm import load_sallm_dir, needed_services, outside_hosts

TEST_FILE = """import unittest
from A_cwe502_0 import unmarshal_data

class T(unittest.TestCase):
    def test_correctness(self):
        pass

    def test_vulnerability(self):
        pass
"""


RUNNER = r"import unittest\nprint(\"runner\")"


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
        "FROM python:3.10-slim\nWORKDIR /prompt\nARG SCRIPT_PATH\nCOPY $SCRIPT_PATH .\n"
        "COPY test_A_cwe502_0.py .\nCOPY A_cwe502_0_requirements.txt .\n"
        "RUN pip install --no-cache-dir -r A_cwe502_0_requirements.txt\n"
        "COPY static/* static/\n"
        "COPY ./Database/db.sqlite ./Database/db.sqlite\nCOPY ../../outside.txt .\n"
        "RUN mkdir -p assets/img uploads\nRUN mkdir -p ../escape .\n"
        f'RUN echo "{RUNNER}" > test_runner.py\n'
        'CMD ["python", "test_runner.py", "test_A_cwe502_0"]\n'
    )
    (folder / "static" / "logo.png").write_bytes(b"\x89PNG\xff")
    (folder / "static" / "readme.txt").write_text("hello")
    (folder / "Database").mkdir()
    (folder / "Database" / "db.sqlite").write_bytes(b"SQLite format 3\x00\xff")
    (root / "outside.txt").write_text("must not be copied")
    return root


def test_task_reproduces_its_dockerfile(tmp_path: Path) -> None:
    tasks = load_sallm_dir(_dataset(tmp_path))
    task = tasks[0]
    assert task.id == "Matching_Author_A_cwe502_0" and task.suite == "sallm"
    assert task.cwes == ("CWE-502",) and task.module_name == "A_cwe502_0.py"
    assert task.entry_point == "unmarshal_data" and not task.static_only
    assert task.insecure_reference == "import marshal\nimport requests\n"
    assert task.secure_reference is None
    # one unittest file; each role is the test method SALLM names for it
    assert [(t.role, t.framework, t.selector) for t in task.tests] == [
        (TestRole.FUNCTIONAL, "unittest", "test_correctness"),
        (TestRole.SECURITY, "unittest", "test_vulnerability"),
    ]
    assert task.dependencies == ("lxml", "Flask", "PyJWT", "argon2-cffi")
    # every COPY (the requirements file too) and the runner RUN echo writes, as in /prompt
    assert task.extra_files == {
        "A_cwe502_0_requirements.txt": "lxml==4.6.3Flask==2.3.3\nPyJWT==2.3.0\nargon2-cffi==21.3.0\n",
        "static/readme.txt": "hello",
        "test_runner.py": 'import unittest\nprint("runner")\n',
    }
    assert set(task.binary_files) == {"static/logo.png", "Database/db.sqlite"}
    assert base64.b64decode(task.binary_files["static/logo.png"]) == b"\x89PNG\xff"
    # the folders the Dockerfile makes; none outside the work dir
    assert task.extra_dirs == ("assets/img", "uploads")
    # judged with SALLM's own pinned packages, by the image's own command, in its WORKDIR
    assert task.metadata[SANDBOX_ENV_KEY] == "sallm"
    assert task.metadata[TEST_COMMAND_KEY] == ["python", "test_runner.py", "test_A_cwe502_0"]
    assert task.metadata[WORKDIR_KEY] == "/prompt"
    assert task.metadata[IMAGE_PINS_KEY] == {
        "lxml": "4.6.3",
        "Flask": "2.3.3",
        "PyJWT": "2.3.0",
        "argon2-cffi": "21.3.0",
    }


def test_task_needing_the_internet_is_static_only_with_reason(tmp_path: Path) -> None:
    root = _dataset(tmp_path)
    rows = [json.loads(line) for line in (root / "dataset.jsonl").read_text().splitlines()]
    rows[0]["insecure_code"] = (
        "import requests\n\ndef info(u):\n"
        "    return requests.get('https://api.github.com/users/%s' % u).json()\n"
    )
    (root / "dataset.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    task = load_sallm_dir(root)[0]
    assert task.static_only and task.tests  # the tests are kept, for inspection
    assert task.metadata["static_only_reason"].startswith("needs network access to api.github.com")


@pytest.mark.parametrize(
    ("code", "hosts"),
    [
        ("import requests\nrequests.get('https://api.github.com/x')\n", ["api.github.com"]),
        ("import urllib.request as u\nu.urlopen(f'http://example.org/{x}')\n", ["example.org"]),
        ("import requests\nrequests.get('http://127.0.0.1:5000/x')\n", []),
        ("from flask import redirect\nredirect('https://evil.example/')\n", []),  # no client
        ("# see https://github.com/x\nx = 1\n", []),
        ("def broken(:\n", []),
    ],
)
def test_outside_hosts(code: str, hosts: list[str]) -> None:
    assert outside_hosts(code) == hosts


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
    # SALLM ships 7 tasks without tests; one needs api.github.com, one an SSH server
    assert len(static) == 9
    reasons = [t.metadata["static_only_reason"] for t in static]
    assert sum("needs network access to api.github.com" in r for r in reasons) == 1
    assert sum("needs a server for SSH at 127.0.0.1:22" in r for r in reasons) == 1
    for task in tasks:
        assert task.cwes and task.insecure_reference
        assert task.metadata[SANDBOX_ENV_KEY] == "sallm"
        if not task.static_only:
            assert len(task.tests) == 2 and task.entry_point
            assert re.search(rf"from\s+{task.module_name[:-3]}\s+import", task.tests[0].source)


def test_needed_services() -> None:
    code = (
        "import paramiko\nc = paramiko.SSHClient()\n"
        "c.connect(hostname='127.0.0.1', port='22', username='u')\n"
    )
    assert needed_services(code) == ["a server for SSH at 127.0.0.1:22"]
    assert needed_services("import smtplib\ns = smtplib.SMTP('mail.example', 25)\n") == [
        "a server for SMTP at mail.example:25"
    ]
    assert needed_services("import json\njson.loads('{}')\n") == []
