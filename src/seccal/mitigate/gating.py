"""Execution gating: accept code only when it passes checks, then trust its confidence.

A gate looks at each row of the results table and accepts or rejects it. Gates compose
with ``&`` (all must accept). For each gate, :func:`evaluate_gates` reports the
calibration of the security confidence on the accepted rows (via
:func:`seccal.calibration.report.summarize`), the coverage (share accepted), the False
Trust rate and the vulnerable share among accepted rows, each with a task-cluster
bootstrap CI, and the paired change in ECE against no gate.

A check that could not run (``unknown``) does not pass a gate: a gate is a safety device,
so it fails closed.

Examples
--------
>>> gate = COMPILES & FUNCTIONAL & confidence_at_least(0.8)
>>> gate.name
'compiles & functional tests pass & confidence ≥ 0.8'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seccal.calibration.proportion import Proportion, cluster_proportion
from seccal.core.config_mitigations import GATE_NAMES
from seccal.core.results import BoolArray, confidence_array, flag_array, known_rows, label_array
from seccal.errors import InputError

DEFAULT_CONFIDENCE = "conf_security_verbal"


@dataclass(frozen=True)
class Gate:
    """Base of all gates: a name, a description and :meth:`accepts`."""

    name: str
    description: str

    def accepts(self, df: pd.DataFrame) -> BoolArray:
        """Boolean mask of the rows this gate accepts."""
        raise NotImplementedError

    def __and__(self, other: Gate) -> Gate:
        left = self.gates if isinstance(self, AllOf) else (self,)
        right = other.gates if isinstance(other, AllOf) else (other,)
        return AllOf.of(*left, *right)


@dataclass(frozen=True)
class NoGate(Gate):
    """Accept everything: the baseline every gate is compared with."""

    name: str = "no gate"
    description: str = "every snippet is accepted"

    def accepts(self, df: pd.DataFrame) -> BoolArray:
        return np.ones(len(df), dtype=bool)


@dataclass(frozen=True)
class FlagGate(Gate):
    """Accept rows whose yes/no ``column`` is 1 (0 and unknown are rejected)."""

    column: str = ""

    def accepts(self, df: pd.DataFrame) -> BoolArray:
        if self.column not in df.columns:
            raise InputError(f"gate {self.name!r}: the results table has no column {self.column!r}")
        return np.asarray(flag_array(df, self.column) == 1.0)


@dataclass(frozen=True)
class StaticCleanGate(Gate):
    """Accept rows the analyzers ran on (``secure_static`` known) with no finding
    (``n_findings`` 0); code they could not analyse is rejected, as unknown flags are."""

    def accepts(self, df: pd.DataFrame) -> BoolArray:
        for column in ("n_findings", "secure_static"):
            if column not in df.columns:
                raise InputError(f"gate {self.name!r}: the results table has no column {column!r}")
        counts = pd.to_numeric(df["n_findings"], errors="coerce").to_numpy(dtype=np.float64)
        analysed = ~np.isnan(label_array(df, "secure_static"))
        return np.asarray(analysed & (counts == 0.0))


@dataclass(frozen=True)
class ConfidenceGate(Gate):
    """Accept rows whose confidence in ``column`` is at least ``tau``."""

    column: str = DEFAULT_CONFIDENCE
    tau: float = 0.8

    def accepts(self, df: pd.DataFrame) -> BoolArray:
        conf = confidence_array(df, self.column)
        return np.asarray(np.nan_to_num(conf, nan=-1.0) >= self.tau)


@dataclass(frozen=True)
class AllOf(Gate):
    """Accept rows every member gate accepts."""

    gates: tuple[Gate, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, *gates: Gate) -> AllOf:
        """Combine ``gates`` (names joined with ``&``)."""
        return cls(
            name=" & ".join(g.name for g in gates),
            description="; ".join(g.description for g in gates),
            gates=tuple(gates),
        )

    def accepts(self, df: pd.DataFrame) -> BoolArray:
        mask = np.ones(len(df), dtype=bool)
        for g in self.gates:
            mask &= g.accepts(df)
        return mask


COMPILES = FlagGate("compiles", "the code parses / compiles (column parses)", column="parses")
FUNCTIONAL = FlagGate(
    "functional tests pass", "every functional test passes (column correct)", column="correct"
)
STATIC_CLEAN = StaticCleanGate(
    "static analyzers clean",
    "the analyzers ran and found nothing of medium+ severity (column n_findings = 0)",
)


def confidence_at_least(tau: float, column: str = DEFAULT_CONFIDENCE) -> ConfidenceGate:
    """Gate accepting code whose stated security confidence is at least ``tau``."""
    if not 0.0 <= tau <= 1.0:
        raise InputError(f"confidence gate: tau {tau} is not in [0, 1]")
    return ConfidenceGate(f"confidence ≥ {tau:g}", f"{column} ≥ {tau:g}", column=column, tau=tau)


def standard_gates(df: pd.DataFrame, *, tau: float = 0.8) -> list[Gate]:
    """The gates of the study that ``df`` has columns for, from weakest to strictest."""
    gates: list[Gate] = []
    if "parses" in df.columns:
        gates.append(COMPILES)
    if "correct" in df.columns:
        gates.append(FUNCTIONAL)
        if "parses" in df.columns:
            gates.append(COMPILES & FUNCTIONAL)
    if "n_findings" in df.columns and "secure_static" in df.columns:
        gates.append(STATIC_CLEAN)
        if "correct" in df.columns:
            gates.append(FUNCTIONAL & STATIC_CLEAN)
    if "correct" in df.columns:
        gates.append(FUNCTIONAL & confidence_at_least(tau))
    return gates


def parse_gates(specs: list[str], *, tau: float = 0.8, where: str = "gates") -> list[Gate]:
    """Gates from text such as ``"functional & static_clean"`` (a study setting).

    Names: ``compiles``, ``functional``, ``static_clean``, ``confidence`` (≥ ``tau``);
    ``&`` combines them.

    Examples
    --------
    >>> [g.name for g in parse_gates(["compiles", "functional & confidence"])]
    ['compiles', 'functional tests pass & confidence ≥ 0.8']
    """
    by_name: dict[str, Gate] = {
        "compiles": COMPILES,
        "functional": FUNCTIONAL,
        "static_clean": STATIC_CLEAN,
        "confidence": confidence_at_least(tau),
    }
    gates = []
    for i, spec in enumerate(specs):
        if not isinstance(spec, str) or not spec.strip():
            raise InputError(f"{where}[{i}]: expected a gate such as 'functional & static_clean'")
        parts = []
        for name in (p.strip() for p in spec.split("&")):
            if name not in by_name:
                raise InputError(
                    f"{where}[{i}]: unknown gate {name!r}; choose from {', '.join(GATE_NAMES)}"
                )
            parts.append(by_name[name])
        gates.append(parts[0] if len(parts) == 1 else AllOf.of(*parts))
    return gates


def _ci(ci_metrics: tuple[str, ...] | None) -> dict[str, Any]:
    return {} if ci_metrics is None else {"ci_metrics": ci_metrics}


@dataclass(frozen=True)
class GateResult:
    """What a gate does to the rows with a known label and confidence.

    ``summary`` is :func:`summarize` on the accepted rows (None when it accepts none);
    ``ece_change`` is ECE(accepted) − ECE(all) with its paired task-bootstrap CI.
    """

    gate: str
    description: str
    n_total: int
    n_accepted: int
    coverage: Proportion
    vulnerable_share: Proportion
    summary: dict[str, Any] | None
    ece_change: dict[str, Any] | None


def evaluate_gates(
    df: pd.DataFrame,
    gates: list[Gate],
    *,
    confidence: str = DEFAULT_CONFIDENCE,
    label: str = "secure",
    tau: float = 0.8,
    n_bins: int = 10,
    strategy: str = "uniform",
    n_boot: int = 1000,
    seed: int = 0,
    ci_metrics: tuple[str, ...] | None = None,
) -> list[GateResult]:
    """Evaluate each gate (and no gate, first) on the security confidence.

    Parameters
    ----------
    df : DataFrame
        Results table (one row per generation).
    gates : list of Gate
        Gates to compare; :class:`NoGate` is always added first as the baseline.
    confidence, label : str
        Confidence and label columns.
    tau, n_bins, strategy : float, int, str
        False Trust threshold and ECE binning (as in ``summarize``).
    n_boot, seed : int
        Task-cluster bootstrap resamples (0: no CIs) and seed.
    ci_metrics : tuple of str, optional
        Metrics of each summary that get an interval (default: all of ``summarize``).

    Returns
    -------
    list of GateResult
    """
    from seccal.calibration.bootstrap import paired_bootstrap
    from seccal.calibration.report import summarize

    base = known_rows(df, confidence, label)
    sub = df.loc[base.mask].reset_index(drop=True)
    opts: dict[str, Any] = {"n_bins": n_bins, "strategy": strategy, "tau": tau}
    results = []
    for gate in [NoGate(), *gates]:
        acc = gate.accepts(sub) if base.n else np.zeros(0, dtype=bool)
        vulnerable = 1.0 - base.labels
        coverage = cluster_proportion(acc, base.groups, n_boot=n_boot, seed=seed)
        vuln = cluster_proportion(vulnerable, base.groups, within=acc, n_boot=n_boot, seed=seed)
        summary = change = None
        if acc.any():
            c, y, g = base.conf[acc], base.labels[acc], base.groups[acc]
            summary = summarize(c, y, groups=g, n_boot=n_boot, seed=seed, **opts, **_ci(ci_metrics))
            if n_boot > 0 and not acc.all():
                cmp = paired_bootstrap(
                    (c, y, g),
                    (base.conf, base.labels, base.groups),
                    metrics=("ece",),
                    n_boot=n_boot,
                    seed=seed,
                    **opts,
                )["ece"]
                change = {
                    "diff": cmp.diff,
                    "ci": [cmp.lo, cmp.hi],
                    "p_value": float(cmp.p_value),
                    "relative": cmp.diff / cmp.b if cmp.b else None,
                }
        results.append(
            GateResult(
                gate=gate.name,
                description=gate.description,
                n_total=base.n,
                n_accepted=int(acc.sum()),
                coverage=coverage,
                vulnerable_share=vuln,
                summary=summary,
                ece_change=change,
            )
        )
    return results
