"""A p-value for "the mean of bounded i.i.d. values is at least mu0", by betting.

Snippets of one task are correlated, so a gate's calibration evidence comes in whole
tasks: per task ``j`` a value ``x_j`` in [0, 1]. Under ``H0: E[x] >= mu0``, the capital

    K_i = prod_{k <= i} (1 + lambda_k (mu0 - x_k)),   0 <= lambda_k < 1 / (1 - mu0),

with each bet ``lambda_k`` chosen from ``x_1 .. x_{k-1}`` only, is a non-negative
supermartingale, so by Ville's inequality ``P(max_i K_i >= 1/delta) <= delta`` and
``min(1, 1 / max_i K_i)`` is a valid p-value. The bets are aGRAPA's (Waudby-Smith & Ramdas
2024, "Estimating means of bounded random variables by betting", JRSS-B):
``(mu0 - mean) / (var + (mu0 - mean)^2)`` of the values seen so far, clipped to
``[0, 0.9 / (1 - mu0)]``. Unlike Hoeffding's bound this adapts to the variance; still, its
evidence grows with the number of tasks, and a few dozen calibration tasks rarely certify
anything (the range term of any bound for bounded means is of order ``log(1/delta) / n``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from seccal.calibration._arrays import FloatArray
from seccal.errors import InputError


def betting_p_value(x: Any, mu0: float) -> FloatArray:
    """P-values of ``H0: E[x] >= mu0`` for each column of ``x`` (rows: i.i.d. units, in order).

    Parameters
    ----------
    x : array-like of shape (n,) or (n, m)
        Values in [0, 1]; the row order must not depend on the values (shuffle beforehand).
    mu0 : float
        The null mean, in (0, 1).

    Examples
    --------
    >>> float(betting_p_value(np.zeros(50), 0.2)[0]) < 0.001
    True
    >>> float(betting_p_value(np.full(50, 0.3), 0.2)[0])
    1.0
    """
    arr = np.asarray(x, dtype=np.float64)
    arr = arr.reshape(-1, 1) if arr.ndim == 1 else arr
    if np.any((arr < -1e-12) | (arr > 1 + 1e-12)):
        raise InputError("betting p-value: values must lie in [0, 1]")
    if not 0.0 < mu0 < 1.0:
        raise InputError(f"betting p-value: mu0 {mu0} is not in (0, 1)")
    n = arr.shape[0]
    if n == 0:
        return np.ones(arr.shape[1])
    i = np.arange(1, n + 1, dtype=np.float64)[:, None]
    mean = (0.5 + np.cumsum(arr, axis=0)) / (i + 1)
    var = (0.25 + np.cumsum((arr - mean) ** 2, axis=0)) / (i + 1)
    prev_var = np.vstack([np.full((1, arr.shape[1]), 0.25), var[:-1]])
    prev_mean = np.vstack([np.full((1, arr.shape[1]), 0.5), mean[:-1]])
    gap = mu0 - prev_mean
    bet = np.clip(gap / (prev_var + gap**2), 0.0, 0.9 / (1.0 - mu0))
    log_capital = np.cumsum(np.log1p(bet * (mu0 - arr)), axis=0)
    best = np.max(log_capital, axis=0)
    return np.asarray(np.minimum(1.0, np.exp(-best)), dtype=np.float64)
