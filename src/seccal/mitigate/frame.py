"""The results table as numbers: labels, confidences and task clusters.

The table (``seccal export``, a replication bundle or the run store) has one row per
generation. Labels are 1 / 0 / unknown (empty, ``NA`` or NaN); unknown labels are never
read as 0 or 1 — rows with an unknown label or confidence are left out of a metric and
counted. A CSV read as text, a Parquet file with nullable integers and a frame built from
the store all give the same arrays here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from seccal.errors import InputError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

GROUP_COLUMN = "task_id"
_TRUE = {"1", "1.0", "true", "t", "yes", "secure", "correct", "pass", "passed"}
_FALSE = {"0", "0.0", "false", "f", "no", "vulnerable", "insecure", "incorrect", "fail", "failed"}
_UNKNOWN = {"", "nan", "none", "null", "na", "<na>", "n/a", "unknown", "error"}


def require_columns(df: pd.DataFrame, columns: list[str] | tuple[str, ...], what: str) -> None:
    """Raise a precise error when ``df`` lacks one of ``columns``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(str(c) for c in df.columns[:30])
        raise InputError(f"{what}: no column {missing[0]!r} in the results table (columns: {have})")


def _label_value(raw: Any, column: str, row: int) -> float:
    if raw is None or raw is pd.NA:
        return np.nan
    if isinstance(raw, bool | np.bool_):
        return 1.0 if raw else 0.0
    if isinstance(raw, int | float | np.integer | np.floating):
        x = float(raw)
        if np.isnan(x) or x in (0.0, 1.0):
            return x
    else:
        key = str(raw).strip().lower()
        if key in _TRUE:
            return 1.0
        if key in _FALSE:
            return 0.0
        if key in _UNKNOWN:
            return np.nan
    raise InputError(f"column {column!r}: row {row + 1}: label {raw!r} is not 1, 0 or empty")


def label_array(df: pd.DataFrame, column: str) -> FloatArray:
    """Labels of ``column`` as 1.0 / 0.0 / NaN (unknown).

    Examples
    --------
    >>> label_array(pd.DataFrame({"secure": ["1", "", "0"]}), "secure").tolist()
    [1.0, nan, 0.0]
    """
    require_columns(df, [column], "labels")
    values = df[column].tolist()
    return np.array([_label_value(v, column, i) for i, v in enumerate(values)], dtype=np.float64)


def confidence_array(df: pd.DataFrame, column: str) -> FloatArray:
    """Confidences of ``column`` in [0, 1]; empty values become NaN (unknown)."""
    require_columns(df, [column], "confidence")
    raw = df[column]
    text = raw.astype("string").str.strip().str.lower()
    missing = text.isna() | text.isin(list(_UNKNOWN))
    num = pd.to_numeric(raw.where(~missing, None), errors="coerce").to_numpy(dtype=np.float64)
    bad = (np.isnan(num) & ~missing.to_numpy(dtype=bool)) | (num < 0) | (num > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"column {column!r}: row {i + 1}: confidence {raw.iloc[i]!r} is not in [0, 1]"
        )
    return num


def flag_array(df: pd.DataFrame, column: str) -> FloatArray:
    """A yes/no column (``parses``, ``has_code``) as 1.0 / 0.0 / NaN, like a label."""
    return label_array(df, column)


@dataclass(frozen=True)
class Sample:
    """The rows of one (confidence, label) pair where both are known."""

    conf: FloatArray
    labels: FloatArray
    groups: npt.NDArray[Any]
    mask: BoolArray  # which rows of the source frame were kept
    n_total: int
    n_unknown_label: int
    n_missing_confidence: int

    @property
    def n(self) -> int:
        """Rows kept."""
        return int(self.conf.size)


def known_rows(
    df: pd.DataFrame, confidence: str, label: str, *, group: str = GROUP_COLUMN
) -> Sample:
    """Rows of ``df`` with a known label and a known confidence, with their task."""
    conf = confidence_array(df, confidence)
    y = label_array(df, label)
    groups = df[group].astype(str).to_numpy() if group in df.columns else np.arange(len(df))
    no_label = np.isnan(y)
    no_conf = np.isnan(conf)
    keep = ~no_label & ~no_conf
    return Sample(
        conf=conf[keep],
        labels=y[keep],
        groups=groups[keep],
        mask=keep,
        n_total=len(df),
        n_unknown_label=int(no_label.sum()),
        n_missing_confidence=int((no_conf & ~no_label).sum()),
    )


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
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, k, size=(n_boot, k))
    counts = np.zeros((n_boot, k))
    np.add.at(counts, (np.repeat(np.arange(n_boot), k), draws.reshape(-1)), 1.0)
    rn, rd = counts @ per_num, counts @ per_den
    ok = rd > 0
    reps = rn[ok] / rd[ok]
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(reps, [alpha, 1.0 - alpha]) if reps.size else (np.nan, np.nan)
    return Proportion(_none(estimate), _none(float(lo)), _none(float(hi)), int(num), int(den))
