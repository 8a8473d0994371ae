"""What a planned study will call and cost, per model and per stage (``--dry-run``).

Token counts are estimates: prompt characters / 4, plus :data:`CHAT_OVERHEAD_TOKENS`
per chat request, :data:`GEN_OUTPUT_TOKENS` output per generation (capped at
``max_tokens``), :data:`FEW_SHOT_TOKENS` more input for a few-shot prompt,
:data:`COT_OUTPUT_TOKENS` more output for a reasoning-then-code answer, and each
elicitation prompt carrying the code (≈ :data:`GEN_OUTPUT_TOKENS`) plus
:data:`ELICIT_OVERHEAD_TOKENS`. Repair assumes :data:`REPAIR_SHARE` of the snippets fall
below its threshold in every round (the real share is known only after elicitation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from seccal.core.config import StudyConfig
from seccal.study.plan import Plan

GEN_OUTPUT_TOKENS = 350
CHAT_OVERHEAD_TOKENS = 60
ELICIT_OVERHEAD_TOKENS = 180
FEW_SHOT_TOKENS = 400
COT_OUTPUT_TOKENS = 250
REPAIR_OVERHEAD_TOKENS = 150
REPAIR_SHARE = 0.5
#: Stages that call models, in pipeline order.
PAID_STAGES = ("generate", "elicit", "repair")

Prices = Callable[[str, str, int, int], float | None]


@dataclass(frozen=True, slots=True)
class StageEstimate:
    """Calls, tokens and cost of one stage for one model (``cost_usd`` None: no price)."""

    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None


@dataclass(frozen=True, slots=True)
class CallEstimate:
    """Calls and estimated cost of one model's part of a plan, per stage and in total."""

    model: str
    stages: dict[str, StageEstimate] = field(default_factory=dict)

    def _sum(self, attr: str) -> int:
        return sum(int(getattr(s, attr)) for s in self.stages.values())

    @property
    def generation_calls(self) -> int:
        """Generation calls."""
        return self.stages["generate"].calls

    @property
    def elicitation_calls(self) -> int:
        """Elicitation calls."""
        return self.stages["elicit"].calls

    @property
    def repair_calls(self) -> int:
        """Repair calls (repair and the confidence asked of the repaired code)."""
        s = self.stages.get("repair")
        return 0 if s is None else s.calls

    @property
    def calls(self) -> int:
        """Every call of every stage."""
        return self._sum("calls")

    @property
    def input_tokens(self) -> int:
        """Input tokens of every stage."""
        return self._sum("input_tokens")

    @property
    def output_tokens(self) -> int:
        """Output tokens of every stage."""
        return self._sum("output_tokens")

    @property
    def cost_usd(self) -> float | None:
        """Estimated cost of every stage (None when the model has no price)."""
        costs = [s.cost_usd for s in self.stages.values()]
        return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)


def elicit_calls_per_snippet(config: StudyConfig, form: str) -> tuple[int, int]:
    """(calls, output tokens) of the elicitation of one generated snippet."""
    e = config.elicit
    calls = out_tokens = 0
    if "verbal" in e.methods:
        for target in e.targets:
            for variant in e.variants:
                # A base model answers one number per prompt: joint = two prompts.
                n = 2 if target == "joint" and form == "completion" else 1
                calls += n
                cot = variant.endswith("cot")
                out_tokens += n * (
                    min(e.cot_max_tokens, COT_OUTPUT_TOKENS) if cot else e.max_tokens
                )
    if "ptrue" in e.methods:
        calls += 1
        out_tokens += 1
    if "consistency" in e.methods:
        calls += e.consistency_samples
        out_tokens += e.consistency_samples * 2
    return calls, out_tokens


def _priced(
    price: Callable[[int, int], float | None], calls: int, tin: int, tout: int
) -> StageEstimate:
    return StageEstimate(calls, tin, tout, price(tin, tout))


def _mean_prompt_tokens(plan: Plan) -> float:
    tokens = weight = 0.0
    for suite in plan.suites:
        if suite.tasks:
            mean = sum(len(t.prompt) for t in suite.tasks) / len(suite.tasks) / 4
        else:
            mean = 150.0  # typical code-prefix prompt when the suite is not loadable
        tokens += mean * suite.n_tasks * suite.samples
        weight += suite.n_tasks * suite.samples
    return tokens / weight if weight else 0.0


def estimate_calls(plan: Plan, prices: Prices) -> list[CallEstimate]:
    """Calls, tokens and cost per model and stage.

    Parameters
    ----------
    plan:
        The plan.
    prices:
        ``(provider, model, input_tokens, output_tokens) -> USD or None``.
    """
    config = plan.config
    gen_out = min(config.max_tokens, GEN_OUTPUT_TOKENS)
    reasoning = min(config.generate.reasoning_max_tokens, COT_OUTPUT_TOKENS)
    prompt = _mean_prompt_tokens(plan)
    few_shot_elicit = sum(v.startswith("few_shot") for v in config.elicit.variants)
    repair = config.mitigations.repair
    out: list[CallEstimate] = []
    for model in config.models:
        overhead = CHAT_OVERHEAD_TOKENS if model.form == "chat" else 0
        price = partial(prices, model.provider, model.model)

        gens = g_in = g_out = 0
        for variant in config.generate.variants:
            n = plan.n_generations(variant) // max(1, len(config.models))
            extra_in = FEW_SHOT_TOKENS if variant.startswith("few_shot") else 0
            extra_out = reasoning if variant.endswith("cot") else 0
            gens += n
            g_in += int(n * (prompt + overhead + extra_in))
            g_out += n * (gen_out + extra_out)
        stages = {"generate": _priced(price, gens, g_in, g_out)}
        calls, per_snippet_out = elicit_calls_per_snippet(config, model.form)
        e_in = gens * calls * (gen_out + ELICIT_OVERHEAD_TOKENS)
        if "verbal" in config.elicit.methods:
            e_in += gens * few_shot_elicit * len(config.elicit.targets) * FEW_SHOT_TOKENS
        stages["elicit"] = _priced(price, gens * calls, e_in, gens * per_snippet_out)
        if repair is not None:
            repaired = int(gens * REPAIR_SHARE) * len(repair.variants) * repair.rounds
            rate_calls = 2 if model.form == "completion" and "joint" in repair.confidence else 1
            r_in = repaired * int(prompt + gen_out + REPAIR_OVERHEAD_TOKENS + overhead)
            r_in += repaired * rate_calls * (gen_out + ELICIT_OVERHEAD_TOKENS)
            r_out = repaired * (min(repair.max_tokens, gen_out) + rate_calls * 16)
            stages["repair"] = _priced(price, repaired * (1 + rate_calls), r_in, r_out)
        out.append(CallEstimate(model.name, stages))
    return out
