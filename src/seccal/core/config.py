"""The study configuration: a TOML file, validated into :class:`StudyConfig`.

A study is models × temperatures × tasks × samples, plus how confidence is
elicited and which checks decide ``secure``::

    [study]
    name = "paper"                 # run folder name under output_dir
    output_dir = "runs"
    temperatures = [0.0, 0.5, 1.0]
    samples = 5                    # per task, model and temperature
    label_source = "dynamic"       # dynamic | static | both
    max_tokens = 1024

    [[models]]
    name = "gpt-4o-mini"           # label used in tables (unique)
    provider = "openai"            # a seccal.models provider: openai, dashscope, gemini, llamacpp, ...
    model = "gpt-4o-mini"
    # base_url, api_key_env, form = "chat" | "completion", [models.params], [models.limits]

    [[suites]]
    name = "builtin"               # a suite spec: NAME or NAME:PATH
    # tasks = ["sqli-user-lookup"], limit = 12, samples = 10, tasks_file = "tasks.jsonl"

    [elicit]
    methods = ["verbal", "ptrue", "consistency", "likelihood"]
    targets = ["security", "functional"]       # verbal targets; "joint" asks both at once
    variants = ["zero_shot"]                   # zero_shot | few_shot | cot | few_shot_cot

    [generate]
    variants = ["zero_shot"]                   # how code is asked for (an axis of the study)

    [judge]
    batch_size = 64                            # snippets per sandbox
    analyzers = ["bandit", "semgrep"]          # [] = dynamic labels only

    [mitigations]                  # gates analysed; [mitigations.repair] runs repair
    gates = ["functional & static_clean"]

``[generate]`` and ``[mitigations]`` are read by :mod:`seccal.core.config_mitigations`.

Every validation error names the offending key (``models[1].provider: ...``).
API keys are never part of the config: only the *name* of the environment
variable holding one.

Why ~440 lines in one module: the study file's schema is one unit, each table's
dataclass beside the validator that builds it and :func:`parse_study` assembling
them, so that every error names its table and key the same way.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from seccal.core._toml_reader import TableReader as _Reader
from seccal.core.config_mitigations import (
    VARIANTS,
    GenerateConfig,
    MitigationsConfig,
    check_repair_confidence,
    parse_generate,
    parse_mitigations,
)
from seccal.core.findings import ANALYZER_NAMES
from seccal.core.labels import LABEL_SOURCES, LabelSource
from seccal.errors import ConfigError

Form = Literal["chat", "completion"]

#: Snippets per judge sandbox (one warm driver forks a child per snippet): large
#: batches pay the sandbox start and warm-up imports less often, and a slow batch
#: yields its rest to idle workers (``seccal.judge.core``).
DEFAULT_JUDGE_BATCH = 64
METHODS = ("verbal", "ptrue", "consistency", "likelihood")
TARGETS = ("security", "functional", "joint")
# Local models without a chat format are base models; they get completion-form prompts.
_LOCAL_PROVIDERS = ("llamacpp",)
#: Named local models that chat (core imports nothing, so the names are repeated here from
#: seccal/models/data/local_models.toml; a test keeps the two in step).
LOCAL_CHAT_MODELS = ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b")


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """One model of the study (no secrets: ``api_key_env`` is a variable *name*)."""

    name: str
    provider: str
    model: str
    base_url: str | None = None
    api_key_env: str | None = None
    form: Form = "chat"
    params: Mapping[str, Any] = field(default_factory=dict)
    limits: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuiteConfig:
    """One task suite, optionally restricted to a subset of its tasks."""

    name: str
    tasks: tuple[str, ...] = ()
    limit: int | None = None
    samples: int | None = None
    tasks_file: str | None = None

    @property
    def label(self) -> str:
        """Short suite name for tables (the part before ``:PATH``)."""
        return self.name.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class ElicitConfig:
    """Which confidence methods run and how."""

    methods: tuple[str, ...] = ("verbal", "ptrue", "consistency", "likelihood")
    targets: tuple[str, ...] = ("security", "functional")
    variants: tuple[str, ...] = ("zero_shot",)
    temperature: float = 0.0
    max_tokens: int = 16
    cot_max_tokens: int = 512
    consistency_samples: int = 5
    consistency_temperature: float = 1.0
    top_logprobs: int = 20


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """Calibration-metric settings passed to ``seccal.calibration.summarize``."""

    n_bins: int = 10
    strategy: str = "uniform"
    tau: float = 0.8
    n_boot: int = 1000
    seed: int = 0


@dataclass(frozen=True, slots=True)
class JudgeSettings:
    """How snippets are judged (passed to ``seccal.judge.JudgeConfig``)."""

    batch_size: int = DEFAULT_JUDGE_BATCH
    analyzers: tuple[str, ...] = ANALYZER_NAMES
    #: SARIF files (CodeQL or any analyzer) whose findings join the static label; a
    #: result belongs to the generation whose id is a folder or the file stem of its path.
    sarif: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StudyConfig:
    """A validated study."""

    name: str
    output_dir: str
    temperatures: tuple[float, ...]
    samples: int
    label_source: LabelSource
    max_tokens: int
    models: tuple[ModelConfig, ...]
    suites: tuple[SuiteConfig, ...]
    elicit: ElicitConfig = ElicitConfig()
    analysis: AnalysisConfig = AnalysisConfig()
    judge: JudgeSettings = JudgeSettings()
    cost_limit_usd: float | None = None
    generate: GenerateConfig = field(default_factory=GenerateConfig)
    mitigations: MitigationsConfig = field(default_factory=MitigationsConfig)
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (stored with the run)."""
        d = asdict(self)
        d.pop("source")
        d["mitigations"] = self.mitigations.to_dict()
        return d

    @property
    def digest(self) -> str:
        """Hash of the settings that change results (not where or how much to spend)."""
        d = self.to_dict()
        d.pop("output_dir")
        d.pop("cost_limit_usd")
        # Sections added later hash as before while left at their defaults, so a run
        # folder made before them resumes without a "config changed" warning.
        if self.generate == GenerateConfig():
            d.pop("generate")
        if not d["mitigations"]:
            d.pop("mitigations")
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    def run_dir(self, base: Path | None = None) -> Path:
        """Folder holding this study's store, metrics and report."""
        root = Path(self.output_dir) if base is None else base
        return root / self.name


_LIMIT_KEYS = (
    "concurrency",
    "requests_per_minute",
    "tokens_per_minute",
    "timeout_s",
    "max_retries",
)


def _limits(raw: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    r = _Reader(raw, where, _LIMIT_KEYS)
    out: dict[str, Any] = {}
    for key in ("concurrency", "max_retries"):
        if key in raw:
            out[key] = r.integer(key, None, minimum=1 if key == "concurrency" else 0)
    for key in ("requests_per_minute", "tokens_per_minute", "timeout_s"):
        if key in raw:
            out[key] = r.number(key, None, lo=1e-9, hi=float("inf"))
    return out


def _default_form(provider: str, model: str, params: Mapping[str, Any]) -> Form:
    """Chat, except for a local model with no chat format (a base model)."""
    if provider not in _LOCAL_PROVIDERS:
        return "chat"
    fmt = params.get("chat_format")
    if fmt is None and model in LOCAL_CHAT_MODELS and not params.get("model_path"):
        fmt = "chatml"
    return "chat" if fmt not in (None, "none") else "completion"


def _models(raw: Any) -> tuple[ModelConfig, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError("models: at least one [[models]] table is required")
    models: list[ModelConfig] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ConfigError(f"models[{i}]: expected a table")
        r = _Reader(
            item,
            f"models[{i}]",
            (
                "name",
                "provider",
                "model",
                "base_url",
                "api_key_env",
                "form",
                "params",
                "limits",
                "api_key",
            ),
        )
        if "api_key" in item:
            # Keys in files end up in version control and run folders.
            raise ConfigError(
                f"models[{i}].api_key: API keys are not read from config files; "
                "set api_key_env to the name of an environment variable"
            )
        provider = r.text("provider", required=True)
        model = r.text("model", required=True)
        params = r.table_("params")
        default_form = _default_form(provider, model, params)
        models.append(
            ModelConfig(
                name=r.text("name", model),
                provider=provider,
                model=model,
                base_url=r.text("base_url"),
                api_key_env=r.text("api_key_env"),
                form=r.choice("form", default_form, ("chat", "completion")),
                params=params,
                limits=_limits(r.table_("limits"), f"models[{i}].limits"),
            )
        )
    names = [m.name for m in models]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ConfigError(f"models[{i}].name: duplicate model name {name!r}")
    return tuple(models)


def _suites(raw: Any) -> tuple[SuiteConfig, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError("suites: at least one [[suites]] table is required")
    suites: list[SuiteConfig] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ConfigError(f"suites[{i}]: expected a table")
        r = _Reader(item, f"suites[{i}]", ("name", "tasks", "limit", "samples", "tasks_file"))
        tasks = r._get("tasks", (list,), "a list of task ids", [])
        for j, t in enumerate(tasks):
            if not isinstance(t, str) or not t:
                raise ConfigError(f"suites[{i}].tasks[{j}]: expected a task id, got {t!r}")
        suites.append(
            SuiteConfig(
                name=r.text("name", required=True),
                tasks=tuple(tasks),
                limit=r.integer("limit", None, minimum=1),
                samples=r.integer("samples", None, minimum=1),
                tasks_file=r.text("tasks_file"),
            )
        )
    labels = [s.label for s in suites]
    for i, label in enumerate(labels):
        if labels.index(label) != i:
            raise ConfigError(f"suites[{i}].name: suite {label!r} is listed twice")
    return tuple(suites)


def _elicit(raw: Mapping[str, Any]) -> ElicitConfig:
    known = tuple(ElicitConfig.__dataclass_fields__)
    r = _Reader(raw, "elicit", known)
    d = ElicitConfig()
    return ElicitConfig(
        methods=r.choices("methods", d.methods, METHODS),
        targets=r.choices("targets", d.targets, TARGETS),
        variants=r.choices("variants", d.variants, VARIANTS),
        temperature=r.number("temperature", d.temperature, lo=0.0, hi=2.0),
        max_tokens=r.integer("max_tokens", d.max_tokens, minimum=1),
        cot_max_tokens=r.integer("cot_max_tokens", d.cot_max_tokens, minimum=1),
        consistency_samples=r.integer("consistency_samples", d.consistency_samples, minimum=2),
        consistency_temperature=r.number(
            "consistency_temperature", d.consistency_temperature, lo=0.0, hi=2.0
        ),
        top_logprobs=r.integer("top_logprobs", d.top_logprobs, minimum=1),
    )


def _analysis(raw: Mapping[str, Any]) -> AnalysisConfig:
    r = _Reader(raw, "analysis", tuple(AnalysisConfig.__dataclass_fields__))
    d = AnalysisConfig()
    return AnalysisConfig(
        n_bins=r.integer("n_bins", d.n_bins, minimum=1),
        strategy=r.choice("strategy", d.strategy, ("uniform", "quantile")),
        tau=r.number("tau", d.tau, lo=0.0, hi=1.0),
        n_boot=r.integer("n_boot", d.n_boot, minimum=0),
        seed=r.integer("seed", d.seed),
    )


def _judge(raw: Mapping[str, Any]) -> JudgeSettings:
    r = _Reader(raw, "judge", ("batch_size", "analyzers", "sarif"))
    d = JudgeSettings()
    analyzers = r._get("analyzers", (list,), "a list of analyzer names", list(d.analyzers))
    for i, name in enumerate(analyzers):
        if name not in ANALYZER_NAMES:
            known = ", ".join(ANALYZER_NAMES)
            raise ConfigError(f"judge.analyzers[{i}]: {name!r} is not one of {known}")
    sarif = r._get("sarif", (list,), "a list of SARIF file paths", list(d.sarif))
    for i, path in enumerate(sarif):
        if not isinstance(path, str) or not path:
            raise ConfigError(f"judge.sarif[{i}]: {path!r} is not a file path")
    return JudgeSettings(
        batch_size=r.integer("batch_size", d.batch_size, minimum=1),
        analyzers=tuple(dict.fromkeys(analyzers)),
        sarif=tuple(sarif),
    )


def parse_study(data: Mapping[str, Any], *, source: str = "") -> StudyConfig:
    """Validate a parsed TOML document into a :class:`StudyConfig`.

    Raises
    ------
    ConfigError
        Naming the key (``study.temperatures[2]``, ``models[0].provider``, ...).
    """
    top = _Reader(
        data,
        "",
        ("study", "models", "suites", "generate", "elicit", "analysis", "judge", "mitigations"),
    )
    if "study" not in data:
        raise ConfigError("study: required table [study] is missing")
    s = _Reader(
        top.table_("study"),
        "study",
        (
            "name",
            "output_dir",
            "temperatures",
            "samples",
            "label_source",
            "max_tokens",
            "cost_limit_usd",
        ),
    )
    temps = s._get("temperatures", (list,), "a list of numbers", None)
    if not temps:
        raise ConfigError("study.temperatures: a non-empty list of temperatures is required")
    for i, t in enumerate(temps):
        if isinstance(t, bool) or not isinstance(t, int | float) or not 0.0 <= t <= 2.0:
            raise ConfigError(f"study.temperatures[{i}]: expected a number in [0, 2], got {t!r}")
    name = s.text("name", required=True)
    if "/" in name or name in (".", ".."):
        raise ConfigError(f"study.name: {name!r} must be a plain folder name")
    elicit = _elicit(top.table_("elicit"))
    mitigations = parse_mitigations(top.table_("mitigations"))
    check_repair_confidence(mitigations, elicit.methods, elicit.targets, elicit.variants)
    return StudyConfig(
        name=name,
        output_dir=s.text("output_dir", "runs"),
        temperatures=tuple(dict.fromkeys(round(float(t), 4) for t in temps)),
        samples=s.integer("samples", 1, minimum=1),
        label_source=s.choice("label_source", "dynamic", LABEL_SOURCES),
        max_tokens=s.integer("max_tokens", 1024, minimum=1),
        judge=_judge(top.table_("judge")),
        cost_limit_usd=s.number("cost_limit_usd", None, lo=0.0, hi=float("inf")),
        models=_models(data.get("models")),
        suites=_suites(data.get("suites")),
        elicit=elicit,
        analysis=_analysis(top.table_("analysis")),
        generate=parse_generate(top.table_("generate")),
        mitigations=mitigations,
        source=source,
    )


def load_study(path: str | Path) -> StudyConfig:
    """Read and validate a study TOML file.

    Raises
    ------
    ConfigError
        When the file is missing, not TOML (with line and column) or invalid.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read study config: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    try:
        return parse_study(data, source=str(p))
    except ConfigError as exc:
        raise ConfigError(f"{p}: {exc}") from None
