"""The analyze stage: the run store's results table in, ``metrics.json`` out.

Every number a run reports is computed here, once, by
:func:`seccal.analysis.analyze_frame` (docs/metrics-schema.md); the summary, the HTML
report and ``seccal tables`` render the file. The document records a fingerprint of the
store it was computed from, so ``seccal report RUN`` reuses it while the store is
unchanged and runs this stage again when it is not (a repair added since, say).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from seccal.analysis import (
    METRICS_FILENAME,
    SCHEMA_VERSION,
    analyze_frame,
    read_metrics,
    write_metrics,
)
from seccal.analysis.frame import TARGET_LABEL
from seccal.analysis.settings import Settings, settings_from_config
from seccal.core.labels import check_label_source
from seccal.core.schema import STORE_FILENAME
from seccal.errors import InputError
from seccal.mitigate.repair_run import RepairStore
from seccal.study.store import RunStore
from seccal.study.table import results_table

# (table, column whose maximum changes when rows change in place)
_WATCHED = (
    ("generations", "created"),
    ("confidences", "created"),
    ("verdicts", "created"),
    ("repairs", "COALESCE(conf_after, -1) + created"),
)


def store_fingerprint(store_path: Path, settings: Settings) -> str:
    """A digest of what the analysis of a store depends on: rows, config, settings."""
    db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        state: list[Any] = [SCHEMA_VERSION, settings.to_dict()]
        for table, column in _WATCHED:
            if table in have:
                state.append(
                    list(db.execute(f"SELECT COUNT(*), TOTAL({column}) FROM {table}").fetchone())
                )
        if "meta" in have:
            state.append(
                db.execute(
                    "SELECT group_concat(value, '|') FROM meta WHERE key IN "
                    "('config', 'config_digest')"
                ).fetchone()[0]
            )
    finally:
        db.close()
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def read_repairs(store_path: Path) -> pd.DataFrame | None:
    """The store's ``repairs`` table, or None when no repair was run."""
    with RepairStore(store_path) as rs:
        frame = rs.final_frame()
    return frame if not frame.empty else None


def run_frame(store: RunStore, config: dict[str, Any]) -> pd.DataFrame:
    """The results table of a store under its study's label source and first variant."""
    variants = (config.get("elicit") or {}).get("variants") or ["zero_shot"]
    return results_table(
        store,
        label_source=check_label_source(str(config.get("label_source", "dynamic"))),
        first_variant=str(variants[0]),
    )


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """A condition row in the store's ``metrics_json`` layout: the summary's keys on top."""
    rate = row["label_rate"] or {}
    return {
        **(row["summary"] or {"n": 0}),
        "n_total": row["n_total"],
        "n_unknown_conf": row["n_missing_confidence"],
        "n_unknown_label": row["n_unknown_label"],
        "mean_confidence": row["mean_confidence"],
        "accuracy": rate.get("estimate"),
    }


def store_metric_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the store's ``metrics`` table: the baseline generation variant's conditions.

    The table is keyed without the generation variant; ``metrics.json`` is the full record.
    """
    source = doc["study"]["label_source"]
    return [
        {
            **{k: r["condition"][k] for k in ("model", "temperature", "suite")},
            "target": r["target"],
            "confidence": r["confidence"],
            "label_source": source if r["target"] == "security" else "functional_tests",
            "metrics": _flat(r),
        }
        for r in doc["conditions"]
        if r["condition"]["gen_variant"] == doc["baseline_gen_variant"]
        and r["label"] == TARGET_LABEL[r["target"]]
    ]


def analyze_run(
    run_dir: Path, config: dict[str, Any], *, settings: Settings | None = None
) -> dict[str, Any]:
    """Analyze a run folder's store; write ``metrics.json`` and the store's metrics table."""
    store_path = run_dir / STORE_FILENAME
    st = settings or settings_from_config(config)
    with RunStore(store_path) as store:
        frame = run_frame(store, config)
        repairs = read_repairs(store_path)
        doc = analyze_frame(
            frame,
            config,
            repairs=repairs,
            settings=st,
            source={
                "description": f"run folder {run_dir}",
                "path": str(run_dir),
                "store_fingerprint": store_fingerprint(store_path, st),
            },
        )
        store.replace_metrics(store_metric_rows(doc))
    write_metrics(run_dir / METRICS_FILENAME, doc)
    return doc


def run_metrics(run_dir: Path, *, n_boot: int | None = None) -> dict[str, Any]:
    """The current ``metrics.json`` of a run folder, analysing again only when stale.

    The file is reused while its store fingerprint matches the store (same rows, config
    and settings); otherwise the analyze stage runs again and rewrites it. With
    ``n_boot`` other than the study's, the document is computed for the caller and the
    run's own file is left as it is.
    """
    store_path = run_dir / STORE_FILENAME
    with RunStore(store_path) as store:
        config = dict(store.get_meta("config", {}) or {})
    st = settings_from_config(config, n_boot=n_boot)
    path = run_dir / METRICS_FILENAME
    if path.is_file():
        try:
            doc = read_metrics(path)
        except InputError:
            doc = None  # another schema version, or a half-written file: analyse again
        fresh = doc is not None and doc["source"].get("store_fingerprint") == store_fingerprint(
            store_path, st
        )
        if fresh and doc is not None:
            return doc
    if n_boot is None or st == settings_from_config(config):
        return analyze_run(run_dir, config, settings=st)
    with RunStore(store_path) as store:
        frame = run_frame(store, config)
    return analyze_frame(
        frame,
        config,
        repairs=read_repairs(store_path),
        settings=st,
        source={"description": f"run folder {run_dir}", "path": str(run_dir)},
    )
