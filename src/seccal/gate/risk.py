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

The binomial argument needs exchangeable *rows*. Snippets of one task (temperatures,
samples) are correlated, and on such data row-level p-values are far too optimistic (on the
synthetic study of :mod:`seccal.gate.synthetic`, about half of the certified thresholds broke
alpha). So when the calibration rows come in tasks of several rows, whole tasks are the
exchangeable units and the controlled risk is the task-level one, ``E[V / A | A > 0]`` (``A``
accepted, ``V`` vulnerable accepted snippets of a new task: the expected vulnerable share
of what the gate lets through for a task), tested by betting (:mod:`seccal.gate.betting`,
:func:`task_p_values`).

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
import numpy.typing as npt
from scipy.stats import binom

from seccal.calibration._arrays import FloatArray, as_clusters
from seccal.errors import InputError
from seccal.gate.betting import betting_p_value


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
    unit: str = "row"  # what the p-values treat as exchangeable: "row" or "task"
    n_units: int = 0

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
            "unit": self.unit,
            "n_units": self.n_units,
            "base_rate": self.base_rate,
            "feasibility_bound": feasibility_bound(self.base_rate, self.alpha),
            "min_accepted": min_accepted(self.alpha, self.delta),
        }


def fixed_sequence(p_values: Any, delta: float) -> int:
    """Number of hypotheses rejected by fixed-sequence testing: the prefix with ``p <= delta``."""
    p = np.asarray(p_values, dtype=np.float64).reshape(-1)
    above = np.flatnonzero(~(p <= delta))
    return int(above[0]) if above.size else int(p.size)


def threshold_grid(
    reference: Any,
    *,
    n_calibration: int,
    alpha: float,
    delta: float,
    reference_labels: Any = None,
    reference_groups: Any = None,
) -> FloatArray:
    """Candidate thresholds, strict to loose, fixed before the calibration labels are seen.

    The grid is the quantiles of ``reference`` scores (data independent of the calibration
    split, e.g. the split the model was fitted on) at coverage 1%, 2%, ..., 100%, plus 1.0
    (accept everything). Fixed-sequence testing stops at its first failure, so where it
    starts matters: a start that accepts too few rows can never be certified (fewer than
    :func:`min_accepted`), and one that accepts too many breaks the risk. With
    ``reference_labels`` the sequence starts at the threshold whose p-value, predicted from
    the reference rows scaled to ``n_calibration``, is smallest (a *split* fixed sequence:
    the order is learnt on independent data, so the guarantee is kept); with
    ``reference_groups`` too, the prediction uses the task-level p-values of
    :func:`task_p_values` on the reference rows. Without labels the sequence starts at the
    first threshold that can accept :func:`min_accepted` calibration rows.
    """
    ref = np.asarray(reference, dtype=np.float64).reshape(-1)
    if ref.size == 0:
        raise InputError("threshold grid: no reference scores")
    coverage = np.arange(1, 101) / 100.0
    grid = np.unique(np.concatenate([np.quantile(ref, coverage, method="inverted_cdf"), [1.0]]))
    order = np.sort(ref)
    share = np.searchsorted(order, grid, side="right") / ref.size  # reference coverage
    if reference_labels is None:
        first = min_accepted(alpha, delta) / max(n_calibration, 1)
        ok = np.flatnonzero(share >= min(first, 1.0) - 1e-12)
        start = int(ok[0]) if ok.size else grid.size - 1
    else:
        y = np.asarray(reference_labels, dtype=np.float64).reshape(-1)
        if y.size != ref.size:
            raise InputError("threshold grid: reference scores and labels differ in length")
        cluster, n_units = as_clusters(reference_groups, ref.size)
        if n_units < ref.size:
            vul = (y == 0).astype(np.float64)
            predicted = task_p_values(ref, vul, cluster, grid, alpha=alpha)
        else:
            vuln = np.concatenate([[0.0], np.cumsum(y[np.argsort(ref, kind="stable")] == 0)])
            n_ref = np.searchsorted(order, grid, side="right")
            risk = np.divide(vuln[n_ref], n_ref, out=np.ones(grid.size), where=n_ref > 0)
            n_cal = np.floor(share * n_calibration)
            predicted = hb_p_value(np.floor(risk * n_cal), n_cal, alpha)
        start = int(np.argmin(predicted))  # the first (strictest) of equal minima
    return np.asarray(grid[start:], dtype=np.float64)


def task_p_values(
    p_vulnerable: FloatArray,
    vulnerable: FloatArray,
    cluster: npt.NDArray[np.intp],
    thresholds: FloatArray,
    *,
    alpha: float,
) -> FloatArray:
    """P-values of ``H_j: R_task(t_j) > alpha`` with whole tasks as the i.i.d. units.

    With ``A`` the accepted and ``V`` the vulnerable accepted snippets of a task, the
    task-level risk is ``R_task = E[V / A | A > 0]``: for a new task, the expected share of
    its accepted snippets that are vulnerable. ``x = alpha + [A > 0] (V / A - alpha)`` lies in
    [0, 1] and ``H_j`` is ``E[x] > alpha``, tested by
    :func:`seccal.gate.betting.betting_p_value` with the tasks in a seeded random order.
    (Pooling instead, ``E[V] / E[A]``, would scale each task by the largest task size and
    dilute the evidence by that factor.)
    """
    n_tasks = int(cluster.max()) + 1 if cluster.size else 0
    idx = np.searchsorted(thresholds, p_vulnerable, side="left")  # first threshold accepting
    acc = np.zeros((n_tasks, thresholds.size + 1))
    vul = np.zeros((n_tasks, thresholds.size + 1))
    np.add.at(acc, (cluster, idx), 1.0)
    np.add.at(vul, (cluster, idx), vulnerable)
    acc = np.cumsum(acc, axis=1)[:, :-1]
    vul = np.cumsum(vul, axis=1)[:, :-1]
    share = np.divide(vul, acc, out=np.full(acc.shape, alpha), where=acc > 0)
    order = np.random.default_rng(0).permutation(n_tasks)  # fixed, independent of labels
    return betting_p_value(np.clip(share[order], 0.0, 1.0), alpha)


def control_risk(
    p_vulnerable: Any,
    labels: Any,
    thresholds: Any,
    *,
    alpha: float,
    delta: float,
    groups: Any = None,
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
    groups : array-like of shape (N,), optional
        Task of each row. When tasks hold several rows, they are correlated and the
        p-values treat whole tasks as the exchangeable units (:func:`task_p_values`);
        without groups, or one row per task, rows are the units (exact binomial /
        Hoeffding–Bentkus p-values).

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
    cluster, n_units = as_clusters(groups, p.size)
    by_task = n_units < p.size
    if by_task:
        pv = task_p_values(p, (y == 0).astype(np.float64), cluster, t, alpha=alpha)
    else:
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
        unit="task" if by_task else "row",
        n_units=int(n_units),
    )
