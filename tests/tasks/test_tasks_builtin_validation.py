"""The whole built-in suite validated through the real judge (sandboxed).

Secure references must pass functional and security tests; insecure references
must pass functional tests and fail security tests. Every task, no skips.
"""

import pytest

from seccal.judge.config import default_sandbox_venv
from seccal.tasks.registry import load_suite
from seccal.tasks.validate import seccal_judge, validate_tasks

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]


def test_builtin_references_behave_as_labelled() -> None:
    if not (default_sandbox_venv() / "bin" / "python").exists():
        pytest.skip(f"sandbox environment missing at {default_sandbox_venv()}")
    tasks = load_suite("builtin")
    report = validate_tasks("builtin", tasks, seccal_judge())
    problems = [
        f"{r.task_id}: {r.reason or '; '.join(c.reference + ': ' + c.detail for c in r.checks)}"
        for r in report.results
        if r.status != "pass"
    ]
    assert not problems, "\n".join(problems)
    assert report.passed == len(tasks)
