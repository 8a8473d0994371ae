"""The CI subset of the shipped tasks, validated through the real judge where their sources are cached.

``scripts/setup.d/40-realrepo.sh`` (``seccal realrepo fetch --ci``) fills the cache;
without it these tests skip and say so.
"""

import pytest

from seccal.judge.config import default_sandbox_venv
from seccal.repo.realrepo.fetch import FetchError
from seccal.repo.realrepo.prepare import prepare
from seccal.repo.realrepo.spec import TaskSpec, load_specs
from seccal.repo.realrepo.table import validate_one

CI = [s for s in load_specs() if s.ci]


def _cached(spec: TaskSpec) -> bool:
    try:
        prepare(spec, offline=True)
    except FetchError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.parametrize("spec", CI, ids=[s.id for s in CI])
def test_ci_task_is_valid(spec: TaskSpec) -> None:
    if not (default_sandbox_venv() / "bin" / "python").exists():
        pytest.skip(f"sandbox environment {default_sandbox_venv()} missing")
    if not _cached(spec):
        pytest.skip(f"{spec.id}: sources not cached (run scripts/setup.d/40-realrepo.sh)")
    row = validate_one(spec, offline=True)
    assert row.status == "valid", row.reason
