"""Results tables: read CSV / JSONL / Parquet and extract confidences, labels and groups.

A study writes one row per snippet; a label whose check could not run is recorded as
empty (``unknown``). Such rows are excluded from the metrics and counted, never read as
0 or 1. Errors name the file, the column and the row (and the line for text formats).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from seccal.calibration._arrays import FloatArray
from seccal.errors import InputError

CONFIDENCE_COLUMNS = ("confidence", "conf_security_verbal", "conf")
LABEL_COLUMNS = ("label", "secure", "y")
GROUP_COLUMNS = ("task_id", "task", "group")

_TRUE = {"1", "1.0", "true", "t", "yes", "secure", "correct", "pass", "passed"}
_FALSE = {"0", "0.0", "false", "f", "no", "vulnerable", "insecure", "incorrect", "fail", "failed"}
_UNKNOWN = {"", "nan", "none", "null", "na", "n/a", "unknown", "error"}


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a results table; the format follows the extension (.csv, .jsonl/.ndjson, .parquet)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            return pd.read_csv(
                p, sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False
            )
        if suffix in (".jsonl", ".ndjson"):
            return _read_jsonl(p)
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(p)
    except InputError:
        raise
    except Exception as exc:  # parser errors of pandas/pyarrow carry their own detail
        raise InputError(f"{p}: cannot read as {suffix[1:]}: {exc}") from exc
    raise InputError(f"{p}: unknown table format {suffix!r} (use .csv, .tsv, .jsonl or .parquet)")


def _read_jsonl(p: Path) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{p}: line {lineno}: not valid JSON: {exc.msg}") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{p}: line {lineno}: expected a JSON object")
            obj["__line__"] = lineno
            rows.append(obj)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Where:
    """How to name a row of a table in an error message."""

    source: str
    frame: pd.DataFrame
    text_format: bool

    def row(self, i: int) -> str:
        """Human description of the i-th row (0-based, after the header)."""
        if "__line__" in self.frame.columns:
            return f"row {i + 1} (line {int(self.frame['__line__'].iloc[i])})"
        if self.text_format:
            return f"row {i + 1} (line {i + 2})"
        return f"row {i + 1}"


def pick_column(
    frame: pd.DataFrame, given: str | None, candidates: tuple[str, ...], what: str, source: str
) -> str | None:
    """Return ``given`` if present, else the first candidate present, else None."""
    if given is not None:
        if given not in frame.columns:
            cols = ", ".join(c for c in frame.columns if c != "__line__")
            raise InputError(f"{source}: no {what} column {given!r} (columns: {cols})")
        return given
    return next((c for c in candidates if c in frame.columns), None)


def parse_labels(values: pd.Series, *, column: str, where: Where) -> FloatArray:
    """Parse 0/1, true/false or secure/vulnerable labels; unknown/empty become NaN."""
    out = np.empty(len(values), dtype=np.float64)
    for i, raw in enumerate(values.tolist()):
        key = _norm(raw)
        if key in _TRUE:
            out[i] = 1.0
        elif key in _FALSE:
            out[i] = 0.0
        elif key in _UNKNOWN:
            out[i] = np.nan
        else:
            raise InputError(
                f"{where.source}: column {column!r}: {where.row(i)}: label {raw!r} is not binary "
                "(use 0/1, true/false or secure/vulnerable; leave empty for unknown)"
            )
    return out


def parse_confidence(values: pd.Series, *, column: str, where: Where) -> FloatArray:
    """Parse confidences in [0, 1]; missing values become NaN (the caller decides)."""
    num = pd.to_numeric(values.replace({"": None}), errors="coerce").to_numpy(dtype=np.float64)
    missing = values.map(lambda v: _norm(v) in _UNKNOWN).to_numpy(dtype=bool)
    bad = np.isnan(num) & ~missing
    bad |= ~np.isnan(num) & ((num < 0) | (num > 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{where.source}: column {column!r}: {where.row(i)}: confidence "
            f"{values.iloc[i]!r} is not a probability in [0, 1]"
        )
    return num


def _norm(raw: Any) -> str:
    if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
        return ""
    if isinstance(raw, bool | np.bool_):
        return "1" if raw else "0"
    return str(raw).strip().lower()


@dataclass(frozen=True)
class Results:
    """Rows usable for metrics, plus how many were excluded and why."""

    frame: pd.DataFrame  # the usable rows, original columns kept
    source: pd.DataFrame  # every row of the table, for grouping that must see empty groups
    usable: npt.NDArray[np.bool_]  # per row of ``source``: kept in ``frame``
    conf: FloatArray
    labels: FloatArray
    group_column: str | None
    confidence_column: str
    label_column: str
    excluded_unknown_label: int
    excluded_missing_confidence: int


def load_results(
    path: str | Path,
    *,
    confidence_col: str | None = None,
    label_col: str | None = None,
    group_col: str | None = None,
    skip_missing_confidence: bool = False,
) -> Results:
    """Read a results table and extract the usable rows.

    Parameters
    ----------
    path : path
        CSV, TSV, JSONL or Parquet file.
    confidence_col, label_col, group_col : str, optional
        Column names; by default the first present of ``CONFIDENCE_COLUMNS``,
        ``LABEL_COLUMNS`` and ``GROUP_COLUMNS`` (no group column: rows are independent).
    skip_missing_confidence : bool
        Exclude (and count) rows with an empty confidence instead of raising.
    """
    source = str(path)
    frame = read_table(path)
    conf_name = pick_column(frame, confidence_col, CONFIDENCE_COLUMNS, "confidence", source)
    label_name = pick_column(frame, label_col, LABEL_COLUMNS, "label", source)
    if conf_name is None:
        raise InputError(
            f"{source}: no confidence column; name it with --confidence-col "
            f"(tried {', '.join(CONFIDENCE_COLUMNS)})"
        )
    if label_name is None:
        raise InputError(
            f"{source}: no label column; name it with --label-col "
            f"(tried {', '.join(LABEL_COLUMNS)})"
        )
    group_name = pick_column(frame, group_col, GROUP_COLUMNS, "group", source)
    where = Where(source, frame, Path(path).suffix.lower() in (".csv", ".tsv"))
    labels = parse_labels(frame[label_name], column=label_name, where=where)
    conf = parse_confidence(frame[conf_name], column=conf_name, where=where)
    no_conf = np.isnan(conf)
    if no_conf.any() and not skip_missing_confidence:
        i = int(np.flatnonzero(no_conf)[0])
        raise InputError(
            f"{source}: column {conf_name!r}: {where.row(i)}: confidence is missing "
            "(pass --skip-missing-confidence to exclude such rows)"
        )
    unknown = np.isnan(labels)
    keep = ~unknown & ~no_conf
    return Results(
        frame=frame.loc[keep].reset_index(drop=True),
        source=frame,
        usable=keep,
        conf=conf[keep],
        labels=labels[keep],
        group_column=group_name,
        confidence_column=conf_name,
        label_column=label_name,
        excluded_unknown_label=int(unknown.sum()),
        excluded_missing_confidence=int((no_conf & ~unknown).sum()),
    )


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` in the format its extension names (.csv, .tsv, .jsonl, .parquet)."""
    p = Path(path)
    frame = frame.drop(columns=["__line__"], errors="ignore")
    suffix = p.suffix.lower()
    if suffix in (".csv", ".tsv"):
        frame.to_csv(p, sep="\t" if suffix == ".tsv" else ",", index=False, lineterminator="\n")
    elif suffix in (".jsonl", ".ndjson"):
        frame.to_json(p, orient="records", lines=True)
    elif suffix in (".parquet", ".pq"):
        frame.to_parquet(p, index=False)
    else:
        raise InputError(
            f"{p}: unknown table format {suffix!r} (use .csv, .tsv, .jsonl or .parquet)"
        )
