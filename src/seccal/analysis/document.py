"""Build ``metrics.json``: every number a run reports, from one results frame.

:func:`analyze_frame` is the one analysis path. The study's analyze stage runs it on
the run store's results table; ``seccal report`` runs it on a bundle or an export
table before rendering; the summary, the HTML report and ``seccal tables`` only read
its output. The structure is documented in docs/metrics-schema.md and checked by
:func:`seccal.analysis.schema.validate`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seccal.analysis import breakdowns as B
from seccal.analysis import mitigations as M
from seccal.analysis import outcomes as O
from seccal.analysis import pooled as P
from seccal.analysis.conditions import measure
from seccal.analysis.context import Context
from seccal.analysis.extensions import ANALYSES
from seccal.analysis.findings import findings
from seccal.analysis.frame import (
    CONDITION_AXES,
    GEN_VARIANT_COLUMN,
    TARGET_LABEL,
    prepare,
    primary_columns,
    suite_levels,
    target_columns,
)
from seccal.analysis.schema import METRICS_FILENAME, SCHEMA_VERSION, validate
from seccal.analysis.settings import Settings, settings_from_config
from seccal.analysis.temperature import temperature_trends
from seccal.core.labels import LABEL_SOURCE_TEXT
from seccal.errors import InputError
from seccal.gate.summary import gate_section
from seccal.judge.static_quality import metrics_section

FUNCTIONAL_DEFINITION = "correct = 1 when the snippet passes its functional tests"


def _gate(df: pd.DataFrame, st: Settings) -> Any:
    """The risk-controlled gate per model and suite (:func:`seccal.gate.summary.gate_section`)."""
    return gate_section(df, label="secure", group="task_id", seed=st.seed)


#: Extensions every analysis runs (``extensions[name]``); others register theirs.
BUILTIN_EXTENSIONS = {"gate": _gate}


def _version() -> str:
    try:
        return metadata.version("seccal")
    except metadata.PackageNotFoundError:
        return "dev"


def conditions(ctx: Context) -> list[dict[str, Any]]:
    """Every condition × target × confidence column: counts, summary with CIs, bins."""
    columns = {t: target_columns(ctx.frame, t) for t in ctx.primary}
    rows = []
    for key, df in ctx.conditions():
        for target in ctx.primary:
            label = TARGET_LABEL[target]
            for col in columns[target]:
                m = measure(df, col, label, ctx.settings, with_reliability=True)
                rows.append(
                    {"condition": key, "target": target, "confidence": col, "label": label, **m}
                )
    return rows


def _per_condition(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"recalibration": [], "gating": [], "paired": []}
    if "security" not in ctx.primary:
        return out
    gates = M.study_gates(ctx)
    scopes = [*ctx.conditions(), *ctx.pooled(("model", "suite"))]
    for key, df in scopes:
        out["recalibration"] += M.recalibration(ctx, key, df)
        out["gating"].append(M.gating(ctx, key, df, gates))
        pair = M.paired(ctx, key, df)
        if pair is not None:
            out["paired"].append(pair)
    return out


def _study(config: Mapping[str, Any]) -> dict[str, Any]:
    source = str(config.get("label_source", "dynamic"))
    return {
        "name": str(config.get("name", "")),
        "label_source": source,
        "label_definition": LABEL_SOURCE_TEXT.get(source, source),
        "functional_definition": FUNCTIONAL_DEFINITION,
        "config": dict(config),
    }


def _axes(df: pd.DataFrame, primary: Mapping[str, str]) -> dict[str, Any]:
    axes: dict[str, Any] = {
        axis: sorted({float(v) if axis == "temperature" else str(v) for v in df[axis]})
        for axis in CONDITION_AXES
    }
    axes["model"] = list(dict.fromkeys(df["model"].astype(str)))
    axes["suite"] = list(dict.fromkeys(df["suite"].astype(str)))
    axes["target"] = list(primary)
    return axes


def analyze_frame(
    frame: pd.DataFrame,
    config: Mapping[str, Any] | None = None,
    *,
    repairs: pd.DataFrame | None = None,
    settings: Settings | None = None,
    source: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every number of a run, as the ``metrics.json`` document.

    Parameters
    ----------
    frame : DataFrame
        The results table (:mod:`seccal.core.results`); a ``gen_variant`` column is one
        more condition axis (``zero_shot`` when absent).
    config : dict, optional
        The study config (``StudyConfig.to_dict()`` shape): label source, ``[analysis]``,
        ``[mitigations] gates``.
    repairs : DataFrame, optional
        The ``repairs`` table (``RepairStore.frame()`` layout).
    settings : Settings, optional
        Default: from ``config``'s ``[analysis]``.
    source : dict, optional
        Where the frame came from (kept under ``source``; a run folder records its
        store fingerprint there).
    """
    cfg = dict(config or {})
    where = str((source or {}).get("description", "results table"))
    if frame.empty:
        raise InputError(f"{where}: the results table has no rows")
    df = prepare(frame, source=where)
    st = settings or settings_from_config(cfg)
    ctx = Context(df, st, primary_columns(df), cfg)
    if "security" not in ctx.primary:
        ctx.notes.append(
            "no security confidence column (conf_security_verbal, conf_security_verbal_<variant> "
            "or conf_ptrue): nothing to calibrate yet"
        )
    levels = suite_levels(df)
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "seccal_version": _version(),
        "source": dict(source or {}),
        "study": _study(cfg),
        "settings": st.to_dict(),
        "axes": _axes(df, ctx.primary),
        "primary": dict(ctx.primary),
        "baseline_gen_variant": ctx.baseline_variant,
        "suite_levels": levels,
        "counts": O.counts(df),
        "conditions": conditions(ctx),
        "outcomes": O.outcomes(ctx),
        "temperature_trend": temperature_trends(ctx),
        **_per_condition(ctx),
        "prompting": P.prompting(ctx),
        "models": P.models(ctx),
        "methods": P.methods(ctx),
        "levels": P.levels(ctx, levels),
        "breakdowns": B.breakdowns(ctx),
        "repair": M.repair(ctx, repairs),
        "cost": O.cost(df, repairs),
        "sandbox": O.sandbox(df),
        "static_quality": metrics_section(df),
        "extensions": {name: fn(df, st) for name, fn in {**BUILTIN_EXTENSIONS, **ANALYSES}.items()},
        "notes": ctx.notes,
    }
    if df[GEN_VARIANT_COLUMN].nunique() > 1:
        doc["notes"].append(
            f"pooled analyses (per model, per model × suite, breakdowns, repair) use the "
            f"{ctx.baseline_variant} generation variant"
        )
    doc = jsonable(doc)
    doc["findings"] = findings(doc)
    return doc


def jsonable(x: Any) -> Any:
    """``x`` with NaN as None, tuples as lists and numpy scalars as Python numbers."""
    if isinstance(x, float):
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return [jsonable(v) for v in x.tolist()]
    if isinstance(x, np.generic):
        return jsonable(x.item())
    return x


def write_metrics(path: str | Path, doc: Mapping[str, Any]) -> Path:
    """Write ``doc`` atomically (a kill never leaves half a file); strict JSON."""
    p = Path(path)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n", "utf-8")
    tmp.replace(p)
    return p


def read_metrics(path: str | Path) -> dict[str, Any]:
    """Read and validate a ``metrics.json`` (a run folder names its file)."""
    p = Path(path)
    if p.is_dir():
        p = p / METRICS_FILENAME
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    return dict(validate(doc))
