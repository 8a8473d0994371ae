"""The generic Judge hands repository-level tasks to the repository judge."""

import pytest

from seccal.judge import Judge, JudgeConfig, JudgeItem
from seccal.repo.bridge import repo_task_for
from seccal.tasks.registry import load_suite

pytestmark = pytest.mark.sandbox


def test_mixed_batch_routes_repo_tasks_and_keeps_order() -> None:
    repo = next(t for t in load_suite("repo") if t.language == "python")
    snippet = next(t for t in load_suite("builtin") if t.id == "sqli-user-lookup")
    region = repo_task_for(repo)
    items = [
        JudgeItem("r-fixed", repo, region.fixed_region),
        JudgeItem("s-insecure", snippet, snippet.insecure_reference or ""),
        JudgeItem("r-vuln", repo, region.vulnerable_region),
    ]
    verdicts = Judge(JudgeConfig(analyzers=())).judge_many(items)
    assert [v.generation_id for v in verdicts] == ["r-fixed", "s-insecure", "r-vuln"]
    assert verdicts[0].functional == "pass" and verdicts[0].security["dynamic"] == "secure"
    assert verdicts[1].functional == "pass" and verdicts[1].security["dynamic"] == "vulnerable"
    assert verdicts[2].functional == "pass" and verdicts[2].security["dynamic"] == "vulnerable"
