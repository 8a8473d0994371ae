"""Check built-in task references outside the sandbox (development aid, trusted code only).

For each task folder: the secure reference must pass functional and security tests; the
insecure reference must pass functional tests and fail security tests. Also checks that both
references begin with ``prompt.py`` and that ``task.toml`` names its folder.

Usage: ``python scripts/dev/check_builtin_refs_b.py [TASK_ID ...]`` (default: every task).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

BUILTIN = Path(__file__).resolve().parents[2] / "src" / "seccal" / "tasks" / "builtin"


def run_tests(task_dir: Path, reference: str, test_file: str) -> tuple[bool, float, str]:
    """Run one test file against one reference in a fresh temp dir; return (passed, secs, tail)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in ("test_functional.py", "test_security.py"):
            shutil.copy(task_dir / name, work / name)
        shutil.copy(task_dir / reference, work / "solution.py")
        if (task_dir / "files").is_dir():
            shutil.copytree(task_dir / "files", work, dirs_exist_ok=True)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file],
            check=False,
            cwd=work,
            capture_output=True,
            text=True,
            timeout=60,
        )
        # pytest's own "in 0.12s" (collection + tests, without interpreter start-up)
        found = re.findall(r" in ([0-9.]+)s", proc.stdout)
        secs = float(found[-1]) if found else float("nan")
        return proc.returncode == 0, secs, (proc.stdout + proc.stderr)[-1500:]


def check(task_dir: Path) -> list[str]:
    """Return the problems found in one task folder (empty when it is valid)."""
    problems: list[str] = []
    meta = tomllib.loads((task_dir / "task.toml").read_text())
    if meta.get("id") != task_dir.name:
        problems.append(f"task.toml id {meta.get('id')!r} != folder name")
    prompt = (task_dir / "prompt.py").read_text()
    for ref in ("secure.py", "insecure.py"):
        if not (task_dir / ref).read_text().startswith(prompt):
            problems.append(f"{ref} does not begin with prompt.py")
    expected = {
        ("secure.py", "test_functional.py"): True,
        ("secure.py", "test_security.py"): True,
        ("insecure.py", "test_functional.py"): True,
        ("insecure.py", "test_security.py"): False,
    }
    for (ref, test), want in expected.items():
        ok, secs, tail = run_tests(task_dir, ref, test)
        if secs > 2.0:
            # a note, not a failure: on a loaded machine every run gets slow
            print(f"    note: {task_dir.name} {ref} {test} took {secs:.1f}s (budget 2s)")
        if ok != want:
            problems.append(f"{ref} {test}: {'passed' if ok else 'failed'}\n{tail}")
    return problems


def main(argv: list[str]) -> int:
    """Check the named tasks (or all); print a line per task; exit 1 on any problem."""
    dirs = (
        [BUILTIN / a for a in argv]
        if argv
        else sorted(p.parent for p in BUILTIN.glob("*/task.toml"))
    )
    bad = 0
    for task_dir in dirs:
        problems = check(task_dir)
        print(f"{'OK ' if not problems else 'BAD'} {task_dir.name}", flush=True)
        for p in problems:
            print("    " + p.replace("\n", "\n    "))
        bad += bool(problems)
    print(f"{len(dirs) - bad}/{len(dirs)} tasks valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
