"""Helpers shared by the repository tests: a tiny Python repository on disk."""

from __future__ import annotations

from pathlib import Path

TOML = """id = "{id}"
language = "python"
cwes = ["CWE-22"]
summary = "tiny test repo"
safety_depends_on = "lib/guard.py: clean() must be called"
instruction = "Implement get(name)."
target = "lib/api.py"

[context]
mode = "{mode}"
files = {files}
token_budget = {budget}
"""


def write_tiny_repo(
    root: Path,
    repo_id: str = "tiny-repo",
    *,
    mode: str = "files",
    files: str = '["lib/guard.py"]',
    budget: int = 500,
    steps: str = "",
) -> Path:
    """Write a minimal valid Python repository folder and return it."""
    d = root / repo_id
    (d / "files" / "lib").mkdir(parents=True)
    (d / "tests").mkdir()
    (d / "repo.toml").write_text(
        TOML.format(id=repo_id, mode=mode, files=files, budget=budget) + steps
    )
    (d / "files" / "lib" / "__init__.py").write_text("")
    (d / "files" / "lib" / "guard.py").write_text(
        "def clean(name):\n    return name.replace('..', '')\n"
    )
    (d / "files" / "lib" / "api.py").write_text(
        "from lib.guard import clean\n\n\nclass Api:\n    <<<SECCAL_REGION>>>\n\n\nX = 1\n"
    )
    (d / "fixed.py").write_text("def get(self, name):\n    return clean(name)\n")
    (d / "vulnerable.py").write_text("def get(self, name):\n    return name\n")
    (d / "tests" / "__init__.py").write_text("")
    (d / "tests" / "test_functional.py").write_text(
        "import unittest\nfrom lib.api import Api\n\n\nclass T(unittest.TestCase):\n"
        "    def test_plain(self):\n        self.assertEqual(Api().get('a.txt'), 'a.txt')\n"
    )
    (d / "tests" / "test_exploit.py").write_text(
        "import unittest\nfrom lib.api import Api\n\n\nclass T(unittest.TestCase):\n"
        "    def test_dotdot(self):\n        self.assertNotIn('..', Api().get('../x'))\n"
    )
    return d
