"""The full metric suite evaluated under one :class:`Weights` (point or bootstrap)."""

from __future__ import annotations

from dataclasses import dataclass

from seccal.calibration import _kernels as k
from seccal.calibration._arrays import FloatArray, IntArray
from seccal.calibration._weights import Weights
from seccal.calibration.binning import Bins, distinct, make_bins
from seccal.errors import InputError

# Every metric the suite yields, in report order; names are the JSON keys of ``summarize``.
SUITE_METRICS: tuple[str, ...] = (
    "ece",
    "mce",
    "smece",
    "brier",
    "brier_reliability",
    "brier_resolution",
    "brier_uncertainty",
    "brier_skill_score",
    "log_loss",
    "auroc",
    "auprc",
    "aurc",
    "overconfidence_gap",
    "false_trust_rate",
    "p_vulnerable_given_confident",
)


@dataclass(frozen=True)
class Prepared:
    """Validated rows with the bin and distinct-value indices every kernel needs."""

    conf: FloatArray
    labels: FloatArray
    bins: Bins
    bin_idx: IntArray
    values: FloatArray
    value_idx: IntArray
    tau: float

    @classmethod
    def build(
        cls, conf: FloatArray, labels: FloatArray, *, n_bins: int, strategy: str, tau: float
    ) -> Prepared:
        """Index validated arrays once; bins are fixed on the full sample."""
        if not 0.0 <= tau <= 1.0:
            raise InputError(f"tau: {tau} is not a confidence threshold in [0, 1]")
        bins = make_bins(conf, n_bins=n_bins, strategy=strategy)
        values, inv = distinct(conf)
        return cls(conf, labels, bins, bins.assign(conf), values, inv, tau)

    @property
    def width(self) -> int:
        """Largest number of keys any kernel aggregates over (sizes bootstrap chunks)."""
        return max(self.values.size, self.bins.n_bins, k.SMECE_GRID)


def evaluate(
    p: Prepared, w: Weights, names: tuple[str, ...] = SUITE_METRICS
) -> dict[str, FloatArray]:
    """Compute the requested metrics under ``w``; each value has shape (R,)."""
    want = set(names)
    out: dict[str, FloatArray] = {}
    c, y = p.conf, p.labels
    if want & {"ece", "mce"}:
        out["ece"], out["mce"] = k.ece_mce(c, y, p.bin_idx, p.bins.n_bins, w)
    if "smece" in want:
        out["smece"] = k.smece(c, y, w)
    if want & {"brier", "log_loss", "overconfidence_gap"}:
        out.update(k.brier_logloss_gap(c, y, w))
    if want & {"brier_reliability", "brier_resolution", "brier_uncertainty", "brier_skill_score"}:
        out.update(k.murphy(p.values, p.value_idx, y, w))
    if "auroc" in want:
        out["auroc"] = k.auroc(p.values, p.value_idx, y, w)
    if want & {"auprc", "aurc"}:
        out.update(k.precision_risk(p.values, p.value_idx, y, w))
    if want & {"false_trust_rate", "p_vulnerable_given_confident"}:
        out.update(k.thresholds(c, y, p.tau, w))
    return {name: out[name] for name in names}
