"""The results frame: one row per generation, and the one parser of its cells.

A study's export, a replication bundle, the run store's results table and any table
of the same shape a user brings are read here, and only here, into numbers: labels
are 1 / 0 / unknown (empty, ``NA``, ``<NA>``, NaN or ``unknown``), confidences are in
[0, 1] or missing. Unknown labels are never read as 0 or 1: rows with an unknown label
or confidence are left out of a metric and counted. A CSV read as text, a Parquet
file with nullable integers and a frame built from the store give the same arrays.

Errors name the file, the column and the row (and the line for text formats).

Columns a study writes (:func:`seccal.study.table.results_table`):

identity     ``gen_id, model, provider, model_id, temperature, sample, suite,
             task_id`` (``suite/id``, the bootstrap cluster), ``task``, ``gen_variant``
             (the generation prompt variant; a table without it is all ``zero_shot``)
task         ``cwe`` (the task's CWEs, ``;``-joined), ``cwes`` (the same as a JSON
             list), ``language``, ``kind`` (the task's :data:`~seccal.core.task.TaskKind`)
code         ``has_code``, ``parses``, ``code_lines`` (lines of extracted code, empty
             without code), ``generation_error``
cost         ``cost_usd`` (every call of the snippet), ``cost_<stage>_usd`` per stage
             (``generate``, ``elicit``, ...), ``tokens_in``, ``tokens_out`` (generation)
confidence   every column starting with :data:`CONF_PREFIX`
labels       :data:`STUDY_LABEL_COLUMNS`: 1 / 0 / empty; ``n_findings``, the count of
             static findings at or above the default severity; ``secure_reason`` and
             ``correct_reason``, why a label is unknown (empty when known)
judge        ``judged``; ``isolation``, the sandbox's isolation (``strong``, ``weak``,
             ``none``); ``parse_error``: the judge found the code does not parse (its
             security labels are then unknown: a category of its own), empty when the
             generation was not judged

Why ~400 lines in one module: it is the one parser of result cells (see above);
reading, typed columns and the frame they build are kept together so that no
second reader of labels or confidences can appear elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from seccal.core.labels import FALSE_TOKENS, TRUE_TOKENS, UNKNOWN_TOKENS
from seccal.errors import InputError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Prefix of every confidence column.
CONF_PREFIX: Final = "conf_"
#: The task column: the bootstrap's cluster.
GROUP_COLUMN: Final = "task_id"
#: The generation prompt variant of a row (``zero_shot``, ``few_shot``, ``cot``, ``few_shot_cot``).
GEN_VARIANT_COLUMN: Final = "gen_variant"
#: Label columns of a study's results table (``secure`` follows the study's label source).
STUDY_LABEL_COLUMNS: Final = ("secure_dynamic", "secure_static", "secure", "correct")
#: Columns tried, in order, when a user names none.
CONFIDENCE_COLUMNS: Final = ("confidence", "conf_security_verbal", "conf")
LABEL_COLUMNS: Final = ("label", "secure", "y")
GROUP_COLUMNS: Final = ("task_id", "task", "group")
#: Line numbers of JSON-lines rows, kept for error messages and dropped on write.
LINE_COLUMN: Final = "__line__"


# --- reading and writing tables -----------------------------------------------------


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a results table; the format follows the extension (.csv, .tsv, .jsonl, .parquet)."""
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
            obj[LINE_COLUMN] = lineno
            rows.append(obj)
    return pd.DataFrame(rows)


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` in the format its extension names (.csv, .tsv, .jsonl, .parquet)."""
    p = Path(path)
    frame = frame.drop(columns=[LINE_COLUMN], errors="ignore")
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


# --- naming rows and columns --------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """How to name a row of a table in an error message."""

    source: str
    frame: pd.DataFrame
    text_format: bool = False

    def row(self, i: int) -> str:
        """Human description of the i-th row (0-based, after the header)."""
        if LINE_COLUMN in self.frame.columns:
            return f"row {i + 1} (line {int(self.frame[LINE_COLUMN].iloc[i])})"
        if self.text_format:
            return f"row {i + 1} (line {i + 2})"
        return f"row {i + 1}"

    def prefix(self) -> str:
        """``"SOURCE: "``, or nothing for an in-memory frame."""
        return f"{self.source}: " if self.source else ""


def _where(df: pd.DataFrame, where: Where | None) -> Where:
    return where if where is not None else Where("", df)


def require_columns(df: pd.DataFrame, columns: list[str] | tuple[str, ...], what: str) -> None:
    """Raise a precise error when ``df`` lacks one of ``columns``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(str(c) for c in df.columns[:30] if c != LINE_COLUMN)
        raise InputError(f"{what}: no column {missing[0]!r} in the results table (columns: {have})")


def pick_column(
    frame: pd.DataFrame, given: str | None, candidates: tuple[str, ...], what: str, source: str
) -> str | None:
    """Return ``given`` if present, else the first candidate present, else None."""
    if given is not None:
        if given not in frame.columns:
            cols = ", ".join(c for c in frame.columns if c != LINE_COLUMN)
            raise InputError(f"{source}: no {what} column {given!r} (columns: {cols})")
        return given
    return next((c for c in candidates if c in frame.columns), None)


def confidence_columns(df: pd.DataFrame) -> list[str]:
    """The confidence columns present in a results table."""
    return [str(c) for c in df.columns if str(c).startswith(CONF_PREFIX)]


# --- cells as numbers ---------------------------------------------------------------


def _norm(raw: Any) -> str:
    if raw is None or raw is pd.NA or (isinstance(raw, float) and np.isnan(raw)):
        return ""
    if isinstance(raw, bool | np.bool_):
        return "1" if raw else "0"
    if isinstance(raw, int | np.integer):
        return str(int(raw))
    if isinstance(raw, float | np.floating):
        return repr(float(raw))
    return str(raw).strip().lower()


def is_unknown(raw: Any) -> bool:
    """True for a cell that means "unknown" (empty, NA, NaN, ``unknown`` ...)."""
    return _norm(raw) in UNKNOWN_TOKENS


def label_array(df: pd.DataFrame, column: str, *, where: Where | None = None) -> FloatArray:
    """Labels of ``column`` as 1.0 / 0.0 / NaN (unknown).

    Accepts 0/1 (numbers or text), true/false, secure/vulnerable, correct/incorrect,
    pass/fail; unknown spellings (:data:`~seccal.core.labels.UNKNOWN_TOKENS`) become NaN.

    Examples
    --------
    >>> label_array(pd.DataFrame({"secure": ["1", "", "0", "<NA>"]}), "secure").tolist()
    [1.0, nan, 0.0, nan]
    """
    require_columns(df, [column], "labels")
    fast = _numeric_labels(df[column])
    if fast is not None:
        return fast
    w = _where(df, where)
    out = np.empty(len(df), dtype=np.float64)
    for i, raw in enumerate(df[column].tolist()):
        key = _norm(raw)
        if key in TRUE_TOKENS:
            out[i] = 1.0
        elif key in FALSE_TOKENS:
            out[i] = 0.0
        elif key in UNKNOWN_TOKENS:
            out[i] = np.nan
        else:
            raise InputError(
                f"{w.prefix()}column {column!r}: {w.row(i)}: label {raw!r} is not binary "
                "(use 0/1, true/false or secure/vulnerable; leave empty for unknown)"
            )
    return out


def _numeric(col: pd.Series) -> FloatArray | None:
    """A numeric or boolean column as float64 with NaN for missing; None for text."""
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
        return np.asarray(
            col.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64
        )
    return None


def _numeric_labels(col: pd.Series) -> FloatArray | None:
    # Fast path for frames built in memory (the store's table, Parquet): one vectorized
    # check instead of a Python loop per cell; anything else takes the careful path.
    arr = _numeric(col)
    if arr is None or not np.all((arr == 0.0) | (arr == 1.0) | np.isnan(arr)):
        return None
    return arr


def flag_array(df: pd.DataFrame, column: str) -> FloatArray:
    """A yes/no column (``parses``, ``has_code``) as 1.0 / 0.0 / NaN, like a label."""
    return label_array(df, column)


def confidence_array(df: pd.DataFrame, column: str, *, where: Where | None = None) -> FloatArray:
    """Confidences of ``column`` in [0, 1]; empty values become NaN (unknown).

    Examples
    --------
    >>> confidence_array(pd.DataFrame({"c": ["0.5", "", None]}), "c").tolist()
    [0.5, nan, nan]
    """
    require_columns(df, [column], "confidence")
    w = _where(df, where)
    raw = df[column]
    fast = _numeric(raw)
    if fast is not None:
        missing = np.isnan(fast)
        num = fast
    else:
        missing = raw.map(is_unknown).to_numpy(dtype=bool)
        num = pd.to_numeric(raw.where(~missing, None), errors="coerce").to_numpy(dtype=np.float64)
    bad = (np.isnan(num) & ~missing) | (num < 0) | (num > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{w.prefix()}column {column!r}: {w.row(i)}: confidence {raw.iloc[i]!r} "
            "is not a probability in [0, 1]"
        )
    return num


# --- the rows a metric uses ---------------------------------------------------------


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
    df: pd.DataFrame,
    confidence: str,
    label: str,
    *,
    group: str = GROUP_COLUMN,
    where: Where | None = None,
) -> Sample:
    """Rows of ``df`` with a known label and a known confidence, with their task."""
    conf = confidence_array(df, confidence, where=where)
    y = label_array(df, label, where=where)
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
class Results:
    """Rows of a table file usable for metrics, plus how many were excluded and why."""

    frame: pd.DataFrame  # the usable rows, original columns kept
    source: pd.DataFrame  # every row of the table, for grouping that must see empty groups
    usable: BoolArray  # per row of ``source``: kept in ``frame``
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
    """Read a results table file and extract the usable rows.

    Parameters
    ----------
    path : path
        CSV, TSV, JSONL or Parquet file.
    confidence_col, label_col, group_col : str, optional
        Column names; by default the first present of :data:`CONFIDENCE_COLUMNS`,
        :data:`LABEL_COLUMNS` and :data:`GROUP_COLUMNS` (no group column: rows are
        independent).
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
    labels = label_array(frame, label_name, where=where)
    conf = confidence_array(frame, conf_name, where=where)
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
