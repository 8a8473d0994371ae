"""Validation of confidence / label / group arrays shared by every metric.

Metrics accept any array-like; they convert once here so that each error names the
offending row (0-based position in the input) instead of failing deep inside numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from seccal.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def as_confidence(conf: Any, *, name: str = "confidence") -> FloatArray:
    """Return ``conf`` as a 1-D float64 array, raising on NaN or values outside [0, 1]."""
    arr = np.asarray(conf, dtype=np.float64).reshape(-1)
    bad = ~((arr >= 0.0) & (arr <= 1.0))  # NaN compares False, so it lands here too
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}: row {row}: value {arr[row]!r} is not a probability in [0, 1]")
    return arr


def as_labels(labels: Any, *, name: str = "label") -> FloatArray:
    """Return ``labels`` as a 1-D float64 array of 0/1, raising on any other value."""
    arr = np.asarray(labels, dtype=np.float64).reshape(-1)
    bad = ~((arr == 0.0) | (arr == 1.0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}: row {row}: value {arr[row]!r} is not a binary label (0 or 1)")
    return arr


def as_pair(conf: Any, labels: Any) -> tuple[FloatArray, FloatArray]:
    """Validate a confidence vector and a label vector of the same non-zero length."""
    c = as_confidence(conf)
    y = as_labels(labels)
    if c.shape != y.shape:
        raise InputError(f"confidence has {c.size} rows but label has {y.size}")
    if c.size == 0:
        raise InputError("no rows: metrics need at least one row with a known label")
    return c, y


def as_clusters(groups: Any, n: int) -> tuple[IntArray, int]:
    """Map group keys (any hashable values) to dense cluster indices ``0..C-1``.

    ``groups=None`` makes every row its own cluster, i.e. an ordinary row bootstrap.
    """
    if groups is None:
        return np.arange(n, dtype=np.intp), n
    arr = np.asarray(groups).reshape(-1)
    if arr.size != n:
        raise InputError(f"groups has {arr.size} rows but confidence has {n}")
    if arr.dtype.kind == "O":
        # mixed/None keys: compare by their string form so np.unique can sort them
        arr = arr.astype(str)
    _, inverse = np.unique(arr, return_inverse=True)
    inv = inverse.astype(np.intp).reshape(-1)
    return inv, int(inv.max()) + 1 if n else 0
