"""Confidence bins: equal-width and tie-preserving equal-mass.

Bins are intervals ``(lo, hi]`` with the first one closed at 0, so a confidence of
exactly 0.3 with 10 equal-width bins belongs to ``(0.2, 0.3]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from seccal.calibration._arrays import FloatArray, IntArray
from seccal.errors import InputError

Strategy = Literal["uniform", "quantile"]
STRATEGIES: tuple[str, ...] = ("uniform", "quantile")


@dataclass(frozen=True)
class Bins:
    """Bin edges: bin ``b`` is ``(lower[b], upper[b]]`` (the first also contains 0)."""

    lower: FloatArray
    upper: FloatArray

    @property
    def n_bins(self) -> int:
        """Number of bins."""
        return int(self.upper.size)

    def assign(self, conf: FloatArray) -> IntArray:
        """Return the bin index of each confidence (values ``<= upper[b]`` go to bin ``b``)."""
        idx = np.searchsorted(self.upper, conf, side="left")
        # values above the last edge (only possible for data outside the fitting range)
        return np.minimum(idx, self.n_bins - 1).astype(np.intp)


def make_bins(conf: FloatArray, *, n_bins: int = 10, strategy: str = "uniform") -> Bins:
    """Build bins for ``conf``.

    Parameters
    ----------
    conf : ndarray
        Validated confidences in [0, 1].
    n_bins : int
        Requested number of bins (>= 1).
    strategy : {"uniform", "quantile"}
        ``uniform``: equal-width bins on [0, 1]. ``quantile``: bins holding about the same
        number of rows; a run of tied values is never split, so heavily tied (verbalized)
        confidences may give fewer bins than requested.

    Returns
    -------
    Bins
    """
    if n_bins < 1:
        raise InputError(f"bins: {n_bins} is not a positive number of bins")
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
        return Bins(lower=edges[:-1], upper=edges[1:])
    if strategy == "quantile":
        return _equal_mass(conf, n_bins)
    raise InputError(f"strategy: {strategy!r} is not one of {', '.join(STRATEGIES)}")


def _equal_mass(conf: FloatArray, n_bins: int) -> Bins:
    values, counts = np.unique(conf, return_counts=True)
    if values.size == 0:
        return Bins(lower=np.array([0.0]), upper=np.array([1.0]))
    cum = np.cumsum(counts)
    targets = np.arange(1, n_bins) * (cum[-1] / n_bins)
    # cut after the distinct value whose cumulative count is nearest each target
    right = np.clip(np.searchsorted(cum, targets), 0, values.size - 1)
    left = np.clip(right - 1, 0, values.size - 1)
    use_left = np.abs(cum[left] - targets) <= np.abs(cum[right] - targets)
    cuts = np.unique(np.where(use_left, left, right))
    cuts = cuts[cuts < values.size - 1]
    upper = np.append(values[cuts], 1.0)
    lower = np.concatenate(([0.0], upper[:-1]))
    return Bins(lower=lower, upper=upper)


def distinct(conf: FloatArray) -> tuple[FloatArray, IntArray]:
    """Return the sorted distinct confidence values and each row's index into them."""
    values, inverse = np.unique(conf, return_inverse=True)
    return values, inverse.astype(np.intp).reshape(-1)
