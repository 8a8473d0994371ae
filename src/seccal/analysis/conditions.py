"""Group a results frame and summarize each group: the one "per condition" loop.

The analyze stage (every condition of a study), the report of an export table and
``seccal metrics --by`` all call :func:`summarize_by`; a group whose rows all have an
unknown label or confidence is kept, with ``n = 0`` and the reason, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from seccal.analysis.settings import Settings
from seccal.calibration.metrics import reliability
from seccal.calibration.proportion import cluster_proportion
from seccal.calibration.report import summarize, undefined_reasons
from seccal.core.results import GROUP_COLUMN, Sample, known_rows


def _numeric_if_possible(col: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return col
    try:
        return pd.to_numeric(col)
    except (ValueError, TypeError):
        return col


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def grouped(df: pd.DataFrame, by: Sequence[str]) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
    """``(key, rows)`` per group of ``by``, sorted; text columns of numbers group as numbers."""
    if not by:
        yield {}, df
        return
    keys = df[list(by)].apply(_numeric_if_possible)
    for key, idx in keys.groupby(list(by), sort=True, dropna=False).indices.items():
        values = key if isinstance(key, tuple) else (key,)
        labels = {c: _plain(v) for c, v in zip(by, values, strict=True)}
        yield labels, df.iloc[np.asarray(idx)].reset_index(drop=True)


def measure_sample(
    s: Sample, settings: Settings, *, with_reliability: bool = False
) -> dict[str, Any]:
    """Counts, summary, mean confidence and label rate (with CI) of one sample."""
    out: dict[str, Any] = {
        "n_total": s.n_total,
        "n": s.n,
        "n_unknown_label": s.n_unknown_label,
        "n_missing_confidence": s.n_missing_confidence,
        "n_tasks": int(np.unique(s.groups).size),
    }
    if s.n == 0:
        out.update(
            summary=None,
            mean_confidence=None,
            label_rate=None,
            undefined={
                "all metrics": f"no rows with a known label and confidence ({s.n_total} excluded)"
            },
        )
        if with_reliability:
            out["reliability"] = []
        return out
    summary = summarize(s.conf, s.labels, groups=s.groups, **settings.summary_options())
    rate = cluster_proportion(s.labels, s.groups, n_boot=settings.n_boot, seed=settings.seed)
    out.update(
        summary=summary,
        mean_confidence=float(s.conf.mean()),
        label_rate=asdict(rate),
        undefined=undefined_reasons(summary, s.labels),
    )
    if with_reliability:
        rel = reliability(s.conf, s.labels, n_bins=settings.n_bins, strategy=settings.strategy)
        out["reliability"] = rel.rows()
    return out


def measure(
    df: pd.DataFrame,
    confidence: str,
    label: str,
    settings: Settings,
    *,
    group: str = GROUP_COLUMN,
    with_reliability: bool = False,
) -> dict[str, Any]:
    """:func:`measure_sample` of the rows of ``df`` with a known label and confidence."""
    s = known_rows(df, confidence, label, group=group)
    return measure_sample(s, settings, with_reliability=with_reliability)


def summarize_by(
    df: pd.DataFrame,
    by: Sequence[str],
    confidence: str,
    label: str,
    settings: Settings,
    *,
    group: str = GROUP_COLUMN,
    with_reliability: bool = False,
) -> list[dict[str, Any]]:
    """One ``{"by": key, **measure(...)}`` row per group of ``by`` (all rows when empty)."""
    return [
        {
            "by": key,
            **measure(
                part, confidence, label, settings, group=group, with_reliability=with_reliability
            ),
        }
        for key, part in grouped(df, by)
    ]
