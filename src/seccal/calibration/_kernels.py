"""Metric kernels: each returns one value per weighting of a :class:`Weights`.

Public functions in :mod:`seccal.calibration.metrics` call these with unit weights;
:mod:`seccal.calibration.bootstrap` calls them with cluster-resample weights. Values a
metric cannot take on a sample (e.g. AUROC with one class) come back as NaN.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import fft, sparse

from seccal.calibration._arrays import FloatArray, IntArray
from seccal.calibration._weights import ClusterWeights, Weights

_ZERO_KEY_CACHE: dict[int, IntArray] = {}
SMECE_GRID = 512  # grid cells on [0, 1] for the kernel-smoothed residual
_SMECE_ITERS = 16  # bisection steps for the bandwidth fixed point: resolution 2**-16
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


def _sum_sq_over_n(inv: IntArray, d: int, y: FloatArray, w: Weights) -> FloatArray:
    """Q = sum_d Sy_d^2 / n_d over distinct values d, one value per weighting.

    Under cluster weights a value seen in one cluster only contributes k_a * sy^2 / n,
    linear in the weights; only values shared by several clusters need per-resample sums.
    This keeps continuous confidences (nearly all values unique) fast.
    """
    if not isinstance(w, ClusterWeights):
        n, sy = w.sums(inv, d, None), w.sums(inv, d, y)
        return np.asarray(ratio(sy**2, n).sum(axis=1, where=n > 0), dtype=np.float64)
    linear, shared, sub, n_shared = w.cached("murphy", lambda: _murphy_split(inv, d, y, w))
    q = w.counts @ linear
    if n_shared:
        sw = ClusterWeights(w.counts, w.cluster[shared])
        n, sy = sw.sums(sub, n_shared, None), sw.sums(sub, n_shared, y[shared])
        np.square(sy, out=sy)
        q = q + np.divide(sy, n, out=sy, where=n > 0).sum(axis=1, where=n > 0)
    return np.asarray(q, dtype=np.float64)


def _murphy_split(
    inv: IntArray, d: int, y: FloatArray, w: ClusterWeights
) -> tuple[FloatArray, npt.NDArray[np.bool_], IntArray, int]:
    """Per-cluster linear part of Q, and the rows / re-indexed keys of shared values."""
    n_cl = w.n_clusters
    pair = np.unique(inv * n_cl + w.cluster)
    span = np.bincount(pair // n_cl, minlength=d)
    single = span[inv] == 1
    n0 = np.bincount(inv, minlength=d).astype(np.float64)
    sy0 = np.bincount(inv, weights=y, minlength=d)
    per_value = np.divide(sy0**2, n0, out=np.zeros(d), where=n0 > 0)
    # every row of a single-cluster value carries 1/n0 of that value's contribution
    per_row = np.where(single, per_value[inv] / n0[inv], 0.0)
    linear = np.bincount(w.cluster, weights=per_row, minlength=n_cl)
    shared = ~single
    codes, sub = np.unique(inv[shared], return_inverse=True)
    return linear.astype(np.float64), shared, sub.astype(np.intp).reshape(-1), int(codes.size)


def murphy(values: FloatArray, inv: IntArray, y: FloatArray, w: Weights) -> dict[str, FloatArray]:
    """Murphy decomposition over distinct confidence values: Brier = REL - RES + UNC.

    With Q = sum_d Sy_d^2 / n_d: REL = (sum c^2 - 2 sum c y + Q) / N and
    RES = Q / N - ybar^2, since c is constant within a distinct-value bin.
    """
    c = values[inv]
    t = totals(y, w, [np.ones_like(c), y, c * c, c * y])
    total, base = t[:, 0], ratio(t[:, 1], t[:, 0])
    q = _sum_sq_over_n(inv, values.size, y, w)
    # clipping removes rounding residue of order 1e-17 around a perfect 0
    rel = np.maximum(ratio(t[:, 2] - 2 * t[:, 3] + q, total), 0.0)
    res = np.maximum(ratio(q, total) - base**2, 0.0)
    unc = base * (1 - base)
    bss = 1 - ratio(rel - res + unc, unc)
    return {
        "brier_reliability": rel,
        "brier_resolution": res,
        "brier_uncertainty": unc,
        "brier_skill_score": bss,
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


_AUROC_DENSE_CELLS = 10_000_000  # distinct values x clusters for the quadratic-form path


def _auroc_pair_counts(
    inv: IntArray, d: int, y: FloatArray, w: ClusterWeights
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """M[a, b] = ordered (secure in a, vulnerable in b) pairs; secure and vulnerable per cluster."""
    n_cl = w.n_clusters
    neg = np.bincount(inv * n_cl + w.cluster, weights=1.0 - y, minlength=d * n_cl)
    neg = neg.reshape(d, n_cl)
    beaten = np.cumsum(neg, axis=0) - 0.5 * neg  # vulnerable below, ties count 1/2
    # secure rows are at most N non-zeros: a sparse product avoids a dense (C x D) @ (D x C)
    pos = sparse.csr_matrix((y, (w.cluster, inv)), shape=(n_cl, d))
    m = np.asarray(pos @ beaten, dtype=np.float64)
    pos_c = np.bincount(w.cluster, weights=y, minlength=n_cl)
    return m, pos_c.astype(np.float64), np.asarray(neg.sum(axis=0), dtype=np.float64)


def auroc(values: FloatArray, inv: IntArray, y: FloatArray, w: Weights) -> FloatArray:
    """AUROC = P(c_secure > c_vulnerable) + P(tie)/2, one value per weighting.

    With cluster weights k, the weighted count of (secure, vulnerable) pairs in order is
    the quadratic form k' M k, where M[a, b] counts ordered pairs from a secure row of
    cluster a and a vulnerable row of cluster b: no per-resample work grows with N.
    """
    d = values.size
    if isinstance(w, ClusterWeights) and d * w.n_clusters <= _AUROC_DENSE_CELLS:
        m, pos_c, neg_c = w.cached("auroc", lambda: _auroc_pair_counts(inv, d, y, w))
        k = w.counts
        pairs = ((k @ m) * k).sum(axis=1)
        return ratio(pairs, (k @ pos_c) * (k @ neg_c))
    pos_v = w.sums(inv, d, y)
    neg_v = w.sums(inv, d, 1.0 - y)
    below = np.cumsum(neg_v, axis=1) - neg_v
    pairs = (pos_v * (below + 0.5 * neg_v)).sum(axis=1)
    return ratio(pairs, pos_v.sum(axis=1) * neg_v.sum(axis=1))


def precision_risk(
    values: FloatArray, inv: IntArray, y: FloatArray, w: Weights
) -> dict[str, FloatArray]:
    """Average precision of the secure class and AURC (area under risk-coverage).

    Both use distinct confidence values as thresholds, so tied confidences act as one
    threshold, as scikit-learn does for average precision.
    """
    d = values.size
    # cumulative sums run down axis 0 of (keys, R) arrays: contiguous, several times faster
    desc = d - 1 - inv  # key 0 = highest confidence
    pos = np.ascontiguousarray(w.sums(desc, d, y).T)
    neg = np.ascontiguousarray(w.sums(desc, d, 1.0 - y).T)
    cum_p = np.cumsum(pos, axis=0)
    cum_all = cum_p + np.cumsum(neg, axis=0)
    precision = np.divide(cum_p, cum_all, out=np.zeros_like(cum_p), where=cum_all > 0)
    auprc = ratio((pos * precision).sum(axis=0), pos.sum(axis=0))
    accepted_risk = np.where(cum_all > 0, 1.0 - precision, 0.0)
    aurc = ratio(((pos + neg) * accepted_risk).sum(axis=0), cum_all[-1])
    return {"auprc": auprc, "aurc": aurc}


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
