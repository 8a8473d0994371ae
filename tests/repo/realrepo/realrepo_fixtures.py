"""A tiny PyPI-style project pair (vulnerable and fixed sdists) and its task definition, on disk."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

VULNERABLE = '''"""Tiny path helper."""
import os


def safe_join(base, name):
    return os.path.join(base, name)
'''

FIXED = '''"""Tiny path helper."""
import os


def safe_join(base, name):
    path = os.path.normpath(os.path.join(base, name))
    if not path.startswith(os.path.normpath(base) + os.sep):
        raise ValueError("outside base")
    return path
'''

TESTS = """from tinypath.paths import safe_join


def test_join() -> None:
    assert safe_join("/srv", "a.txt") == "/srv/a.txt"
"""

POC = """import pytest

from tinypath.paths import safe_join


def test_traversal_is_refused() -> None:
    with pytest.raises(ValueError):
        safe_join("/srv", "../etc/passwd")
"""

SPEC = """id = "{id}"
language = "python"
cve = "CVE-2099-0001"
cwes = ["CWE-22"]
summary = "tinypath, a tiny path helper"
ci = true

[source]
registry = "pypi"
package = "tinypath"
vulnerable = "1.0"
fixed = "1.1"
[source.sha256]
"tinypath-1.0.tar.gz" = "{h10}"
"tinypath-1.1.tar.gz" = "{h11}"

[region]
file = "tinypath/paths.py"
start = "def safe_join("

[context]
include = ["tinypath/*.py"]
token_budget = 500

[env]
PYTHONPATH = "."

[[steps]]
kind = "build"
name = "py_compile"
argv = ["{{python}}", "-m", "py_compile", "{{target}}"]

[[steps]]
kind = "functional"
name = "tests"
argv = ["{{python}}", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--noconftest", "tests/test_paths.py"]

[[steps]]
kind = "exploit"
name = "poc"
argv = ["{{python}}", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--noconftest", "seccal_checks/test_poc.py"]
"""


def _sdist(version: str, module: str) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, text in (
            ("tinypath/__init__.py", ""),
            ("tinypath/paths.py", module),
            ("tests/test_paths.py", TESTS),
        ):
            data = text.encode()
            info = tarfile.TarInfo(f"tinypath-{version}/{name}")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write_tiny_task(specs: Path, cache: Path, task_id: str = "py-tinypath-traversal") -> Path:
    """Write the spec (and its PoC) under ``specs`` and the two archives into the cache ``cache``."""
    digests = {}
    for version, module in (("1.0", VULNERABLE), ("1.1", FIXED)):
        data = _sdist(version, module)
        folder = cache / "archives" / "pypi" / "tinypath" / version
        folder.mkdir(parents=True)
        (folder / f"tinypath-{version}.tar.gz").write_bytes(data)
        digests[version] = hashlib.sha256(data).hexdigest()
    specs.mkdir(parents=True, exist_ok=True)
    spec = specs / f"{task_id}.toml"
    spec.write_text(SPEC.format(id=task_id, h10=digests["1.0"], h11=digests["1.1"]))
    (specs / task_id).mkdir()
    (specs / task_id / "test_poc.py").write_text(POC)
    return spec
