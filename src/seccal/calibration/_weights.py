"""Row weightings under which every metric is computed.

A metric is a function of weighted sums of row values grouped by a key (a bin, a
distinct confidence value, ...). Computing it under :class:`UnitWeights` gives the
point estimate; under :class:`ClusterWeights` it gives one value per bootstrap
resample at once, because resampling clusters with replacement is the same as
weighting each row by how often its cluster was drawn. Point estimates and
bootstrap replicates therefore share one implementation of each metric.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

import numpy as np
from scipy import sparse

from seccal.calibration._arrays import FloatArray, IntArray

T = TypeVar("T")

# A dense (cluster x key) table costs R*C*K per product, a sparse one R*nnz (nnz <= rows):
# stay dense only while the table is not much larger than the number of rows.
_DENSE_PER_ROW = 4


class Weights(Protocol):
    """R row weightings; ``sums`` returns an (R, n_keys) array of weighted sums."""

    @property
    def n_rep(self) -> int:
        """Number of weightings (1 for a point estimate)."""
        ...

    def sums(self, key: IntArray, n_keys: int, values: FloatArray | None) -> FloatArray:
        """Weighted sums of ``values`` (or of 1 when None) per key, one row per weighting."""
        ...


class UnitWeights:
    """Every row has weight 1: the ordinary (point) estimate."""

    n_rep = 1

    def sums(self, key: IntArray, n_keys: int, values: FloatArray | None) -> FloatArray:
        out = np.bincount(key, weights=values, minlength=n_keys).astype(np.float64)
        return out.reshape(1, n_keys)


class ClusterWeights:
    """Row weights equal to the multiplicity of the row's cluster in each resample.

    Parameters
    ----------
    counts : ndarray of shape (R, C)
        ``counts[r, k]`` is how many times cluster ``k`` was drawn in resample ``r``.
    cluster : ndarray of shape (N,)
        Cluster index of each row.
    """

    def __init__(
        self, counts: FloatArray, cluster: IntArray, cache: dict[str, Any] | None = None
    ) -> None:
        self.counts = counts
        self.cluster = cluster
        self.n_clusters = counts.shape[1]
        self._counts_t: FloatArray | None = None
        self._cache = {} if cache is None else cache

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """Per-cluster tables that do not depend on the resample counts.

        Chunks of one bootstrap share ``cache`` so such tables are built once; the cache
        belongs to one data set and must not be reused for another.
        """
        if name not in self._cache:
            self._cache[name] = build()
        return cast(T, self._cache[name])

    @property
    def counts_t(self) -> FloatArray:
        """C-contiguous transpose of ``counts``: sparse @ dense is several times faster on it."""
        if self._counts_t is None:
            self._counts_t = np.ascontiguousarray(self.counts.T)
        return self._counts_t

    @property
    def n_rep(self) -> int:
        return int(self.counts.shape[0])

    def sums(self, key: IntArray, n_keys: int, values: FloatArray | None) -> FloatArray:
        c = self.n_clusters
        if c * n_keys <= _DENSE_PER_ROW * max(key.size, 1):
            flat = self.cluster * n_keys + key
            table = np.bincount(flat, weights=values, minlength=c * n_keys).reshape(c, n_keys)
            return np.asarray(self.counts @ table, dtype=np.float64)
        data = np.ones(key.size) if values is None else values
        # (keys x clusters) sparse @ (clusters x R) dense costs nnz * R, not C * keys * R
        table_t = sparse.csr_matrix((data, (key, self.cluster)), shape=(n_keys, c))
        return np.asarray((table_t @ self.counts_t).T, dtype=np.float64)


def resample_counts(n_clusters: int, n_boot: int, rng: np.random.Generator) -> FloatArray:
    """Draw ``n_boot`` cluster resamples; return their (n_boot, n_clusters) multiplicities."""
    draws = rng.integers(0, n_clusters, size=(n_boot, n_clusters))
    offsets = (np.arange(n_boot) * n_clusters)[:, None]
    flat = np.bincount((draws + offsets).reshape(-1), minlength=n_boot * n_clusters)
    return flat.reshape(n_boot, n_clusters).astype(np.float64)
