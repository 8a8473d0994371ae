import json
from pathlib import Path

import pytest

from seccal.core.config import parse_study
from seccal.core.task import Task
from seccal.errors import ConfigError, InputError
from seccal.study.estimate import estimate_calls
from seccal.study.plan import build_plan, generation_id, read_tasks_file


def _task(i: int, suite: str = "s") -> Task:
    return Task(
        id=f"t{i}",
        suite=suite,
        language="python",
        cwes=("CWE-89",),
        prompt="def f():\n" + "#" * 40 * i + "\n",
        module_name="solution.py",
    )


def _config(**suite: object) -> object:
    return parse_study(
        {
            "study": {"name": "p", "temperatures": [0.0, 1.0], "samples": 2},
            "models": [
                {"provider": "openai", "model": "gpt-4o-mini"},
                {"provider": "llamacpp", "model": "gemma", "name": "local"},
            ],
            "suites": [{"name": "s", **suite}],
        }
    )


def loader(spec: str) -> list[Task]:
    if spec != "s":
        raise ConfigError(f"unknown suite {spec!r}")
    return [_task(i) for i in range(5)]


def test_plan_is_models_x_temperatures_x_tasks_x_samples() -> None:
    plan = build_plan(_config(), loader=loader)  # type: ignore[arg-type]
    items = plan.items()
    assert len(items) == plan.n_generations() == 2 * 2 * 5 * 2
    assert len({i.gen_id for i in items}) == len(items)
    again = build_plan(_config(), loader=loader)  # type: ignore[arg-type]
    assert [i.gen_id for i in again.items()] == [i.gen_id for i in items]
    assert items[0].gen_id == generation_id("gpt-4o-mini", 0.0, "s/t0", 0)


def test_subset_limit_and_per_suite_samples() -> None:
    plan = build_plan(_config(tasks=["t3", "t1"], samples=3), loader=loader)  # type: ignore[arg-type]
    assert [t.id for t in plan.tasks] == ["t3", "t1"]
    assert plan.n_generations() == 2 * 2 * 2 * 3
    assert [t.id for t in build_plan(_config(limit=2), loader=loader).tasks] == ["t0", "t1"]  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"suites\[0\]\.tasks\[0\]: no task 'nope'"):
        build_plan(_config(tasks=["nope"]), loader=loader)  # type: ignore[arg-type]


def test_unknown_suite_fails_unless_dry_run() -> None:
    config = parse_study(
        {
            "study": {"name": "p", "temperatures": [0.0]},
            "models": [{"provider": "openai", "model": "gpt-4o-mini"}],
            "suites": [{"name": "repo-builtin", "limit": 50, "samples": 4}],
        }
    )
    with pytest.raises(ConfigError, match=r"suites\[0\]\.name: unknown suite"):
        build_plan(config, loader=loader)
    plan = build_plan(config, loader=loader, allow_unknown_suites=True)
    assert plan.n_generations() == 200 and plan.items() == []
    assert "assuming 50 tasks" in plan.warnings[0]


def test_estimate_counts_calls_and_prices() -> None:
    plan = build_plan(_config(), loader=loader)  # type: ignore[arg-type]
    seen = []

    def price(provider: str, model: str, tin: int, tout: int) -> float | None:
        seen.append((provider, tin, tout))
        return None if provider == "llamacpp" else (tin + tout) / 1e6

    est = {e.model: e for e in estimate_calls(plan, price)}
    gens = 2 * 5 * 2
    # verbal security + functional, P(True), 5 consistency samples per snippet
    assert est["gpt-4o-mini"].generation_calls == gens
    assert est["gpt-4o-mini"].elicitation_calls == gens * (2 + 1 + 5)
    assert est["gpt-4o-mini"].cost_usd is not None and est["local"].cost_usd is None
    # chat requests carry an overhead the completion form does not
    assert est["gpt-4o-mini"].input_tokens > est["local"].input_tokens


def test_tasks_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(_task(1).to_dict()) + "\n\n{not json}\n")
    with pytest.raises(InputError, match=r"tasks\.jsonl: line 3"):
        read_tasks_file(path)
    path.write_text(json.dumps(_task(1).to_dict()) + "\n")
    assert read_tasks_file(path) == [_task(1)]
