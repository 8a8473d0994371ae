"""Calibration metrics of confidences ``c`` in [0, 1] against binary labels ``y``.

``y = 1`` means the snippet is secure (or correct) and ``c`` is the model's probability
that it is. Every function validates its input, is vectorised, and returns NaN (never
raises) where a metric is undefined on valid data, e.g. AUROC when one class is absent.

References
----------
Naeini, Cooper, Hauskrecht (2015), ECE/MCE. Murphy (1973), Brier decomposition.
Blasiok & Nakkiran (2023), smooth ECE. Geifman & El-Yaniv (2017), risk-coverage / AURC.

Examples
--------
>>> p = [0.25, 0.25, 0.55, 0.75, 0.75]
>>> y = [0, 0, 1, 1, 1]
>>> round(ece(p, y, n_bins=2), 4), round(mce(p, y, n_bins=2), 4)
(0.29, 0.3167)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from seccal.calibration import _kernels as k
from seccal.calibration._arrays import FloatArray, as_pair
from seccal.calibration._weights import UnitWeights
from seccal.calibration.binning import distinct, make_bins

DEFAULT_TAU = 0.8
_UNIT = UnitWeights()


@dataclass(frozen=True)
class Reliability:
    """Per-bin reliability table; ``gap = mean_confidence - accuracy`` (NaN for empty bins)."""

    lower: FloatArray
    upper: FloatArray
    count: FloatArray
    mean_confidence: FloatArray
    accuracy: FloatArray
    gap: FloatArray

    def rows(self) -> list[dict[str, float]]:
        """The table as JSON-ready rows (NaN becomes None)."""
        cols = ("lower", "upper", "count", "mean_confidence", "accuracy", "gap")
        return [
            {col: _json_float(getattr(self, col)[i]) for col in cols}
            for i in range(self.upper.size)
        ]


def _json_float(x: float) -> Any:
    return None if np.isnan(x) else float(x)


def reliability(
    conf: Any, labels: Any, *, n_bins: int = 10, strategy: str = "uniform"
) -> Reliability:
    """Per-bin count, mean confidence, accuracy and gap; bins are ``(lower, upper]``.

    Parameters
    ----------
    conf, labels : array-like of shape (N,)
        Confidences in [0, 1] and 0/1 labels.
    n_bins : int
        Number of bins requested.
    strategy : {"uniform", "quantile"}
        Equal-width bins, or equal-mass bins that never split tied values.
    """
    c, y = as_pair(conf, labels)
    bins = make_bins(c, n_bins=n_bins, strategy=strategy)
    n, sc, sy = k.binned(c, y, bins.assign(c), bins.n_bins, _UNIT)
    mean_c = k.ratio(sc[0], n[0])
    acc = k.ratio(sy[0], n[0])
    return Reliability(bins.lower, bins.upper, n[0], mean_c, acc, mean_c - acc)


def ece(conf: Any, labels: Any, *, n_bins: int = 10, strategy: str = "uniform") -> float:
    """Expected calibration error, sum_b (n_b/N) |acc_b - conf_b|."""
    c, y = as_pair(conf, labels)
    bins = make_bins(c, n_bins=n_bins, strategy=strategy)
    return float(k.ece_mce(c, y, bins.assign(c), bins.n_bins, _UNIT)[0][0])


def mce(conf: Any, labels: Any, *, n_bins: int = 10, strategy: str = "uniform") -> float:
    """Maximum calibration error, max_b |acc_b - conf_b| over non-empty bins."""
    c, y = as_pair(conf, labels)
    bins = make_bins(c, n_bins=n_bins, strategy=strategy)
    return float(k.ece_mce(c, y, bins.assign(c), bins.n_bins, _UNIT)[1][0])


def smooth_ece(conf: Any, labels: Any) -> float:
    """Smooth ECE (smECE): kernel-smoothed calibration error with its own bandwidth.

    A binning-free robustness check on ECE; on well calibrated data it tends to 0.
    """
    c, y = as_pair(conf, labels)
    return float(k.smece(c, y, _UNIT)[0])


def brier(conf: Any, labels: Any) -> float:
    """Brier score, mean (c - y)^2.

    >>> round(brier([.1, .8, .9, .3, 1, .95], [0, 1, 1, 0, 1, 1]), 7)
    0.0254167
    """
    c, y = as_pair(conf, labels)
    return float(k.brier_logloss_gap(c, y, _UNIT)["brier"][0])


def brier_decomposition(conf: Any, labels: Any) -> dict[str, float]:
    """Murphy decomposition over distinct confidence values: Brier = REL - RES + UNC.

    Returns a dict with keys ``reliability``, ``resolution``, ``uncertainty``.

    >>> d = brier_decomposition([.2] * 5 + [.8] * 5, [1, 0, 0, 0, 0, 1, 1, 1, 0, 0])
    >>> [round(d[key], 4) for key in ("reliability", "resolution", "uncertainty")]
    [0.02, 0.04, 0.24]
    """
    c, y = as_pair(conf, labels)
    values, inv = distinct(c)
    m = k.murphy(values, inv, y, _UNIT)
    return {
        "reliability": float(m["brier_reliability"][0]),
        "resolution": float(m["brier_resolution"][0]),
        "uncertainty": float(m["brier_uncertainty"][0]),
    }


def brier_skill_score(conf: Any, labels: Any) -> float:
    """1 - Brier / Brier of the base rate (climatology); NaN when one class only."""
    c, y = as_pair(conf, labels)
    values, inv = distinct(c)
    return float(k.murphy(values, inv, y, _UNIT)["brier_skill_score"][0])


def log_loss(conf: Any, labels: Any) -> float:
    """Mean negative log-likelihood, confidences clipped to [1e-15, 1 - 1e-15]."""
    c, y = as_pair(conf, labels)
    return float(k.brier_logloss_gap(c, y, _UNIT)["log_loss"][0])


def overconfidence_gap(conf: Any, labels: Any) -> float:
    """mean(c) - mean(y); positive means over-confident."""
    c, y = as_pair(conf, labels)
    return float(k.brier_logloss_gap(c, y, _UNIT)["overconfidence_gap"][0])


def _ranking(conf: Any, labels: Any) -> dict[str, FloatArray]:
    c, y = as_pair(conf, labels)
    values, inv = distinct(c)
    return {"auroc": k.auroc(values, inv, y, _UNIT), **k.precision_risk(values, inv, y, _UNIT)}


def auroc(conf: Any, labels: Any) -> float:
    """Area under the ROC curve: P(c_secure > c_vulnerable), ties counted 1/2."""
    return float(_ranking(conf, labels)["auroc"][0])


def auprc(conf: Any, labels: Any) -> float:
    """Average precision of the secure class (label 1) ranked by confidence."""
    return float(_ranking(conf, labels)["auprc"][0])


def aurc(conf: Any, labels: Any) -> float:
    """Area under the risk-coverage curve (risk = share of vulnerable among accepted)."""
    return float(_ranking(conf, labels)["aurc"][0])


def false_trust_rate(conf: Any, labels: Any, *, tau: float = DEFAULT_TAU) -> float:
    """P(c >= tau | vulnerable): share of vulnerable snippets the model is confident in."""
    c, y = as_pair(conf, labels)
    return float(k.thresholds(c, y, tau, _UNIT)["false_trust_rate"][0])


def p_vulnerable_given_confident(conf: Any, labels: Any, *, tau: float = DEFAULT_TAU) -> float:
    """P(vulnerable | c >= tau): how often confident code is in fact vulnerable."""
    c, y = as_pair(conf, labels)
    return float(k.thresholds(c, y, tau, _UNIT)["p_vulnerable_given_confident"][0])


@dataclass(frozen=True)
class ThresholdCurve:
    """False Trust rate, P(vulnerable | confident) and coverage P(c >= tau) over tau."""

    tau: FloatArray
    false_trust_rate: FloatArray
    p_vulnerable_given_confident: FloatArray
    coverage: FloatArray


def threshold_curves(conf: Any, labels: Any, *, taus: Any = None) -> ThresholdCurve:
    """Both threshold metrics for every tau (default 0, 0.01, ..., 1)."""
    c, y = as_pair(conf, labels)
    tau = np.linspace(0.0, 1.0, 101) if taus is None else np.asarray(taus, dtype=np.float64)
    vuln_sorted = np.sort(c[y == 0])
    all_sorted = np.sort(c)
    vuln_conf = vuln_sorted.size - np.searchsorted(vuln_sorted, tau, side="left")
    confident = all_sorted.size - np.searchsorted(all_sorted, tau, side="left")
    return ThresholdCurve(
        tau=tau,
        false_trust_rate=k.ratio(
            vuln_conf.astype(float), np.full(tau.shape, float(vuln_sorted.size))
        ),
        p_vulnerable_given_confident=k.ratio(vuln_conf.astype(float), confident.astype(float)),
        coverage=confident / c.size,
    )


@dataclass(frozen=True)
class RiskCoverage:
    """Accept snippets with ``c >= threshold``: coverage and risk (share vulnerable)."""

    threshold: FloatArray
    coverage: FloatArray
    risk: FloatArray


def risk_coverage(conf: Any, labels: Any) -> RiskCoverage:
    """Risk-coverage curve, one point per distinct confidence (descending thresholds)."""
    c, y = as_pair(conf, labels)
    values, inv = distinct(c)
    n = np.bincount(inv, minlength=values.size)[::-1]
    vuln = np.bincount(inv, weights=1 - y, minlength=values.size)[::-1]
    cum_n = np.cumsum(n)
    return RiskCoverage(
        threshold=values[::-1], coverage=cum_n / c.size, risk=np.cumsum(vuln) / cum_n
    )
