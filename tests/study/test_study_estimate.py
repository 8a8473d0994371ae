"""Calls, tokens and cost per model and stage of a planned study."""

from typing import Any

from seccal.core.config import parse_study
from seccal.core.task import Task
from seccal.study.estimate import (
    COT_OUTPUT_TOKENS,
    FEW_SHOT_TOKENS,
    REPAIR_SHARE,
    estimate_calls,
)
from seccal.study.plan import build_plan

TASKS = [Task(f"t{i}", "s", "python", ("CWE-78",), "x" * 400, "solution.py") for i in range(5)]


def _plan(variants: list[str], **mitigations: Any):  # type: ignore[no-untyped-def]
    config = parse_study(
        {
            "study": {"name": "e", "temperatures": [0.0, 1.0], "samples": 2},
            "models": [{"provider": "openai", "model": "gpt-4o-mini"}],
            "suites": [{"name": "s"}],
            "generate": {"variants": variants},
            "elicit": {"methods": ["verbal"], "targets": ["security"]},
            "mitigations": mitigations,
        }
    )
    return build_plan(config, loader=lambda _: TASKS)


def _price(provider: str, model: str, tin: int, tout: int) -> float:
    return (tin + 4 * tout) / 1e6


def test_stages_and_variants_are_priced_apart() -> None:
    (zero,) = estimate_calls(_plan(["zero_shot"]), _price)
    assert set(zero.stages) == {"generate", "elicit"} and zero.repair_calls == 0
    assert zero.generation_calls == 2 * 5 * 2 and zero.elicitation_calls == 20
    (few,) = estimate_calls(_plan(["few_shot"]), _price)
    (cot,) = estimate_calls(_plan(["cot"]), _price)
    g0, gf, gc = (e.stages["generate"] for e in (zero, few, cot))
    assert gf.input_tokens - g0.input_tokens == 20 * FEW_SHOT_TOKENS
    assert gc.output_tokens - g0.output_tokens == 20 * COT_OUTPUT_TOKENS
    assert zero.cost_usd == sum(s.cost_usd or 0 for s in zero.stages.values())


def test_repair_is_a_stage_with_its_rounds_and_variants() -> None:
    repair = {"threshold": 0.5, "variants": ["confidence", "findings"], "rounds": 2}
    (est,) = estimate_calls(_plan(["zero_shot", "cot"], repair=repair), _price)
    repaired = int(40 * REPAIR_SHARE) * 2 * 2  # snippets x variants x rounds
    # One repair call and one call rating the repaired code each.
    assert est.repair_calls == repaired * 2
    assert est.calls == 40 + 40 + repaired * 2
