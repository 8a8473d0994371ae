"""The settings of one analysis: the study's ``[analysis]`` table, overridable.

A run folder's study config, a bundle's ``config.json`` and a config file passed with an
export table all reduce to :class:`Settings`, so every view of a run bins, bootstraps
and thresholds alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Final

#: Metrics of a per-condition summary that get a task-cluster CI. smECE, a robustness
#: check, gets its point estimate only: its interval costs about four times all the
#: others together.
CI_METRICS: Final = (
    "ece",
    "mce",
    "brier",
    "brier_reliability",
    "brier_resolution",
    "brier_uncertainty",
    "auroc",
    "overconfidence_gap",
    "false_trust_rate",
)
#: Metrics with a CI in the mitigation analyses (gates, recalibration, repair, prompt
#: variants): the ones their tables show. MCE and the Brier decomposition keep their
#: point estimates there.
MITIGATION_CI_METRICS: Final = ("ece", "brier", "auroc", "overconfidence_gap", "false_trust_rate")
#: Upper edges (lines of code) of the code-length bins; the last bin is open.
CODE_LENGTH_EDGES: Final = (10, 25, 50, 100)
#: Folds of the grouped cross-fitting of recalibration.
DEFAULT_FOLDS: Final = 5


@dataclass(frozen=True)
class Settings:
    """How every number of an analysis is computed."""

    n_boot: int = 1000
    seed: int = 0
    n_bins: int = 10
    strategy: str = "uniform"
    tau: float = 0.8
    folds: int = DEFAULT_FOLDS
    level: float = 0.95
    ci_metrics: tuple[str, ...] = CI_METRICS
    mitigation_ci_metrics: tuple[str, ...] = MITIGATION_CI_METRICS
    code_length_edges: tuple[int, ...] = CODE_LENGTH_EDGES

    def summary_options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`seccal.calibration.summarize`."""
        return {
            "n_bins": self.n_bins,
            "strategy": self.strategy,
            "tau": self.tau,
            "n_boot": self.n_boot,
            "seed": self.seed,
            "ci_metrics": self.ci_metrics,
        }

    def common(self) -> dict[str, Any]:
        """Keyword arguments shared by the mitigation analyses (:mod:`seccal.mitigate`)."""
        return {
            "n_bins": self.n_bins,
            "strategy": self.strategy,
            "tau": self.tau,
            "n_boot": self.n_boot,
            "seed": self.seed,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the ``settings`` of ``metrics.json``)."""
        return {
            f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v
            for f in fields(self)
        }


def settings_from_config(config: Mapping[str, Any], **overrides: Any) -> Settings:
    """Settings of a study config (``StudyConfig.to_dict()`` shape), with non-None overrides."""
    a = dict(config.get("analysis") or {})
    base = Settings()
    values = {
        k: a.get(k, getattr(base, k)) for k in ("n_boot", "seed", "n_bins", "strategy", "tau")
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(base, **values)
