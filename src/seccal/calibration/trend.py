"""A metric's linear trend over an ordered setting (temperature), with a task-cluster CI.

The same tasks are measured at every setting, so one draw of tasks is shared by all
settings in each resample (as in :func:`~seccal.calibration.bootstrap.paired_bootstrap`,
of which this is the many-condition form): task difficulty cancels out of the slope.
The slope is the least-squares slope of the metric against the setting; its interval is
the percentile interval of the slopes of the resamples, and the p-value tests "no
trend" as the paired comparison does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seccal.calibration._arrays import as_clusters, as_pair
from seccal.calibration._suite import Prepared, evaluate
from seccal.calibration._weights import UnitWeights, resample_counts
from seccal.calibration.bootstrap import DEFAULT_N_BOOT, _check, _replicates
from seccal.calibration.metrics import DEFAULT_TAU
from seccal.errors import InputError


@dataclass(frozen=True)
class Trend:
    """Slope of ``metric`` per unit of the setting, with its interval and p-value.

    ``values`` holds the metric at each setting in ``x`` (None where undefined); the
    interval and p-value are None when fewer than two settings or no resample had the
    metric defined at every setting.
    """

    metric: str
    x: list[float]
    values: list[float | None]
    slope: float | None
    lo: float | None
    hi: float | None
    p_value: float | None
    n_valid: int


def _slope(x: Any, y: Any) -> Any:
    """Least-squares slope of each row of ``y`` (R, K) against ``x`` (K,)."""
    xc = x - x.mean()
    return ((y - y.mean(axis=-1, keepdims=True)) * xc).sum(axis=-1) / (xc * xc).sum()


def trend_bootstrap(
    conditions: Sequence[tuple[float, Any, Any, Any]],
    *,
    metric: str = "ece",
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = 0.95,
    n_bins: int = 10,
    strategy: str = "uniform",
    tau: float = DEFAULT_TAU,
) -> Trend:
    """The trend of ``metric`` over settings, each condition ``(x, conf, labels, tasks)``.

    Examples
    --------
    >>> hot = ([0.9] * 4, [1, 0, 0, 0], list("abcd"))
    >>> cold = ([0.6] * 4, [1, 1, 0, 0], list("abcd"))
    >>> t = trend_bootstrap([(0.0, *cold), (1.0, *hot)], n_boot=0)
    >>> round(t.slope, 2)
    0.55
    """
    if len(conditions) < 1:
        raise InputError("trend: no conditions")
    xs = np.array([float(c[0]) for c in conditions])
    if np.unique(xs).size != xs.size:
        raise InputError("trend: each setting must appear once")
    pairs = [as_pair(c[1], c[2]) for c in conditions]
    if any(tasks is None for *_, tasks in conditions):
        raise InputError("trend: needs the task of every row")
    keys = np.concatenate([np.asarray(c[3]).reshape(-1) for c in conditions])
    sizes = [c.size for c, _ in pairs]
    if keys.size != sum(sizes):
        raise InputError("trend: tasks must have one entry per row in each condition")
    prepared = [Prepared.build(c, y, n_bins=n_bins, strategy=strategy, tau=tau) for c, y in pairs]
    point = np.array([float(evaluate(p, UnitWeights(), (metric,))[metric][0]) for p in prepared])
    values = [None if np.isnan(v) else float(v) for v in point]
    defined = ~np.isnan(point)
    slope = float(_slope(xs[defined], point[defined])) if defined.sum() >= 2 else None
    if n_boot <= 0 or slope is None:
        return Trend(metric, xs.tolist(), values, slope, None, None, None, 0)
    _check(n_boot, level)
    cluster, n_clusters = as_clusters(keys, keys.size)
    counts = resample_counts(n_clusters, n_boot, np.random.default_rng(seed))
    reps = np.empty((n_boot, len(conditions)))
    start = 0
    for k, (p, size) in enumerate(zip(prepared, sizes, strict=True)):
        reps[:, k] = _replicates(p, cluster[start : start + size], counts, (metric,))[metric]
        start += size
    reps = reps[:, defined]
    ok = ~np.isnan(reps).any(axis=1)
    slopes = _slope(xs[defined], reps[ok])
    if slopes.size == 0:
        return Trend(metric, xs.tolist(), values, slope, None, None, None, 0)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(slopes, [alpha, 1.0 - alpha])
    tail = min(np.count_nonzero(slopes <= 0), np.count_nonzero(slopes >= 0))
    p_value = min(1.0, 2.0 * (tail + 1) / (slopes.size + 1))
    return Trend(
        metric, xs.tolist(), values, slope, float(lo), float(hi), p_value, int(slopes.size)
    )
