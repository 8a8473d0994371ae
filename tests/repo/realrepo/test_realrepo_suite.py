"""The whole path of a realrepo task: cache -> RepoTask -> Task -> repo judge in the sandbox."""

from pathlib import Path

import pytest
from realrepo_fixtures import write_tiny_task

from seccal.judge.config import default_sandbox_venv
from seccal.repo.bridge import repo_task_for
from seccal.repo.judge import judge_region
from seccal.repo.model import REGION_MARKER
from seccal.repo.realrepo import suite
from seccal.repo.realrepo.fetch import CACHE_ENV
from seccal.repo.realrepo.prepare import CHECKS_DIR, prepare
from seccal.repo.realrepo.spec import load_spec
from seccal.repo.realrepo.table import validate_one
from seccal.tasks.registry import known_suites

needs_sandbox = pytest.mark.skipif(
    not (default_sandbox_venv() / "bin" / "python").exists(),
    reason=f"sandbox environment {default_sandbox_venv()} missing (scripts/setup.d/20-sandbox.sh)",
)


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return write_tiny_task(tmp_path / "specs", tmp_path / "cache")


def test_prepare_masks_the_fixed_file_and_keeps_both_regions(tiny: Path) -> None:
    p = prepare(load_spec(tiny), offline=True)
    task = p.task
    assert REGION_MARKER in task.files["tinypath/paths.py"]
    assert "normpath" in task.fixed_region and "normpath" not in task.vulnerable_region
    assert f"{CHECKS_DIR}/test_poc.py" in task.test_files
    assert task.seed_dir is not None and (Path(task.seed_dir) / "tests" / "test_paths.py").is_file()
    assert task.context.mode == "bm25" and task.context.token_budget == 500


def test_task_view_records_context_and_resolves_back(tiny: Path) -> None:
    assert "realrepo" in known_suites()
    t = suite.to_task(suite.prepared(load_spec(tiny), offline=True))
    assert t.suite == "realrepo" and t.kind == "repository"
    assert t.secure_reference is not None and "normpath" in t.secure_reference
    assert t.metadata["context"]["mode"] == "bm25"
    assert "<MASKED REGION" in t.prompt and "tinypath/paths.py" in t.prompt
    assert {s.role for s in t.tests} == {"functional", "security"}
    assert repo_task_for(t).id == t.id


@needs_sandbox
@pytest.mark.sandbox
def test_tiny_task_validates_through_the_sandboxed_judge(tiny: Path) -> None:
    row = validate_one(load_spec(tiny), offline=True)
    assert row.status == "valid", row.reason
    assert row.region_lines == 5 and row.context_tokens is not None
    task = prepare(load_spec(tiny), offline=True).task
    broken = judge_region(task, "def safe_join(base, name):\n    return 1/0\n")
    assert broken.functional == "fail"


def test_missing_sources_offline_make_an_unknown_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty"))
    spec = write_tiny_task(tmp_path / "specs", tmp_path / "elsewhere")
    row = validate_one(load_spec(spec), offline=True)
    assert row.status == "unknown" and "not in the cache" in row.reason
