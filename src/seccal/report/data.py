"""What a report is built from: the results table, the study config and any repairs.

A report can be built from three kinds of input, all reduced to one :class:`ReportInput`:

* a **run folder** (``store.sqlite`` written by ``seccal run``);
* a **replication bundle** (folder with ``bundle.json``, see :mod:`seccal.report.bundle`);
* an **export file** (``.csv``/``.tsv``/``.jsonl``/``.parquet`` from ``seccal export``),
  optionally with the study config as a JSON or TOML file.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from seccal.core.labels import check_label_source
from seccal.core.schema import STORE_FILENAME
from seccal.errors import InputError

BUNDLE_FILE = "bundle.json"
_REQUIRED = ("model", "temperature", "suite", "task_id", "secure")
_TEXT_COLUMNS = ("gen_id", "model", "provider", "model_id", "suite", "task_id", "task", "cwe")


@dataclass(frozen=True)
class ReportInput:
    """The data of one report.

    Attributes
    ----------
    frame : DataFrame
        The results table, one row per generation (columns of ``seccal export``).
    config : dict
        The study config (``StudyConfig.to_dict()`` shape; empty when unknown).
    source : str
        Where the data came from (printed in the report).
    repairs : DataFrame or None
        Repair outcomes (``RepairStore.frame()`` layout), when repair was run.
    """

    frame: pd.DataFrame
    config: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    repairs: pd.DataFrame | None = None


def normalize_frame(df: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check the required columns and give condition columns one dtype whatever the format.

    A CSV read as text, JSON lines and a frame built from the store then group and sort
    identically (temperature ``"0.4"`` and ``0.4`` are one condition).
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
    for col in _TEXT_COLUMNS:
        if col in out.columns:
            out[col] = out[col].astype(str)
    if "sample" in out.columns:
        out["sample"] = pd.to_numeric(out["sample"], errors="coerce").fillna(0).astype(int)
    return out.reset_index(drop=True)


def read_config_file(path: str | Path) -> dict[str, Any]:
    """A study config from JSON (``StudyConfig.to_dict``) or a study TOML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{p}: cannot read config: {exc.strerror}") from None
    if p.suffix.lower() == ".toml":
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{p}: not valid TOML: {exc}") from None
        # Same flattening as StudyConfig.to_dict: the [study] table's keys at the top.
        flat = {k: v for k, v in raw.items() if k != "study"}
        flat.update(raw.get("study", {}))
        return flat
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{p}: expected a JSON object holding the study config")
    return data


def from_run_dir(run_dir: str | Path) -> ReportInput:
    """Read a run folder's store: results table, config and repairs."""
    from seccal.study.store import RunStore
    from seccal.study.table import results_table

    d = Path(run_dir)
    store_path = d / STORE_FILENAME
    if not store_path.is_file():
        raise InputError(f"{d}: no {STORE_FILENAME}; is this a seccal run folder?")
    with RunStore(store_path) as store:
        config = store.get_meta("config", {}) or {}
        variants = (config.get("elicit") or {}).get("variants") or ["zero_shot"]
        df = results_table(
            store,
            label_source=check_label_source(str(config.get("label_source", "dynamic"))),
            first_variant=variants[0],
        )
    if df.empty:
        raise InputError(f"{d}: the run holds no generations yet; run `seccal run` first")
    return ReportInput(
        frame=normalize_frame(df, source=str(d)),
        config=config,
        source=f"run folder {d}",
        repairs=read_repairs(store_path),
    )


def read_repairs(store_path: Path) -> pd.DataFrame | None:
    """The repairs table of a store, or None when repair was never run."""
    import sqlite3

    db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        found = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'repairs'"
        ).fetchone()
    finally:
        db.close()
    if not found:
        return None
    from seccal.mitigate.repair_run import RepairStore

    with RepairStore(store_path) as rs:
        frame = rs.final_frame()
    return frame if not frame.empty else None


def from_export(path: str | Path, *, config: dict[str, Any] | None = None) -> ReportInput:
    """Read an export file (CSV, TSV, JSONL or Parquet)."""
    from seccal.core.results import read_table

    frame = read_table(path)
    return ReportInput(
        frame=normalize_frame(frame, source=str(path)),
        config=dict(config or {}),
        source=f"export file {path}",
    )


def load_input(path: str | Path, *, config_path: str | Path | None = None) -> ReportInput:
    """Load a run folder, a replication bundle or an export file (chosen by what exists)."""
    p = Path(path)
    config = read_config_file(config_path) if config_path is not None else None
    if p.is_dir():
        if (p / BUNDLE_FILE).is_file():
            from seccal.report.bundle import read_bundle

            inp = read_bundle(p)
        elif (p / STORE_FILENAME).is_file():
            inp = from_run_dir(p)
        else:
            raise InputError(
                f"{p}: neither a run folder ({STORE_FILENAME}) nor a replication bundle ({BUNDLE_FILE})"
            )
        if config is not None:
            inp = ReportInput(inp.frame, config, inp.source, inp.repairs)
        return inp
    if not p.exists():
        raise InputError(f"{p}: no such run folder, bundle or export file")
    return from_export(p, config=config)
