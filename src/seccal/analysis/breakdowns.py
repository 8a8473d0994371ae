"""Calibration per CWE, per language and per code length (pooled over temperatures)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from seccal.analysis.conditions import measure
from seccal.analysis.context import Context
from seccal.analysis.frame import code_length_bins, cwe_lists


def _rows(
    ctx: Context, by: str, value_of: Any, key: dict[str, Any], df: pd.DataFrame
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    values = value_of(df)
    if values is None:
        return out
    for value, idx in values.items():
        part = df.iloc[np.asarray(idx)].reset_index(drop=True)
        for target, conf, label in ctx.targets():
            m = measure(part, conf, label, ctx.settings)
            out.append({"condition": key, by: value, "target": target, "confidence": conf, **m})
    return out


def _by_cwe(df: pd.DataFrame) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, cwes in enumerate(cwe_lists(df)):
        for c in cwes or ["(none)"]:
            out.setdefault(c, []).append(i)
    return dict(sorted(out.items()))


def _by_column(column: str) -> Any:
    def split(df: pd.DataFrame) -> dict[str, list[int]] | None:
        if column not in df.columns:
            return None
        values = df[column].fillna("(unknown)").astype(str)
        return {str(k): list(v) for k, v in values.groupby(values).indices.items()}

    return split


def breakdowns(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """``{"cwe": rows, "language": rows, "code_length": rows}``, per model (baseline variant).

    A snippet of a task with several CWEs counts under each. ``code_length`` bins the
    ``code_lines`` column by :attr:`Settings.code_length_edges`.
    """

    def by_length(df: pd.DataFrame) -> dict[str, list[int]] | None:
        bins = code_length_bins(df, ctx.settings.code_length_edges)
        if bins is None:
            return None
        known = bins.dropna()
        return {str(k): known.index[v].tolist() for k, v in known.groupby(known).indices.items()}

    out: dict[str, list[dict[str, Any]]] = {"cwe": [], "language": [], "code_length": []}
    for key, df in ctx.pooled(("model",)):
        out["cwe"] += _rows(ctx, "cwe", _by_cwe, key, df)
        out["language"] += _rows(ctx, "language", _by_column("language"), key, df)
        out["code_length"] += _rows(ctx, "code_length", by_length, key, df)
    for name in ("language", "code_length"):
        if not out[name]:
            column = "language" if name == "language" else "code_lines"
            ctx.notes.append(f"no {name} breakdown: the results table has no {column} column")
    return out
