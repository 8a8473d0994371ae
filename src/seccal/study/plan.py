"""The study plan: models × temperatures × suites × generation variants × tasks × samples,
and what it will cost.

Each planned generation has a deterministic id (a hash of model name,
temperature, task key, sample index and generation variant), so every run of the
same study plans the same ids and the store can tell what is already done.
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


BASELINE_VARIANT = "zero_shot"


def generation_id(
    model: str, temperature: float, task_key: str, sample: int, variant: str = BASELINE_VARIANT
) -> str:
    """Deterministic id of one planned generation.

    The zero-shot id is the one stores made before generation variants existed,
    so those runs resume; every other variant hashes its name in too.

    Examples
    --------
    >>> generation_id("m", 0.2, "builtin/x", 0) == generation_id("m", 0.20, "builtin/x", 0)
    True
    >>> generation_id("m", 0.2, "builtin/x", 0) == generation_id("m", 0.2, "builtin/x", 0, "cot")
    False
    """
    # Unit separators keep the fields apart; 4 decimals make 0.2 and 0.20 one temperature.
    text = f"{model}\x1f{float(temperature):.4f}\x1f{task_key}\x1f{int(sample)}"
    if variant != BASELINE_VARIANT:
        text += f"\x1f{variant}"
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
    variant: str = BASELINE_VARIANT


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

    def n_generations(self, variant: str | None = None) -> int:
        """Snippets in the plan (of one generation variant, or all), with assumed
        counts for unloadable suites."""
        gen = self.config.generate
        variants = gen.variants if variant is None else (variant,)
        per_condition = sum(
            s.n_tasks * gen.samples_for(v, s.samples) for s in self.suites for v in variants
        )
        return len(self.config.models) * len(self.config.temperatures) * per_condition

    def items(self) -> list[PlannedGeneration]:
        """Every planned generation of the loaded suites, in a stable order."""
        out: list[PlannedGeneration] = []
        for model in self.config.models:
            for temperature in self.config.temperatures:
                for suite in self.suites:
                    for variant in self.config.generate.variants:
                        samples = self.config.generate.samples_for(variant, suite.samples)
                        for task in suite.tasks:
                            for sample in range(samples):
                                gen_id = generation_id(
                                    model.name, temperature, task.key, sample, variant
                                )
                                out.append(
                                    PlannedGeneration(
                                        gen_id,
                                        model,
                                        temperature,
                                        suite.config.label,
                                        task,
                                        sample,
                                        variant,
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
        "generation_variants": {v: plan.n_generations(v) for v in plan.config.generate.variants},
        "generations": plan.n_generations(),
    }


def items_by_gen_id(items: Sequence[PlannedGeneration]) -> dict[str, PlannedGeneration]:
    """Index planned generations by id."""
    return {item.gen_id: item for item in items}
