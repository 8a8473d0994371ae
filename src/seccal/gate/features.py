"""Features of a snippet for the fused risk model: confidences, analyzer findings, execution.

Three kinds of column feed the model, each with its own transform:

``confidence``
    a model confidence in [0, 1] (``conf_security_verbal``, ``conf_ptrue``,
    ``conf_consistency``, ``conf_likelihood``, ...), used as ``logit(c)``;
``count``
    a count of analyzer findings (``findings_total``, ``findings_high``,
    ``findings_fam_sql_injection``, ...), used as ``log(1 + count)``;
``flag``
    a yes/no execution signal (``parses``, ``correct``), used as 0/1.

A missing value (a method that gave no answer, a check that could not run) is replaced by
the mean of the fitting rows and flagged by a companion ``missing`` indicator, so the model
can learn what "no answer" means instead of reading it as 0.

Finding counts are produced by :func:`finding_counts` from :class:`seccal.core.findings.Finding`
lists, both for the exported results table and for ``seccal gate check``, so the two
always mean the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from seccal.calibration._arrays import FloatArray
from seccal.calibration.recalibrate import logit
from seccal.core.findings import CWE_FAMILIES, Finding
from seccal.core.results import Where, confidence_array, flag_array
from seccal.errors import InputError

Kind = Literal["confidence", "count", "flag"]
KINDS: tuple[Kind, ...] = ("confidence", "count", "flag")

#: Confidence columns the fused model uses by default, when the table has them.
CONFIDENCE_FEATURES = (
    "conf_security_verbal",
    "conf_ptrue",
    "conf_consistency",
    "conf_likelihood",
    "confidence",
)
#: Execution signals used by default, when present.
FLAG_FEATURES = ("parses", "correct")
FINDINGS_PREFIX = "findings_"

# A readable name per CWE family of seccal.core.findings, keyed by a member CWE so that the
# names stay right if that tuple is reordered.
_FAMILY_NAMES = {
    "CWE-94": "code_injection",
    "CWE-78": "command_injection",
    "CWE-22": "path_traversal",
    "CWE-79": "xss",
    "CWE-89": "sql_injection",
    "CWE-327": "weak_crypto",
    "CWE-798": "hardcoded_secret",
    "CWE-611": "xxe",
    "CWE-400": "resource_exhaustion",
    "CWE-113": "crlf_injection",
    "CWE-330": "weak_random",
    "CWE-862": "authorization",
}


def _family_names() -> list[tuple[frozenset[str], str]]:
    out = []
    for fam in CWE_FAMILIES:
        name = next((n for cwe, n in _FAMILY_NAMES.items() if cwe in fam), None)
        out.append((fam, name or "cwe_" + min(fam).split("-")[1]))
    return out


FAMILIES = _family_names()
#: Every finding-count column, in a fixed order.
FINDING_COLUMNS: tuple[str, ...] = (
    "findings_total",
    "findings_high",
    "findings_medium",
    "findings_low",
    *(f"findings_fam_{name}" for _, name in FAMILIES),
    "findings_fam_other",
)


def finding_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Counts of ``findings`` in total, per severity and per CWE family (:data:`FINDING_COLUMNS`).

    A finding without a CWE, or with one in no family, counts under ``findings_fam_other``.

    Examples
    --------
    >>> f = Finding("bandit", "B608", "CWE-89", 3, "sql", "medium")
    >>> c = finding_counts([f, f])
    >>> c["findings_total"], c["findings_medium"], c["findings_fam_sql_injection"]
    (2, 2, 2)
    """
    out = dict.fromkeys(FINDING_COLUMNS, 0)
    for f in findings:
        out["findings_total"] += 1
        out[f"findings_{f.severity}"] += 1
        cwe = f.cwe.upper()
        name = next((n for fam, n in FAMILIES if cwe in fam), "other")
        out[f"findings_fam_{name}"] += 1
    return out


@dataclass(frozen=True)
class Feature:
    """One input column and how it enters the model; ``fill`` is its fitted impute value."""

    column: str
    kind: Kind
    fill: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"column": self.column, "kind": self.kind, "fill": self.fill}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Feature:
        """Inverse of :meth:`to_dict`."""
        kind = str(data["kind"])
        if kind not in KINDS:
            raise InputError(f"feature {data.get('column')!r}: kind {kind!r} is not one of {KINDS}")
        return cls(column=str(data["column"]), kind=kind, fill=float(data.get("fill", 0.0)))  # type: ignore[arg-type]


def kind_of(column: str) -> Kind:
    """The kind a column name implies: ``conf_*`` confidence, ``findings_*`` count, else flag."""
    if column.startswith("conf") or column == "confidence":
        return "confidence"
    if column.startswith(FINDINGS_PREFIX):
        return "count"
    return "flag"


def default_features(frame: pd.DataFrame) -> list[str]:
    """The feature columns the table offers: known confidences, finding counts, execution flags."""
    cols = [c for c in CONFIDENCE_FEATURES if c in frame.columns]
    if "confidence" in cols and len(cols) > 1:
        cols.remove("confidence")  # an alias of the primary confidence in hand-made tables
    cols += [c for c in FINDING_COLUMNS if c in frame.columns]
    cols += [c for c in FLAG_FEATURES if c in frame.columns]
    return cols


def raw_values(frame: pd.DataFrame, feature: str, kind: Kind, source: str) -> FloatArray:
    """Values of one feature column (NaN where missing), validated for its kind."""
    if feature not in frame.columns:
        have = ", ".join(c for c in frame.columns if c != "__line__")
        raise InputError(f"{source}: no feature column {feature!r} (columns: {have})")
    col = frame[feature]
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return _numeric(col.to_numpy(dtype=np.float64), feature, kind, source)
    if kind == "confidence":
        return confidence_array(frame, feature, where=Where(source, frame))
    if kind == "flag":
        try:
            return flag_array(frame, feature)
        except InputError as exc:
            raise InputError(f"{source}: {exc}") from exc
    num = pd.to_numeric(col.replace({"": None}), errors="coerce").to_numpy(dtype=np.float64)
    bad = (~np.isnan(num) & (num < 0)) | (np.isnan(num) & col.notna().to_numpy() & (col != ""))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{source}: column {feature!r}: row {i + 1}: {col.iloc[i]!r} is not a count >= 0"
        )
    return num


def _numeric(x: FloatArray, feature: str, kind: Kind, source: str) -> FloatArray:
    """Validate an already numeric column (the fast path: no per-value parsing)."""
    lo, hi = 0.0, (1.0 if kind in ("confidence", "flag") else np.inf)
    bad = ~np.isnan(x) & ((x < lo) | (x > hi))
    if kind == "flag":
        bad |= ~np.isnan(x) & (x != 0) & (x != 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = {"confidence": "a probability in [0, 1]", "flag": "0 or 1", "count": "a count >= 0"}
        raise InputError(f"{source}: column {feature!r}: row {i + 1}: {x[i]!r} is not {what[kind]}")
    return x


def numeric_frame(frame: pd.DataFrame, columns: Sequence[str], source: str) -> pd.DataFrame:
    """The feature columns parsed once into floats (NaN = missing), for repeated fitting."""
    return pd.DataFrame(
        {c: raw_values(frame, c, kind_of(c), source) for c in columns}, index=frame.index
    )


def transform(values: FloatArray, kind: Kind) -> FloatArray:
    """The model's input scale of a kind: logit, log1p or 0/1 as is."""
    if kind == "confidence":
        return logit(values)
    if kind == "count":
        return np.log1p(values)
    return values


def fit_features(frame: pd.DataFrame, columns: Sequence[str], source: str) -> list[Feature]:
    """Features for ``columns`` with impute values fitted on ``frame`` (means on model scale)."""
    if not columns:
        raise InputError(f"{source}: no feature columns given or found")
    out = []
    for col in columns:
        kind = kind_of(col)
        x = raw_values(frame, col, kind, source)
        ok = ~np.isnan(x)
        fill = float(transform(x[ok], kind).mean()) if ok.any() else 0.0
        out.append(Feature(col, kind, fill))
    return out


def design(frame: pd.DataFrame, features: Sequence[Feature], source: str) -> FloatArray:
    """The model matrix: one column per feature, then one missing indicator per feature.

    Indicators are kept for every feature (constant zero where nothing is missing) so that
    the matrix layout depends only on the feature list, never on the data.
    """
    n = len(frame)
    values = np.empty((n, len(features)), dtype=np.float64)
    missing = np.zeros((n, len(features)), dtype=np.float64)
    for j, f in enumerate(features):
        x = raw_values(frame, f.column, f.kind, source)
        miss = np.isnan(x)
        z = transform(np.where(miss, 0.5 if f.kind == "confidence" else 0.0, x), f.kind)
        values[:, j] = np.where(miss, f.fill, z)
        missing[:, j] = miss
    return np.hstack([values, missing])


def feature_names(features: Sequence[Feature]) -> list[str]:
    """Column names of :func:`design`'s matrix."""
    return [f.column for f in features] + [f"{f.column}:missing" for f in features]
