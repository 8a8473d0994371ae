"""A share (coverage, secure rate among accepted, fix rate) with its task-cluster CI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from seccal.calibration._weights import resample_counts
from seccal.errors import InputError


@dataclass(frozen=True)
class Proportion:
    """A share with its task-cluster percentile bootstrap interval."""

    estimate: float | None
    lo: float | None
    hi: float | None
    numerator: int
    denominator: int


def _none(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def cluster_proportion(
    hits: Any,
    groups: Any,
    *,
    within: Any = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> Proportion:
    """Share of ``hits`` among the rows in ``within`` with a task-cluster bootstrap CI.

    Rows of a task are correlated (same prompt), so whole tasks are resampled, as
    for the calibration metrics. ``within`` (default: all rows) is the denominator;
    coverage of a gate is ``hits=accepted``, the secure rate among accepted rows is
    ``hits=secure, within=accepted``.

    Examples
    --------
    >>> p = cluster_proportion([1, 0, 1, 1], ["a", "a", "b", "b"], n_boot=0)
    >>> p.estimate, p.numerator, p.denominator
    (0.75, 3, 4)
    """
    h = np.asarray(hits, dtype=np.float64).reshape(-1)
    w = np.ones_like(h) if within is None else np.asarray(within, dtype=np.float64).reshape(-1)
    g = np.asarray(groups).reshape(-1)
    if not h.size == w.size == g.size:
        raise InputError("cluster_proportion: hits, within and groups differ in length")
    num, den = float((h * w).sum()), float(w.sum())
    estimate = num / den if den > 0 else np.nan
    if n_boot <= 0 or den == 0:
        return Proportion(_none(estimate), None, None, int(num), int(den))
    _, cluster = np.unique(g, return_inverse=True)
    k = int(cluster.max()) + 1
    per_num = np.bincount(cluster, weights=h * w, minlength=k)
    per_den = np.bincount(cluster, weights=w, minlength=k)
    counts = resample_counts(k, n_boot, np.random.default_rng(seed))
    rn, rd = counts @ per_num, counts @ per_den
    ok = rd > 0
    reps = rn[ok] / rd[ok]
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(reps, [alpha, 1.0 - alpha]) if reps.size else (np.nan, np.nan)
    return Proportion(_none(estimate), _none(float(lo)), _none(float(hi)), int(num), int(den))
