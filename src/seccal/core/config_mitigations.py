"""The ``[generate]`` and ``[mitigations]`` tables of a study, typed and validated.

::

    [generate]
    variants = ["zero_shot", "few_shot", "cot", "few_shot_cot"]  # how code is asked for
    reasoning_max_tokens = 512     # extra output tokens for the reasoning of cot variants
    variant_samples = 2            # samples per task for variants other than zero_shot
                                   # (default: as many as zero_shot)

    [mitigations]
    gates = ["compiles", "functional", "functional & static_clean"]  # default: standard gates

    [mitigations.repair]           # present = repair runs as a stage after judging
    threshold = 0.5                # repair snippets whose security confidence is below this
    variants = ["confidence", "findings"]
    rounds = 1                     # round r repairs round r-1's code still below threshold
    confidence = "conf_security_verbal"
    max_tokens = 1024

Generation variants are an experimental axis of the study (crossed with models,
temperatures and suites), separate from ``[elicit] variants`` (how confidence is
asked). The vocabularies of gates and repair variants live here, the one place the
config, the mitigation code and the report share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from seccal.core._toml_reader import TableReader
from seccal.errors import ConfigError

#: Prompt variants (generation and elicitation share the names).
VARIANTS = ("zero_shot", "few_shot", "cot", "few_shot_cot")
#: Names a gate is built from (``&`` combines them); see :mod:`seccal.mitigate.gating`.
GATE_NAMES = ("compiles", "functional", "static_clean", "confidence")
RepairVariant = Literal["confidence", "findings"]
#: ``confidence``: the model is told its own confidence; ``findings``: the analyzers' too.
REPAIR_VARIANTS: tuple[RepairVariant, ...] = ("confidence", "findings")


@dataclass(frozen=True, slots=True)
class GenerateConfig:
    """How code is asked for: the generation prompt variants crossed with the study."""

    variants: tuple[str, ...] = ("zero_shot",)
    reasoning_max_tokens: int = 512
    variant_samples: int | None = None

    def samples_for(self, variant: str, samples: int) -> int:
        """Samples per task of ``variant`` in a suite that asks ``samples`` zero-shot."""
        if variant == "zero_shot" or self.variant_samples is None:
            return samples
        return min(samples, self.variant_samples)


@dataclass(frozen=True, slots=True)
class RepairConfig:
    """Calibration-guided repair, run as a study stage after judging."""

    threshold: float = 0.5
    variants: tuple[RepairVariant, ...] = ("confidence",)
    rounds: int = 1
    confidence: str = "conf_security_verbal"
    max_tokens: int = 1024


@dataclass(frozen=True, slots=True)
class MitigationsConfig:
    """Execution gates analysed and the repair stage (``None``: not run)."""

    gates: tuple[str, ...] | None = None
    repair: RepairConfig | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form; unset parts are left out (``gates`` absent = the standard gates)."""
        out: dict[str, Any] = {}
        if self.gates is not None:
            out["gates"] = list(self.gates)
        if self.repair is not None:
            r = self.repair
            out["repair"] = {
                "threshold": r.threshold,
                "variants": list(r.variants),
                "rounds": r.rounds,
                "confidence": r.confidence,
                "max_tokens": r.max_tokens,
            }
        return out


def parse_generate(raw: Mapping[str, Any]) -> GenerateConfig:
    """Validate ``[generate]``."""
    r = TableReader(raw, "generate", tuple(GenerateConfig.__dataclass_fields__))
    d = GenerateConfig()
    return GenerateConfig(
        variants=r.choices("variants", d.variants, VARIANTS),
        reasoning_max_tokens=r.integer("reasoning_max_tokens", d.reasoning_max_tokens, minimum=1),
        variant_samples=r.integer("variant_samples", None, minimum=1),
    )


def _gates(r: TableReader) -> tuple[str, ...] | None:
    raw = r._get("gates", (list,), "a list of gates such as 'functional & static_clean'", None)
    if raw is None:
        return None
    out = []
    for i, spec in enumerate(raw):
        if not isinstance(spec, str) or not spec.strip():
            raise ConfigError(
                f"mitigations.gates[{i}]: expected a gate such as 'functional & static_clean'"
            )
        for name in (p.strip() for p in spec.split("&")):
            if name not in GATE_NAMES:
                raise ConfigError(
                    f"mitigations.gates[{i}]: unknown gate {name!r}; "
                    f"expected one of {', '.join(GATE_NAMES)}"
                )
        out.append(" & ".join(p.strip() for p in spec.split("&")))
    return tuple(dict.fromkeys(out))


def _repair(raw: Mapping[str, Any]) -> RepairConfig:
    r = TableReader(raw, "mitigations.repair", tuple(RepairConfig.__dataclass_fields__))
    d = RepairConfig()
    confidence = r.text("confidence", d.confidence)
    if not confidence.startswith(("conf_security_verbal", "conf_security_joint")):
        raise ConfigError(
            f"mitigations.repair.confidence: {confidence!r} is not a verbalized security "
            "confidence column (conf_security_verbal[_VARIANT] or conf_security_joint[_VARIANT]); "
            "only those can be asked again about repaired code"
        )
    return RepairConfig(
        threshold=r.number("threshold", d.threshold, lo=0.0, hi=1.0),
        variants=r.choices("variants", d.variants, REPAIR_VARIANTS),
        rounds=r.integer("rounds", d.rounds, minimum=1),
        confidence=confidence,
        max_tokens=r.integer("max_tokens", d.max_tokens, minimum=1),
    )


def parse_mitigations(raw: Mapping[str, Any]) -> MitigationsConfig:
    """Validate ``[mitigations]`` (unknown keys rejected, naming the accepted ones)."""
    r = TableReader(raw, "mitigations", ("gates", "repair"))
    repair = _repair(r.table_("repair")) if "repair" in raw else None
    return MitigationsConfig(gates=_gates(r), repair=repair)


def check_repair_confidence(
    mitigations: MitigationsConfig,
    methods: tuple[str, ...],
    targets: tuple[str, ...],
    variants: tuple[str, ...],
) -> None:
    """The repair's selecting confidence must be one the ``[elicit]`` table produces."""
    repair = mitigations.repair
    if repair is None:
        return
    joint = repair.confidence.startswith("conf_security_joint")
    target = "joint" if joint else "security"
    if "verbal" not in methods or target not in targets:
        raise ConfigError(
            f"mitigations.repair.confidence: {repair.confidence!r} needs elicit.methods to "
            f"include 'verbal' and elicit.targets to include {target!r}"
        )
    stem = "conf_security_joint" if joint else "conf_security_verbal"
    variant = repair.confidence.removeprefix(stem).removeprefix("_")
    if variant and variant not in variants:
        raise ConfigError(
            f"mitigations.repair.confidence: prompt variant {variant!r} is not in "
            f"elicit.variants ({', '.join(variants)})"
        )
