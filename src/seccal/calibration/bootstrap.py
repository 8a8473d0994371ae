"""Cluster (task) bootstrap confidence intervals and paired comparisons.

Snippets of the same task are correlated (same prompt, same CWE), so resampling rows
understates uncertainty. Here *clusters* (tasks) are resampled with replacement and every
metric is recomputed on each resample, all resamples at once (see ``_weights``). Bins
stay fixed at those of the full sample. Intervals are percentile intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from seccal.calibration._arrays import FloatArray, as_clusters, as_pair
from seccal.calibration._suite import SUITE_METRICS, Prepared, evaluate
from seccal.calibration._weights import ClusterWeights, UnitWeights, resample_counts
from seccal.calibration.metrics import DEFAULT_TAU
from seccal.errors import InputError

DEFAULT_N_BOOT = 1000
_CHUNK_CELLS = 4_000_000  # resamples x keys per chunk: bounds memory at ~32 MB per array


@dataclass(frozen=True)
class Interval:
    """A point estimate with its percentile bootstrap interval.

    ``n_valid`` counts resamples where the metric was defined (e.g. both classes present).
    """

    estimate: float
    lo: float
    hi: float
    n_valid: int


def _check(n_boot: int, level: float) -> None:
    if n_boot < 1:
        raise InputError(f"bootstrap: {n_boot} is not a positive number of resamples")
    if not 0.0 < level < 1.0:
        raise InputError(f"level: {level} is not in (0, 1)")


def _replicates(
    p: Prepared, cluster: Any, counts: FloatArray, names: tuple[str, ...]
) -> dict[str, FloatArray]:
    chunk = max(1, _CHUNK_CELLS // p.width)
    cache: dict[str, Any] = {}  # per-cluster tables shared by all chunks of this data set
    parts = [
        evaluate(p, ClusterWeights(counts[i : i + chunk], cluster, cache), names)
        for i in range(0, counts.shape[0], chunk)
    ]
    return {name: np.concatenate([part[name] for part in parts]) for name in names}


def _interval(estimate: float, reps: FloatArray, level: float) -> Interval:
    ok = reps[~np.isnan(reps)]
    if ok.size == 0:
        return Interval(estimate, float("nan"), float("nan"), 0)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(ok, [alpha, 1.0 - alpha])
    return Interval(estimate, float(lo), float(hi), int(ok.size))


def cluster_bootstrap(
    conf: Any,
    labels: Any,
    *,
    groups: Any = None,
    metrics: tuple[str, ...] = SUITE_METRICS,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = 0.95,
    n_bins: int = 10,
    strategy: str = "uniform",
    tau: float = DEFAULT_TAU,
) -> dict[str, Interval]:
    """Percentile bootstrap intervals of calibration metrics, resampling clusters.

    Parameters
    ----------
    conf, labels : array-like of shape (N,)
        Confidences in [0, 1] and 0/1 labels.
    groups : array-like of shape (N,), optional
        Cluster (task) key of each row; None resamples rows.
    metrics : tuple of str
        Names from ``SUITE_METRICS``.
    n_boot, seed, level : int, int, float
        Number of resamples, RNG seed (results are reproducible), interval level.
    n_bins, strategy, tau
        As in :mod:`seccal.calibration.metrics`.

    Returns
    -------
    dict of str to Interval
    """
    _check(n_boot, level)
    unknown = [m for m in metrics if m not in SUITE_METRICS]
    if unknown:
        raise InputError(f"metrics: unknown {unknown}; choose from {', '.join(SUITE_METRICS)}")
    c, y = as_pair(conf, labels)
    cluster, n_clusters = as_clusters(groups, c.size)
    p = Prepared.build(c, y, n_bins=n_bins, strategy=strategy, tau=tau)
    point = evaluate(p, UnitWeights(), metrics)
    counts = resample_counts(n_clusters, n_boot, np.random.default_rng(seed))
    reps = _replicates(p, cluster, counts, metrics)
    return {m: _interval(float(point[m][0]), reps[m], level) for m in metrics}


@dataclass(frozen=True)
class PairedComparison:
    """Metric of condition A, of B, their difference A - B with CI and two-sided p-value."""

    metric: str
    a: float
    b: float
    diff: float
    lo: float
    hi: float
    p_value: float
    n_valid: int


def paired_bootstrap(
    a: tuple[Any, Any, Any],
    b: tuple[Any, Any, Any],
    *,
    metrics: tuple[str, ...] = ("ece",),
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = 0.95,
    n_bins: int = 10,
    strategy: str = "uniform",
    tau: float = DEFAULT_TAU,
) -> dict[str, PairedComparison]:
    """Compare two conditions measured on the same tasks.

    Each condition is ``(conf, labels, groups)``. One draw of tasks is shared by both
    conditions in every resample, so task difficulty cancels out of the difference.
    The p-value tests "no difference": twice the smaller bootstrap tail of A - B at 0,
    with the usual +1 correction so it is never 0.

    Examples
    --------
    Security vs functional calibration of one model: ``a = (conf_sec, secure, task)``,
    ``b = (conf_fun, correct, task)``.
    """
    _check(n_boot, level)
    (ca, ya), (cb, yb) = as_pair(a[0], a[1]), as_pair(b[0], b[1])
    if a[2] is None or b[2] is None:
        raise InputError("paired comparison needs the task (group) of every row in both conditions")
    keys = np.concatenate([np.asarray(a[2]).reshape(-1), np.asarray(b[2]).reshape(-1)])
    if keys.size != ca.size + cb.size:
        raise InputError("groups must have one entry per row in each condition")
    cluster, n_clusters = as_clusters(keys, keys.size)
    counts = resample_counts(n_clusters, n_boot, np.random.default_rng(seed))
    res = []
    for c, y, cl in ((ca, ya, cluster[: ca.size]), (cb, yb, cluster[ca.size :])):
        p = Prepared.build(c, y, n_bins=n_bins, strategy=strategy, tau=tau)
        res.append((evaluate(p, UnitWeights(), metrics), _replicates(p, cl, counts, metrics)))
    (pa, ra), (pb, rb) = res
    out = {}
    for m in metrics:
        d = ra[m] - rb[m]
        d = d[~np.isnan(d)]
        est_a, est_b = float(pa[m][0]), float(pb[m][0])
        if d.size == 0:
            out[m] = PairedComparison(m, est_a, est_b, est_a - est_b, np.nan, np.nan, np.nan, 0)
            continue
        alpha = (1.0 - level) / 2.0
        lo, hi = np.quantile(d, [alpha, 1.0 - alpha])
        tail = min(np.count_nonzero(d <= 0), np.count_nonzero(d >= 0))
        p_value = min(1.0, 2.0 * (tail + 1) / (d.size + 1))
        out[m] = PairedComparison(
            m, est_a, est_b, est_a - est_b, float(lo), float(hi), p_value, int(d.size)
        )
    return out
