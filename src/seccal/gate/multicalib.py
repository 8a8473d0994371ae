"""Subgroup calibration and a multicalibrated variant of the risk model.

A model can be calibrated on average and badly off within one CWE, language or suite.
:func:`subgroup_calibration` reports, per subgroup, the ECE and the gap between predicted
and observed vulnerable rate. :func:`fit_multicalibration` patches the predictions by
*iterative subgroup-residual patching* (Hébert-Johnson, Kim, Reingold, Rothblum 2018):

1. cells are (subgroup, prediction bucket) pairs: a subgroup is a value of a group column
   (a ``;``-joined value such as ``CWE-79;CWE-80`` puts the row in each), a bucket one of
   ``n_buckets`` equal-width bins of the current P(vulnerable);
2. on the fitting rows, find the cell with the largest size-weighted mean residual
   ``mean(vulnerable - p)``; if its mean residual is below ``tolerance`` (or the cell has
   fewer than ``min_size`` rows), stop;
3. add that mean residual to the predictions of the cell's rows (clipped to [0, 1]) and
   record the patch; go to 2.

Patches are kept up to the one that minimised the Brier score on held-out tasks (early
stopping), so the patching cannot overfit the fitting rows without it showing. MCGrad (the
PyPI package) implements a gradient-boosted version; it pulls in PyTorch, which seccal does
not carry, so this is ours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from seccal.calibration._arrays import FloatArray
from seccal.calibration.metrics import ece
from seccal.errors import InputError

BoolArray = npt.NDArray[np.bool_]
DEFAULT_GROUP_COLUMNS = ("cwe", "language", "suite")
NONE_VALUE = "(none)"


def memberships(frame: pd.DataFrame, column: str) -> dict[str, BoolArray]:
    """Rows of each subgroup of ``column`` (``;``-joined values belong to each part)."""
    if column not in frame.columns:
        raise InputError(f"subgroups: no column {column!r} in the results table")
    raw = frame[column].astype("string").fillna("").str.strip().tolist()
    parts = [[p.strip() for p in v.split(";") if p.strip()] or [NONE_VALUE] for v in raw]
    values = sorted({p for ps in parts for p in ps})
    return {v: np.array([v in ps for ps in parts], dtype=bool) for v in values}


def _bucket(p: FloatArray, n_buckets: int) -> npt.NDArray[np.intp]:
    return np.minimum((p * n_buckets).astype(np.intp), n_buckets - 1)


@dataclass(frozen=True)
class Patch:
    """Add ``shift`` to P(vulnerable) of rows in subgroup ``column=value`` and ``bucket``."""

    column: str
    value: str
    bucket: int
    shift: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "column": self.column,
            "value": self.value,
            "bucket": self.bucket,
            "shift": self.shift,
        }


@dataclass(frozen=True)
class Multicalibrator:
    """Patches applied in order; each looks at the bucket of the prediction as patched so far."""

    patches: tuple[Patch, ...]
    n_buckets: int
    columns: tuple[str, ...]

    def predict(self, p_vulnerable: Any, frame: pd.DataFrame) -> FloatArray:
        """Patched P(vulnerable) for the rows of ``frame``."""
        p = np.asarray(p_vulnerable, dtype=np.float64).copy()
        groups = {c: memberships(frame, c) for c in self.columns}
        for patch in self.patches:
            member = groups[patch.column].get(patch.value)
            if member is None:
                continue
            cell = member & (_bucket(p, self.n_buckets) == patch.bucket)
            p[cell] = np.clip(p[cell] + patch.shift, 0.0, 1.0)
        return p

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "n_buckets": self.n_buckets,
            "columns": list(self.columns),
            "patches": [p.to_dict() for p in self.patches],
        }


def fit_multicalibration(
    p_vulnerable: Any,
    labels: Any,
    frame: pd.DataFrame,
    holdout: BoolArray,
    *,
    columns: Sequence[str] = DEFAULT_GROUP_COLUMNS,
    n_buckets: int = 5,
    tolerance: float = 0.02,
    min_size: int = 20,
    max_patches: int = 200,
) -> Multicalibrator:
    """Fit patches on the rows outside ``holdout``; stop where the holdout Brier is lowest.

    Parameters
    ----------
    p_vulnerable, labels : array-like of shape (N,)
        Out-of-sample predictions of the base model and labels (1 secure, 0 vulnerable).
    frame : DataFrame
        The rows, with the group ``columns``.
    holdout : bool array of shape (N,)
        Rows (whole tasks) used only to choose how many patches to keep.
    """
    p = np.asarray(p_vulnerable, dtype=np.float64).copy()
    v = 1.0 - np.asarray(labels, dtype=np.float64)
    cols = tuple(c for c in columns if c in frame.columns)
    if not cols:
        raise InputError(
            f"multicalibration: none of the group columns {list(columns)} is in the table"
        )
    cells = [(c, value, m) for c in cols for value, m in memberships(frame, c).items()]
    member = np.column_stack([m for _, _, m in cells]).astype(np.float64)  # rows x subgroups
    train = ~holdout
    member_train = member * train[:, None]
    patches: list[Patch] = []
    best, best_n = float(np.mean((p[holdout] - v[holdout]) ** 2)), 0
    for _ in range(max_patches):
        onehot = np.eye(n_buckets)[_bucket(p, n_buckets)]  # rows x buckets
        count = member_train.T @ onehot  # subgroups x buckets
        resid = member_train.T @ (onehot * (v - p)[:, None])
        mean = np.divide(resid, count, out=np.zeros_like(resid), where=count > 0)
        score = np.where((count >= min_size) & (np.abs(mean) >= tolerance), np.abs(resid), -1.0)
        g, k = np.unravel_index(int(np.argmax(score)), score.shape)
        if score[g, k] < 0:
            break
        col, value, in_group = cells[g]
        patch = Patch(col, value, int(k), float(mean[g, k]))
        cell = in_group & (onehot[:, k] == 1)
        p[cell] = np.clip(p[cell] + patch.shift, 0.0, 1.0)
        patches.append(patch)
        loss = float(np.mean((p[holdout] - v[holdout]) ** 2)) if holdout.any() else 0.0
        if loss < best - 1e-12:
            best, best_n = loss, len(patches)
    keep = patches[:best_n] if holdout.any() else patches
    return Multicalibrator(tuple(keep), n_buckets, cols)


def subgroup_calibration(
    p_vulnerable: Any,
    labels: Any,
    frame: pd.DataFrame,
    columns: Sequence[str] = DEFAULT_GROUP_COLUMNS,
    *,
    min_rows: int = 1,
) -> list[dict[str, Any]]:
    """Per subgroup: rows, predicted and observed vulnerable rate, and ECE of P(secure)."""
    p = np.asarray(p_vulnerable, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    rows = []
    for col in columns:
        if col not in frame.columns:
            continue
        for value, member in memberships(frame, col).items():
            n = int(member.sum())
            if n < min_rows:
                continue
            rows.append(
                {
                    "column": col,
                    "value": value,
                    "n": n,
                    "predicted_vulnerable": float(p[member].mean()),
                    "observed_vulnerable": float(1.0 - y[member].mean()),
                    "ece": float(ece(1.0 - p[member], y[member])),
                }
            )
    return rows


def before_after(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Join two :func:`subgroup_calibration` tables on (column, value)."""
    index = {(r["column"], r["value"]): r for r in after}
    out = []
    for r in before:
        a = index.get((r["column"], r["value"]))
        if a is None:
            continue
        out.append(
            {
                "column": r["column"],
                "value": r["value"],
                "n": r["n"],
                "observed_vulnerable": r["observed_vulnerable"],
                "predicted_before": r["predicted_vulnerable"],
                "predicted_after": a["predicted_vulnerable"],
                "ece_before": r["ece"],
                "ece_after": a["ece"],
            }
        )
    return out
