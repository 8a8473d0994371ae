"""Metric kernels: each returns one value per weighting of a :class:`Weights`.

Public functions in :mod:`seccal.calibration.metrics` call these with unit weights;
:mod:`seccal.calibration.bootstrap` calls them with cluster-resample weights. Values a
metric cannot take on a sample (e.g. AUROC with one class) come back as NaN.
"""

from __future__ import annotations

import numpy as np
from scipy import fft

from seccal.calibration._arrays import FloatArray, IntArray
from seccal.calibration._weights import Weights

_ZERO_KEY_CACHE: dict[int, IntArray] = {}
SMECE_GRID = 512  # grid cells on [0, 1] for the kernel-smoothed residual
_SMECE_ITERS = 18  # bisection steps for the bandwidth fixed point: resolution 2**-18
LOGLOSS_EPS = 1e-15


def ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _zero_key(n: int) -> IntArray:
    key = _ZERO_KEY_CACHE.get(n)
    if key is None:
        key = np.zeros(n, dtype=np.intp)
        _ZERO_KEY_CACHE.clear()  # keep only the latest size; it is cheap to rebuild
        _ZERO_KEY_CACHE[n] = key
    return key


def totals(y: FloatArray, w: Weights, values: list[FloatArray]) -> FloatArray:
    """Weighted totals of several row vectors: shape (R, len(values))."""
    key = _zero_key(y.size)
    return np.hstack([w.sums(key, 1, v) for v in values])


def binned(
    c: FloatArray, y: FloatArray, bin_idx: IntArray, n_bins: int, w: Weights
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-bin weighted count, confidence sum and label sum, each (R, n_bins)."""
    return (
        w.sums(bin_idx, n_bins, None),
        w.sums(bin_idx, n_bins, c),
        w.sums(bin_idx, n_bins, y),
    )


def ece_mce(
    c: FloatArray, y: FloatArray, bin_idx: IntArray, n_bins: int, w: Weights
) -> tuple[FloatArray, FloatArray]:
    """ECE = sum_b (n_b/N)|acc_b - conf_b| and MCE = max over non-empty bins."""
    n, sc, sy = binned(c, y, bin_idx, n_bins, w)
    total = n.sum(axis=1)
    ece = ratio(np.abs(sy - sc).sum(axis=1), total)
    gap = np.abs(ratio(sy - sc, n))
    mce = np.where(total > 0, np.nanmax(np.where(n > 0, gap, -np.inf), axis=1), np.nan)
    return ece, mce


def brier_logloss_gap(c: FloatArray, y: FloatArray, w: Weights) -> dict[str, FloatArray]:
    """Brier score, log-loss and over-confidence gap."""
    cc = np.clip(c, LOGLOSS_EPS, 1 - LOGLOSS_EPS)
    nll = -(y * np.log(cc) + (1 - y) * np.log1p(-cc))
    t = totals(y, w, [np.ones_like(c), (c - y) ** 2, nll, c - y])
    return {
        "brier": ratio(t[:, 1], t[:, 0]),
        "log_loss": ratio(t[:, 2], t[:, 0]),
        "overconfidence_gap": ratio(t[:, 3], t[:, 0]),
    }


def murphy(values: FloatArray, inv: IntArray, y: FloatArray, w: Weights) -> dict[str, FloatArray]:
    """Murphy decomposition over distinct confidence values: Brier = REL - RES + UNC."""
    d = values.size
    n = w.sums(inv, d, None)
    sy = w.sums(inv, d, y)
    total = n.sum(axis=1, keepdims=True)
    base = ratio(sy.sum(axis=1, keepdims=True), total)
    acc = ratio(sy, n)
    acc = np.where(n > 0, acc, 0.0)
    rel = ratio((n * (values[None, :] - acc) ** 2).sum(axis=1, keepdims=True), total)
    res = ratio((n * (acc - base) ** 2).sum(axis=1, keepdims=True), total)
    unc = base * (1 - base)
    bss = 1 - ratio(rel - res + unc, unc)
    return {
        "brier_reliability": rel[:, 0],
        "brier_resolution": res[:, 0],
        "brier_uncertainty": unc[:, 0],
        "brier_skill_score": bss[:, 0],
    }


def thresholds(c: FloatArray, y: FloatArray, tau: float, w: Weights) -> dict[str, FloatArray]:
    """False Trust rate P(c >= tau | y = 0) and P(y = 0 | c >= tau)."""
    confident = (c >= tau).astype(np.float64)
    vuln = 1.0 - y
    t = totals(y, w, [vuln * confident, vuln, confident])
    return {
        "false_trust_rate": ratio(t[:, 0], t[:, 1]),
        "p_vulnerable_given_confident": ratio(t[:, 0], t[:, 2]),
    }


def ranking(values: FloatArray, inv: IntArray, y: FloatArray, w: Weights) -> dict[str, FloatArray]:
    """AUROC (ties count 1/2), average precision of the secure class, and AURC.

    All three are computed on distinct confidence values so that tied confidences act
    as one threshold, exactly as scikit-learn does for AUROC and average precision.
    """
    d = values.size
    pos = w.sums(inv, d, y)  # secure rows per distinct value (ascending)
    neg = w.sums(inv, d, 1.0 - y)
    tot_p = pos.sum(axis=1)
    tot_n = neg.sum(axis=1)
    below = np.cumsum(neg, axis=1) - neg
    auroc = ratio((pos * (below + 0.5 * neg)).sum(axis=1), tot_p * tot_n)
    # descending thresholds for precision/recall and selective risk
    cum_p = np.cumsum(pos[:, ::-1], axis=1)
    cum_all = cum_p + np.cumsum(neg[:, ::-1], axis=1)
    precision = np.where(cum_all > 0, cum_p / np.maximum(cum_all, 1e-300), 0.0)
    auprc = ratio((pos[:, ::-1] * precision).sum(axis=1), tot_p)
    risk = 1.0 - precision
    count = pos[:, ::-1] + neg[:, ::-1]
    aurc = ratio((count * np.where(cum_all > 0, risk, 0.0)).sum(axis=1), tot_p + tot_n)
    return {"auroc": auroc, "auprc": auprc, "aurc": aurc}


def smece(c: FloatArray, y: FloatArray, w: Weights) -> FloatArray:
    """Smooth ECE: the fixed point sigma of sigma -> integral |kernel-smoothed residual|.

    The residual y - c is put on a grid of cell centres and smoothed with a Gaussian
    reflected at 0 and 1, which is exactly a DCT-II multiplier (Blasiok & Nakkiran 2023).
    smECE_sigma decreases in sigma, so the fixed point is found by bisection, vectorised
    over all weightings at once.
    """
    g = SMECE_GRID
    cell = np.minimum((c * g).astype(np.intp), g - 1)
    n = totals(y, w, [np.ones_like(c)])[:, 0]
    mass = w.sums(cell, g, y - c) / np.where(n > 0, n, 1.0)[:, None]
    spectrum = fft.dct(mass, type=2, norm="ortho", axis=1)
    freq2 = (np.pi * np.arange(g)) ** 2 / 2.0
    lo = np.zeros(mass.shape[0])
    hi = np.ones(mass.shape[0])
    for _ in range(_SMECE_ITERS):
        mid = (lo + hi) / 2
        smooth = fft.idct(
            spectrum * np.exp(-freq2[None, :] * mid[:, None] ** 2), type=2, norm="ortho", axis=1
        )
        above = np.abs(smooth).sum(axis=1) > mid
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return np.where(n > 0, (lo + hi) / 2, np.nan)
