"""Check built-in task references without the judge (for task authors; trusted code only).

For each task folder: the secure reference must pass test_functional.py and
test_security.py; the insecure reference must pass test_functional.py and fail
test_security.py. Runs pytest in a temporary copy of the task, unsandboxed — use
``seccal tasks validate builtin`` for the real, sandboxed check.

Usage: python scripts/dev/check_builtin_refs.py [--suite-dir DIR] [--python PY] [TASK_ID ...]
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from seccal.tasks.builtin_suite import BUILTIN_DIR, load_builtin_dir  # noqa: E402
from seccal.core.task import Task, TestRole  # noqa: E402

EXPECT = {
    ("secure", "functional"): True,
    ("secure", "security"): True,
    ("insecure", "functional"): True,
    ("insecure", "security"): False,
}


def run_role(task: Task, code: str, role: TestRole, python: str) -> tuple[bool, str]:
    """Run one test role against ``code`` in a fresh work dir; (passed, output tail)."""
    with tempfile.TemporaryDirectory(prefix="seccal-refcheck-") as tmp:
        work = Path(tmp)
        for name, text in task.extra_files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(text)
        for name, data in task.binary_files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(base64.b64decode(data))
        (work / task.module_name).write_text(code)
        files = []
        for spec in task.tests_for(role):
            (work / spec.filename).write_text(spec.source)
            files.append(spec.filename)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        }
        proc = subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        return proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-1000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task_ids", nargs="*")
    parser.add_argument("--suite-dir", type=Path, default=BUILTIN_DIR)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    tasks = load_builtin_dir(args.suite_dir)
    if args.task_ids:
        tasks = [t for t in tasks if t.id in set(args.task_ids)]
    bad = 0
    for task in tasks:
        start = time.monotonic()
        problems = []
        for (ref, role), want in EXPECT.items():
            code = task.secure_reference if ref == "secure" else task.insecure_reference
            passed, out = run_role(task, code or "", TestRole(role), args.python)
            if passed != want:
                problems.append(f"{ref} {role}: expected {'pass' if want else 'fail'}\n{out}")
        bad += bool(problems)
        print(f"{'OK  ' if not problems else 'FAIL'} {task.id} ({time.monotonic() - start:.1f} s)")
        for p in problems:
            print("   ", p.replace("\n", "\n    "))
    print(f"{len(tasks) - bad}/{len(tasks)} tasks behave as labelled")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
