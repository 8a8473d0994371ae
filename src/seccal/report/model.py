"""The report model: every number and text a report shows, computed, not yet drawn.

:func:`seccal.report.compute.compute_report` fills it; :mod:`seccal.report.render`
draws and writes it. Plain dataclasses, so a report model is also saved as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seccal.calibration.proportion import Proportion
from seccal.mitigate.gating import GateResult
from seccal.mitigate.paired import PairedResult
from seccal.mitigate.prompting import VariantComparison
from seccal.mitigate.repair import RepairSummary


@dataclass(frozen=True)
class Options:
    """Analysis settings (from the study's ``[analysis]`` table, overridable)."""

    n_boot: int = 1000
    seed: int = 0
    n_bins: int = 10
    strategy: str = "uniform"
    tau: float = 0.8
    folds: int = 5


@dataclass(frozen=True)
class Cell:
    """Calibration of one target in one model × temperature × suite condition."""

    model: str
    temperature: float
    suite: str
    target: str  # security | functional
    confidence: str  # the confidence column
    n: int
    n_unknown_label: int
    n_missing_confidence: int
    summary: dict[str, Any] | None
    reliability: list[dict[str, Any]]


@dataclass(frozen=True)
class Headline:
    """One model × target pooled over temperatures and suites, with a sentence."""

    model: str
    target: str
    confidence: str
    n: int
    mean_confidence: float | None
    label_rate: Proportion
    summary: dict[str, Any] | None
    text: str


@dataclass(frozen=True)
class MethodRow:
    """Security calibration of one confidence method of one model (pooled)."""

    model: str
    confidence: str
    n: int
    summary: dict[str, Any] | None


@dataclass(frozen=True)
class RiskCurve:
    """Risk–coverage and threshold curves of one model's security confidence."""

    model: str
    coverage: list[float]
    risk: list[float]
    tau: list[float]
    false_trust: list[float | None]


@dataclass(frozen=True)
class ModelMitigations:
    """Every mitigation analysis of one model (pooled over temperatures and suites)."""

    model: str
    recalibration: dict[str, Any] | None
    gates: list[GateResult]
    prompting: VariantComparison | None
    paired: PairedResult | None
    repairs: list[RepairSummary]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportModel:
    """Everything one report shows."""

    title: str
    generated: str
    source: str
    options: Options
    label_source: str
    label_definition: str
    settings: list[tuple[str, str]]
    counts: dict[str, int]
    security_confidence: str
    functional_confidence: str | None
    headlines: list[Headline]
    summary_points: list[str]
    cells: list[Cell]
    methods: list[MethodRow]
    risk: list[RiskCurve]
    mitigations: list[ModelMitigations]
    glossary: list[tuple[str, str]]
    notes: list[str]
    gate: dict[str, Any] | None = None  # seccal.gate.summary.gate_section

    @property
    def models(self) -> list[str]:
        """Models in report order."""
        return list(dict.fromkeys(c.model for c in self.cells))

    @property
    def temperatures(self) -> list[float]:
        """Temperatures in ascending order."""
        return sorted({c.temperature for c in self.cells})

    @property
    def suites(self) -> list[str]:
        """Suites in report order."""
        return list(dict.fromkeys(c.suite for c in self.cells))
