"""CI validation of the built-in repository suite.

Every repository: the fixed reference builds, passes its functional tests and
resists the exploit; the vulnerable reference builds, passes its functional
tests and falls to the exploit. A missing toolchain skips with its reason.
"""

import pytest

from seccal.repo.judge import validate_task
from seccal.repo.loader import load_builtin_suite

TASKS = load_builtin_suite()


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_references_validate(task) -> None:  # type: ignore[no-untyped-def]
    result = validate_task(task)
    if result.ok is None:
        pytest.skip(f"{task.id}: {result.problems[0]}")
    assert result.ok, "\n".join(result.problems)
