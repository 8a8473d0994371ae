"""Mitigations: execution gating, calibration-guided repair, prompting variants.

Each analysis reads the results table (one row per generation) and uses
:mod:`seccal.calibration` for every metric and interval.
"""

from seccal.core.config_mitigations import REPAIR_VARIANTS
from seccal.mitigate.gating import (
    COMPILES,
    FUNCTIONAL,
    STATIC_CLEAN,
    AllOf,
    ConfidenceGate,
    FlagGate,
    Gate,
    GateResult,
    NoGate,
    confidence_at_least,
    evaluate_gates,
    standard_gates,
)
from seccal.mitigate.paired import PairedResult, security_vs_functional
from seccal.mitigate.prompting import VariantComparison, VariantResult, compare_variants
from seccal.mitigate.repair import (
    RepairPrompt,
    RepairSummary,
    repair_prompt,
    select_candidates,
    summarize_repair,
)

__all__ = [
    "COMPILES",
    "FUNCTIONAL",
    "REPAIR_VARIANTS",
    "STATIC_CLEAN",
    "AllOf",
    "ConfidenceGate",
    "FlagGate",
    "Gate",
    "GateResult",
    "NoGate",
    "PairedResult",
    "RepairPrompt",
    "RepairSummary",
    "VariantComparison",
    "VariantResult",
    "compare_variants",
    "confidence_at_least",
    "evaluate_gates",
    "repair_prompt",
    "security_vs_functional",
    "select_candidates",
    "standard_gates",
    "summarize_repair",
]
