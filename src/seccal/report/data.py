"""What a report is built from: the results table, the study config and any repairs.

A report of a bundle or an export table is built from a :class:`ReportInput`, analysed
with :func:`seccal.analysis.analyze_frame` (the analyze stage's own function) and
rendered; a run folder's report renders the run's ``metrics.json``. The inputs:

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

from seccal.core.results import read_table
from seccal.core.schema import STORE_FILENAME
from seccal.errors import InputError
from seccal.study.analyze import read_repairs, run_frame
from seccal.study.store import RunStore

BUNDLE_FILE = "bundle.json"


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
    d = Path(run_dir)
    store_path = d / STORE_FILENAME
    if not store_path.is_file():
        raise InputError(f"{d}: no {STORE_FILENAME}; is this a seccal run folder?")
    with RunStore(store_path) as store:
        config = stored_config(store)
        df = run_frame(store, config)
    if df.empty:
        raise InputError(f"{d}: the run holds no generations yet; run `seccal run` first")
    return ReportInput(
        frame=df, config=config, source=f"run folder {d}", repairs=read_repairs(store_path)
    )


def stored_config(store: RunStore) -> dict[str, Any]:
    """The study config a run store recorded (empty when none)."""
    return dict(store.get_meta("config", {}) or {})


def from_export(path: str | Path, *, config: dict[str, Any] | None = None) -> ReportInput:
    """Read an export file (CSV, TSV, JSONL or Parquet)."""
    return ReportInput(
        frame=read_table(path), config=dict(config or {}), source=f"export file {path}"
    )
