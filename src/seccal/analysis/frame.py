"""What an analysis reads from a results frame: its conditions, targets and columns.

A condition is one model × temperature × suite × generation variant
(:data:`CONDITION_AXES`); a frame without a ``gen_variant`` column has one variant,
:data:`DEFAULT_GEN_VARIANT`. Targets are ``security`` (label ``secure``) and
``functional`` (label ``correct``); :func:`target_columns` says which confidence
columns speak to which target.
"""

from __future__ import annotations

import json
from typing import Final

import numpy as np
import pandas as pd

from seccal.core.results import (
    CONF_PREFIX,
    GROUP_COLUMN,
    STUDY_LABEL_COLUMNS,
    Where,
    confidence_array,
    confidence_columns,
    label_array,
)
from seccal.core.results import GEN_VARIANT_COLUMN as GEN_VARIANT_COLUMN
from seccal.errors import InputError

DEFAULT_GEN_VARIANT: Final = "zero_shot"
CONDITION_AXES: Final = ("model", "temperature", "suite", GEN_VARIANT_COLUMN)
TARGET_LABEL: Final = {"security": "secure", "functional": "correct"}
#: Which confidence columns speak to which target (by prefix).
TARGET_PREFIXES: Final = {
    "security": ("conf_security_", "conf_ptrue", "conf_consistency", "conf_likelihood"),
    "functional": ("conf_functional_", "conf_likelihood"),
}
#: Task kinds judged inside a repository (the rest are self-contained snippets).
REPOSITORY_KINDS: Final = frozenset({"repository", "container"})
LEVELS: Final = ("self_contained", "repository")
_REQUIRED: Final = ("model", "temperature", "suite", GROUP_COLUMN, "secure")
_FLAGS: Final = ("has_code", "parses", "judged")
_TEXT: Final = ("gen_id", "model", "provider", "model_id", "suite", GROUP_COLUMN, "task", "cwe")


def prepare(df: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check the required columns and give the condition columns one dtype.

    A CSV read as text, JSON lines and a frame built from the store then group and sort
    identically (temperature ``"0.4"`` and ``0.4`` are one condition). A missing
    ``gen_variant`` becomes :data:`DEFAULT_GEN_VARIANT`.
    """
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise InputError(
            f"{source}: not a seccal results table: no column {missing[0]!r} "
            f"(columns: {', '.join(map(str, df.columns[:20]))})"
        )
    out = df.drop(columns=["__line__"], errors="ignore").copy()
    temps = pd.to_numeric(out["temperature"], errors="coerce")
    if temps.isna().any():
        i = int(temps.isna().to_numpy().nonzero()[0][0])
        raise InputError(
            f"{source}: column 'temperature': row {i + 1}: "
            f"{df['temperature'].iloc[i]!r} is not a number"
        )
    out["temperature"] = temps.astype(float).round(4)
    for col in _TEXT:
        if col in out.columns:
            out[col] = out[col].astype(str)
    if GEN_VARIANT_COLUMN not in out.columns:
        out[GEN_VARIANT_COLUMN] = DEFAULT_GEN_VARIANT
    out[GEN_VARIANT_COLUMN] = (
        out[GEN_VARIANT_COLUMN]
        .fillna(DEFAULT_GEN_VARIANT)
        .astype(str)
        .replace("", DEFAULT_GEN_VARIANT)
    )
    if "sample" in out.columns:
        out["sample"] = pd.to_numeric(out["sample"], errors="coerce").fillna(0).astype(int)
    # Parse every label and confidence once (errors name the source, column and row);
    # every later read of these columns is then a vectorized float read.
    where = Where(source, df.reset_index(drop=True))
    for col in (*STUDY_LABEL_COLUMNS, *_FLAGS):
        if col in out.columns:
            out[col] = label_array(out, col, where=where)
    for col in confidence_columns(out):
        out[col] = confidence_array(out, col, where=where)
    return out.reset_index(drop=True)


def _same(a: pd.Series, b: pd.Series) -> bool:
    x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=float)
    return bool(np.array_equal(x, y, equal_nan=True))


def target_columns(df: pd.DataFrame, target: str) -> list[str]:
    """The confidence columns of ``target``; a per-variant copy of a plain column is left out.

    ``conf_<t>_verbal`` is the first elicitation variant's ``conf_<t>_verbal_<v>``:
    the copy is analysed once, under the plain name.
    """
    cols = [str(c) for c in df.columns if str(c).startswith(TARGET_PREFIXES[target])]
    out = []
    for c in cols:
        plain = next(
            (p for p in (f"conf_{target}_verbal", f"conf_{target}_joint") if c.startswith(p + "_")),
            None,
        )
        if plain is not None and plain in df.columns and _same(df[c], df[plain]):
            continue
        out.append(c)
    return out


def primary_columns(df: pd.DataFrame) -> dict[str, str]:
    """The verbalized confidence each target's headline numbers are about.

    Empty when the table has no security confidence column (``conf_security_verbal``,
    ``conf_security_verbal_<variant>`` or ``conf_ptrue``): every calibration section is
    then empty, and ``notes`` says why.
    """
    out: dict[str, str] = {}
    for target, fallback in (("security", "conf_ptrue"), ("functional", None)):
        plain = f"conf_{target}_verbal"
        if plain in df.columns:
            out[target] = plain
            continue
        found = next((str(c) for c in df.columns if str(c).startswith(plain)), None)
        if found is None and fallback in df.columns:
            found = fallback
        if found is not None:
            out[target] = found
    if "security" not in out:
        return {}  # nothing elicited yet (e.g. a run stopped by its cost limit)
    if "correct" not in df.columns:
        out.pop("functional", None)
    return out


def has_confidences(df: pd.DataFrame) -> bool:
    """Whether the frame carries any confidence column."""
    return any(str(c).startswith(CONF_PREFIX) for c in df.columns)


def suite_levels(df: pd.DataFrame) -> dict[str, str]:
    """``suite -> self_contained | repository`` from the ``kind`` column, else the name."""
    out: dict[str, str] = {}
    for suite, part in df.groupby("suite", sort=True):
        if "kind" in part.columns and part["kind"].notna().any():
            kinds = set(part["kind"].dropna().astype(str))
            out[str(suite)] = "repository" if kinds & REPOSITORY_KINDS else "self_contained"
        else:
            name = str(suite).lower()
            repo = name.startswith(("repo", "aicg")) or "repo" in name
            out[str(suite)] = "repository" if repo else "self_contained"
    return out


def cwe_lists(df: pd.DataFrame) -> list[list[str]]:
    """The CWEs of each row: the ``cwes`` JSON list when present, else ``cwe`` split on ``;``."""
    if "cwes" in df.columns:
        out = []
        for raw in df["cwes"].tolist():
            if isinstance(raw, list | tuple | np.ndarray):
                out.append([str(c) for c in raw])
            elif isinstance(raw, str) and raw.strip().startswith("["):
                out.append([str(c) for c in json.loads(raw)])
            else:
                out.append([c for c in str(raw or "").split(";") if c])
        return out
    if "cwe" in df.columns:
        return [[c for c in str(v).split(";") if c and c != "nan"] for v in df["cwe"].tolist()]
    return [[] for _ in range(len(df))]


def code_length_bins(df: pd.DataFrame, edges: tuple[int, ...]) -> pd.Series | None:
    """A label per row (``1-10``, ``11-25`` ... ``>100`` lines), None without ``code_lines``."""
    if "code_lines" not in df.columns:
        return None
    lines = pd.to_numeric(df["code_lines"], errors="coerce")
    names, lo = [], 0
    for hi in edges:
        names.append(f"{lo + 1}-{hi}")
        lo = hi
    names.append(f">{lo}")
    bounds = [0, *edges, np.inf]
    binned = pd.cut(lines, bins=bounds, labels=names, right=True)
    return binned.astype(object).where(lines.notna() & (lines > 0), None)
