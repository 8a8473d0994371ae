"""The study plan: models × temperatures × tasks × samples, and what it will cost.

Each planned generation has a deterministic id (a hash of model name,
temperature, task key and sample index), so every run of the same study plans
the same ids and the store can tell what is already done.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seccal.core.config import ModelConfig, StudyConfig, SuiteConfig
from seccal.core.task import Task, task_from_dict
from seccal.errors import ConfigError, InputError

log = logging.getLogger(__name__)

SuiteLoader = Callable[[str], list[Task]]

# Cost-estimate assumptions, printed with the estimate (tokens ≈ characters / 4).
GEN_OUTPUT_TOKENS = 350
CHAT_OVERHEAD_TOKENS = 60
ELICIT_OVERHEAD_TOKENS = 180
FEW_SHOT_TOKENS = 400
COT_OUTPUT_TOKENS = 250


def generation_id(model: str, temperature: float, task_key: str, sample: int) -> str:
    """Deterministic id of one planned generation.

    Examples
    --------
    >>> generation_id("m", 0.2, "builtin/x", 0) == generation_id("m", 0.20, "builtin/x", 0)
    True
    """
    # Unit separators keep the fields apart; 4 decimals make 0.2 and 0.20 one temperature.
    text = f"{model}\x1f{float(temperature):.4f}\x1f{task_key}\x1f{int(sample)}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class PlannedGeneration:
    """One snippet to generate."""

    gen_id: str
    model: ModelConfig
    temperature: float
    suite: str
    task: Task
    sample: int


@dataclass(slots=True)
class SuitePlan:
    """The tasks of one suite as planned (``assumed`` when the suite could not be loaded)."""

    config: SuiteConfig
    tasks: list[Task]
    samples: int
    assumed_tasks: int | None = None

    @property
    def n_tasks(self) -> int:
        """Number of tasks (the assumed count when the suite is not loadable)."""
        return self.assumed_tasks if self.assumed_tasks is not None else len(self.tasks)


@dataclass(slots=True)
class Plan:
    """Everything a study will generate, plus warnings from resolving it."""

    config: StudyConfig
    suites: list[SuitePlan]
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        """All loaded tasks."""
        return [t for s in self.suites for t in s.tasks]

    def n_generations(self) -> int:
        """Snippets in the plan (with assumed counts for unloadable suites)."""
        per_condition = sum(s.n_tasks * s.samples for s in self.suites)
        return len(self.config.models) * len(self.config.temperatures) * per_condition

    def items(self) -> list[PlannedGeneration]:
        """Every planned generation of the loaded suites, in a stable order."""
        out: list[PlannedGeneration] = []
        for model in self.config.models:
            for temperature in self.config.temperatures:
                for suite in self.suites:
                    for task in suite.tasks:
                        for sample in range(suite.samples):
                            out.append(
                                PlannedGeneration(
                                    generation_id(model.name, temperature, task.key, sample),
                                    model,
                                    temperature,
                                    suite.config.label,
                                    task,
                                    sample,
                                )
                            )
        return out


def read_tasks_file(path: str | Path) -> list[Task]:
    """Tasks from a JSONL file of ``Task.to_dict()`` records.

    Raises
    ------
    InputError
        Naming the file and line of a malformed record.
    """
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{p}: cannot read tasks file: {exc.strerror}") from None
    tasks = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            tasks.append(task_from_dict(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{p}: line {lineno}: not a task record: {exc}") from None
    return tasks


def _default_loader(spec: str) -> list[Task]:
    from seccal.tasks.registry import load_suite

    return load_suite(spec)


def _select(suite: SuiteConfig, index: int, tasks: list[Task]) -> list[Task]:
    tasks = sorted(tasks, key=lambda t: t.id)
    if suite.tasks:
        by_id = {t.id: t for t in tasks}
        chosen = []
        for j, task_id in enumerate(suite.tasks):
            if task_id not in by_id:
                raise ConfigError(
                    f"suites[{index}].tasks[{j}]: no task {task_id!r} in suite {suite.name!r}"
                )
            chosen.append(by_id[task_id])
        tasks = chosen
    if suite.limit is not None:
        tasks = tasks[: suite.limit]
    return tasks


def build_plan(
    config: StudyConfig,
    *,
    allow_unknown_suites: bool = False,
    loader: SuiteLoader | None = None,
    base_dir: Path | None = None,
) -> Plan:
    """Resolve the study's suites into tasks and plan the generations.

    Parameters
    ----------
    config:
        The study.
    allow_unknown_suites:
        For dry runs: a suite that cannot be loaded (unknown name, data absent)
        becomes a warning, and its task count is assumed from ``limit`` or
        ``tasks`` in the config.
    loader:
        Suite loader (default :func:`seccal.tasks.registry.load_suite`).
    base_dir:
        Folder that relative ``tasks_file`` paths are resolved against
        (the study file's folder).

    Raises
    ------
    ConfigError
        A suite cannot be loaded (when not allowed) or a listed task is missing.
    """
    load = loader or _default_loader
    plan = Plan(config, [])
    for i, suite in enumerate(config.suites):
        samples = suite.samples or config.samples
        try:
            if suite.tasks_file is not None:
                path = Path(suite.tasks_file)
                if base_dir is not None and not path.is_absolute():
                    path = base_dir / path
                raw = read_tasks_file(path)
            else:
                raw = load(suite.name)
        except (ConfigError, InputError) as exc:
            if not allow_unknown_suites:
                raise ConfigError(f"suites[{i}].name: {exc}") from None
            assumed = suite.limit if suite.limit is not None else len(suite.tasks)
            plan.warnings.append(
                f"suite {suite.name!r} cannot be loaded here ({exc}); "
                f"assuming {assumed} tasks from the config"
            )
            plan.suites.append(SuitePlan(suite, [], samples, assumed_tasks=assumed))
            continue
        tasks = _select(suite, i, raw)
        if not tasks:
            plan.warnings.append(f"suite {suite.name!r} has no tasks to run")
        elif suite.limit is not None and len(tasks) < suite.limit and not suite.tasks:
            plan.warnings.append(
                f"suite {suite.name!r} has {len(tasks)} tasks, fewer than limit {suite.limit}"
            )
        plan.suites.append(SuitePlan(suite, tasks, samples))
    return plan


@dataclass(frozen=True, slots=True)
class CallEstimate:
    """Calls and estimated cost of one model's part of a plan."""

    model: str
    generation_calls: int
    elicitation_calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None


def _elicit_calls_per_snippet(config: StudyConfig, form: str) -> tuple[int, int, int]:
    """(calls, extra input tokens per call, output tokens) per generated snippet."""
    e = config.elicit
    calls = 0
    out_tokens = 0
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
    return calls, ELICIT_OVERHEAD_TOKENS, out_tokens


def estimate_calls(
    plan: Plan, prices: Callable[[str, str, int, int], float | None]
) -> list[CallEstimate]:
    """Calls and cost per model.

    Parameters
    ----------
    plan:
        The plan.
    prices:
        ``(provider, model, input_tokens, output_tokens) -> USD or None``.

    Notes
    -----
    Token counts are estimates: prompt characters / 4, plus
    ``CHAT_OVERHEAD_TOKENS`` per chat request, ``GEN_OUTPUT_TOKENS`` output per
    generation (capped at ``max_tokens``), and each elicitation prompt carrying
    the code (≈ ``GEN_OUTPUT_TOKENS``) plus ``ELICIT_OVERHEAD_TOKENS``
    (``FEW_SHOT_TOKENS`` more for few-shot variants).
    """
    config = plan.config
    out: list[CallEstimate] = []
    prompt_tokens = 0
    snippets_per_condition = 0
    for suite in plan.suites:
        if suite.tasks:
            mean_prompt = sum(len(t.prompt) for t in suite.tasks) / len(suite.tasks) / 4
        else:
            mean_prompt = 150.0  # typical code-prefix prompt when the suite is not loadable
        prompt_tokens += int(mean_prompt * suite.n_tasks * suite.samples)
        snippets_per_condition += suite.n_tasks * suite.samples
    n_temps = len(config.temperatures)
    gen_out = min(config.max_tokens, GEN_OUTPUT_TOKENS)
    few_shot = sum(v.startswith("few_shot") for v in config.elicit.variants)
    for model in config.models:
        gens = snippets_per_condition * n_temps
        overhead = CHAT_OVERHEAD_TOKENS if model.form == "chat" else 0
        calls, per_call_in, per_snippet_out = _elicit_calls_per_snippet(config, model.form)
        in_tokens = n_temps * prompt_tokens + gens * overhead
        in_tokens += gens * calls * (gen_out + per_call_in)
        if "verbal" in config.elicit.methods:
            in_tokens += gens * few_shot * len(config.elicit.targets) * FEW_SHOT_TOKENS
        out_tokens = gens * (gen_out + per_snippet_out)
        out.append(
            CallEstimate(
                model.name,
                gens,
                gens * calls,
                in_tokens,
                out_tokens,
                prices(model.provider, model.model, in_tokens, out_tokens),
            )
        )
    return out


def summarize_plan(plan: Plan) -> dict[str, object]:
    """Counts of the plan as a dict (for the CLI and tests)."""
    return {
        "models": [m.name for m in plan.config.models],
        "temperatures": list(plan.config.temperatures),
        "suites": {
            s.config.label: {
                "tasks": s.n_tasks,
                "samples": s.samples,
                "assumed": s.assumed_tasks is not None,
            }
            for s in plan.suites
        },
        "generations": plan.n_generations(),
    }


def items_by_gen_id(items: Sequence[PlannedGeneration]) -> dict[str, PlannedGeneration]:
    """Index planned generations by id."""
    return {item.gen_id: item for item in items}
