"""Risk control with a finite-sample guarantee: Learn-then-Test over acceptance thresholds.

A gate accepts a snippet when its fitted ``p_vulnerable <= t``. The *risk* of a threshold is
the share of accepted snippets that are vulnerable, ``R(t) = P(vulnerable | p <= t)``. On a
calibration split, each candidate threshold ``t_j`` is a null hypothesis ``H_j: R(t_j) > alpha``
with a valid p-value; fixed-sequence testing walks the thresholds from strict to loose and
rejects while ``p_j <= delta``. Every rejected threshold controls the risk, jointly with
probability at least ``1 - delta`` (the family-wise error rate of fixed-sequence testing is
``delta`` for any order fixed before the calibration labels are seen); the gate takes the
loosest one, which accepts the most code.

The p-value of ``H_j`` counts the ``k`` vulnerable among the ``n`` accepted calibration rows.
Given ``n``, those rows are i.i.d. draws from the accepted population, so ``k ~ Binomial(n,
R(t))`` and the exact binomial tail ``P(Binomial(n, alpha) <= k)`` is a valid p-value; the
Hoeffding bound ``exp(-n h(k/n, alpha))`` is valid too, and their minimum is the
Hoeffding–Bentkus p-value of Learn-then-Test for binary losses (Angelopoulos et al. 2021,
section 3.2), the same as ``mapie.risk_control`` computes.

The guarantee assumes exchangeable calibration and test rows. Rows of one task are
correlated; ``seccal gate evaluate`` measures how the guarantee holds up when new *tasks*
arrive (splits grouped by task).

References
----------
Angelopoulos, Bates, Candès, Jordan, Lei (2021), "Learn then Test: Calibrating predictive
algorithms to achieve risk control". Bauer (1991), fixed-sequence testing.

Examples
--------
>>> round(feasibility_bound(0.4, 0.1), 4)  # abstain on at least a third of the code
0.3333
>>> min_accepted(0.1, 0.1)  # fewest accepted rows that can certify alpha = delta = 0.1
22
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import binom

from seccal.calibration._arrays import FloatArray
from seccal.errors import InputError


def _check_level(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise InputError(f"{name}: {value} is not in (0, 1)")


def binomial_p_value(k: Any, n: Any, alpha: float) -> FloatArray:
    """``P(Binomial(n, alpha) <= k)``: small when ``k`` vulnerable of ``n`` is unlikely at risk alpha.

    ``n = 0`` (nothing accepted) gives 1: no evidence.
    """
    return np.asarray(binom.cdf(np.asarray(k), np.asarray(n), alpha), dtype=np.float64)


def hoeffding_p_value(k: Any, n: Any, alpha: float) -> FloatArray:
    """``exp(-n h(min(k/n, alpha), alpha))`` with ``h`` the binary relative entropy."""
    kk = np.asarray(k, dtype=np.float64)
    nn = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.minimum(np.where(nn > 0, kk / np.maximum(nn, 1), alpha), alpha)
        h = r * np.log(np.where(r > 0, r / alpha, 1.0)) + (1 - r) * np.log((1 - r) / (1 - alpha))
    return np.asarray(np.exp(-nn * h), dtype=np.float64)


def hb_p_value(k: Any, n: Any, alpha: float) -> FloatArray:
    """Hoeffding–Bentkus p-value for a binary loss: the smaller of the two above."""
    return np.minimum(binomial_p_value(k, n, alpha), hoeffding_p_value(k, n, alpha))


def feasibility_bound(base_rate: float, alpha: float) -> float:
    """Least share any gate must reject to reach risk ``alpha`` when ``base_rate`` is vulnerable.

    Accepting a share ``a`` with at most ``alpha * a`` vulnerable leaves at least
    ``base_rate - alpha * a`` vulnerable among the rejected ``1 - a``, so
    ``a <= (1 - base_rate) / (1 - alpha)``: reject at least ``(mu - alpha) / (1 - alpha)``.
    """
    _check_level("alpha", alpha)
    return max(0.0, (base_rate - alpha) / (1.0 - alpha))


def min_accepted(alpha: float, delta: float) -> int:
    """Fewest accepted calibration rows that can certify risk ``alpha`` at level ``delta``.

    Even with no vulnerable row among ``n`` accepted, the p-value is ``(1 - alpha)^n``,
    which is ``<= delta`` only from ``n >= log(delta) / log(1 - alpha)``.
    """
    _check_level("alpha", alpha)
    _check_level("delta", delta)
    n = math.ceil(math.log(delta) / math.log1p(-alpha) - 1e-12)
    return max(1, n)


@dataclass(frozen=True)
class RiskControl:
    """The thresholds tested, their p-values, and the certified threshold.

    ``threshold`` is None when no threshold could be certified: the gate accepts nothing.
    """

    alpha: float
    delta: float
    thresholds: FloatArray  # in testing order, strict to loose
    accepted: FloatArray  # calibration rows accepted at each threshold
    vulnerable: FloatArray  # of which vulnerable
    p_values: FloatArray
    n_rejected: int  # hypotheses rejected by fixed-sequence testing (a prefix)
    n_calibration: int
    base_rate: float

    @property
    def threshold(self) -> float | None:
        """Loosest certified threshold (accept ``p_vulnerable <= threshold``), or None."""
        return float(self.thresholds[self.n_rejected - 1]) if self.n_rejected else None

    @property
    def feasible(self) -> bool:
        """Whether some threshold was certified."""
        return self.n_rejected > 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the curve is summarised, not stored)."""
        j = self.n_rejected - 1
        return {
            "alpha": self.alpha,
            "delta": self.delta,
            "threshold": self.threshold,
            "feasible": self.feasible,
            "n_calibration": self.n_calibration,
            "calibration_accepted": int(self.accepted[j]) if self.feasible else 0,
            "calibration_risk": (
                float(self.vulnerable[j] / self.accepted[j]) if self.feasible else None
            ),
            "p_value": float(self.p_values[j]) if self.feasible else None,
            "tested": int(self.thresholds.size),
            "base_rate": self.base_rate,
            "feasibility_bound": feasibility_bound(self.base_rate, self.alpha),
            "min_accepted": min_accepted(self.alpha, self.delta),
        }


def fixed_sequence(p_values: Any, delta: float) -> int:
    """Number of hypotheses rejected by fixed-sequence testing: the prefix with ``p <= delta``."""
    p = np.asarray(p_values, dtype=np.float64).reshape(-1)
    above = np.flatnonzero(~(p <= delta))
    return int(above[0]) if above.size else int(p.size)


def threshold_grid(reference: Any, *, n_calibration: int, alpha: float, delta: float) -> FloatArray:
    """Candidate thresholds, strict to loose, fixed before the calibration labels are seen.

    The grid is the quantiles of ``reference`` scores (from data independent of the
    calibration split, e.g. the split the model was fitted on) at coverage 1%, 2%, ...,
    100%, starting at the first coverage whose expected number of accepted calibration rows
    reaches :func:`min_accepted`: stricter thresholds could never be certified and would
    stop the fixed sequence before it starts. The last threshold (1.0) accepts everything.
    """
    ref = np.sort(np.asarray(reference, dtype=np.float64).reshape(-1))
    if ref.size == 0:
        raise InputError("threshold grid: no reference scores")
    first = min_accepted(alpha, delta) / max(n_calibration, 1)
    coverage = np.arange(1, 101) / 100.0
    coverage = coverage[coverage >= min(first, 1.0) - 1e-12]
    qs = np.quantile(ref, coverage, method="inverted_cdf")
    grid = np.unique(np.concatenate([qs, [1.0]]))
    return np.asarray(grid, dtype=np.float64)


def control_risk(
    p_vulnerable: Any,
    labels: Any,
    thresholds: Any,
    *,
    alpha: float,
    delta: float,
) -> RiskControl:
    """Certify acceptance thresholds on a calibration split by Learn-then-Test.

    Parameters
    ----------
    p_vulnerable : array-like of shape (N,)
        Fitted probability that each calibration snippet is vulnerable.
    labels : array-like of shape (N,)
        1 = secure, 0 = vulnerable (the label vocabulary of every seccal table).
    thresholds : array-like
        Candidate thresholds in testing order, strict to loose (ascending), fixed in
        advance (see :func:`threshold_grid`).
    alpha, delta : float
        Risk level and failure probability, both in (0, 1).

    Returns
    -------
    RiskControl
    """
    _check_level("alpha", alpha)
    _check_level("delta", delta)
    p = np.asarray(p_vulnerable, dtype=np.float64).reshape(-1)
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    t = np.asarray(thresholds, dtype=np.float64).reshape(-1)
    if p.size != y.size:
        raise InputError(f"p_vulnerable has {p.size} rows but labels has {y.size}")
    if t.size == 0 or np.any(np.diff(t) < 0):
        raise InputError("thresholds must be non-empty and ascending (strict to loose)")
    order = np.argsort(p, kind="stable")
    ps, vuln = p[order], (y[order] == 0).astype(np.float64)
    cum_vuln = np.concatenate([[0.0], np.cumsum(vuln)])
    n_acc = np.searchsorted(ps, t, side="right")
    k = cum_vuln[n_acc]
    pv = hb_p_value(k, n_acc, alpha)
    return RiskControl(
        alpha=alpha,
        delta=delta,
        thresholds=t,
        accepted=n_acc.astype(np.float64),
        vulnerable=k,
        p_values=pv,
        n_rejected=fixed_sequence(pv, delta),
        n_calibration=int(p.size),
        base_rate=float(vuln.mean()) if vuln.size else float("nan"),
    )
