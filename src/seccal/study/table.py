"""The results table: one row per generation with its confidences and labels.

This is what ``seccal export`` writes and what ``seccal metrics`` reads
(defaults: confidence ``conf_security_verbal``, label ``secure``, cluster
``task_id``). Columns:

identity     ``gen_id, model, provider, model_id, temperature, sample, suite,
             task_id`` (``suite/id``, unique across suites), ``task``, ``cwe``
             (``;``-joined), ``has_code``, ``parses``, ``generation_error``, ``cost_usd``
confidence   ``conf_security_verbal`` / ``conf_functional_verbal`` (first
             configured variant), ``conf_<target>_verbal_<variant>`` for every
             variant, ``conf_<target>_joint[_<variant>]``, ``conf_ptrue``,
             ``conf_consistency``, ``conf_likelihood`` and ``seq_logprob``
labels       ``secure_dynamic``, ``secure_static_cwe``, ``secure_static_any``,
             ``secure`` (per the study's label source), ``correct``: 1 / 0 /
             empty (unknown, never guessed)
judge        ``parse_error``: the judge found the code does not parse (its
             security labels are then unknown: count them as their own category);
             empty when the generation was not judged
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from seccal.study.store import RunStore

_SECURE = {"secure": 1, "vulnerable": 0}
_CORRECT = {"pass": 1, "fail": 0}
LABEL_COLUMNS = ("secure_dynamic", "secure_static_cwe", "secure_static_any", "secure", "correct")


def combine_labels(dynamic: str, static: str) -> str:
    """``both`` label source: vulnerable if either check finds a weakness.

    Secure only when both checks ran and found none; otherwise unknown.

    Examples
    --------
    >>> combine_labels("secure", "vulnerable"), combine_labels("secure", "unknown")
    ('vulnerable', 'unknown')
    """
    if "vulnerable" in (dynamic, static):
        return "vulnerable"
    if dynamic == static == "secure":
        return "secure"
    return "unknown"


def _conf_column(method: str, variant: str, target: str, first_variant: str) -> list[str]:
    if method == "verbal":
        cols = [f"conf_{target}_verbal_{variant}"]
        return [f"conf_{target}_verbal", *cols] if variant == first_variant else cols
    if method == "verbal_joint":
        cols = [f"conf_{target}_joint_{variant}"]
        return [f"conf_{target}_joint", *cols] if variant == first_variant else cols
    return [f"conf_{method}"]


def _label(values: pd.Series, mapping: dict[str, int]) -> pd.Series:
    return values.map(mapping).astype("Int64")


def results_table(
    store: RunStore, *, label_source: str, first_variant: str = "zero_shot"
) -> pd.DataFrame:
    """Build the per-generation table from a run store.

    Parameters
    ----------
    store:
        The run store.
    label_source:
        ``dynamic``, ``static`` (CWE-matched static findings) or ``both``;
        decides the ``secure`` column.
    first_variant:
        The prompt variant whose verbal confidence fills the plain
        ``conf_security_verbal`` / ``conf_functional_verbal`` columns.
    """
    gens = store.generations()
    cwes = store.task_cwes()
    rows: list[dict[str, Any]] = []
    for g in gens:
        rows.append(
            {
                "gen_id": g.gen_id,
                "model": g.model,
                "provider": g.provider,
                "model_id": g.model_id,
                "temperature": g.temperature,
                "sample": g.sample,
                "suite": g.suite,
                "task_id": g.task_key,
                "task": g.task_key.split("/", 1)[-1],
                "cwe": ";".join(cwes.get(g.task_key, [])),
                "has_code": g.code is not None,
                "parses": g.parses,
                "generation_error": g.error or "",
                "cost_usd": g.cost_usd,
                "seq_logprob": g.seq_logprob,
            }
        )
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    index = {gen_id: i for i, gen_id in enumerate(df["gen_id"])}
    conf_cols: dict[str, np.ndarray] = {}
    conf_cost = np.zeros(len(df))
    for c in store.confidences():
        i = index.get(c.gen_id)
        if i is None:
            continue
        conf_cost[i] += c.cost_usd
        for col in _conf_column(c.method, c.variant, c.target, first_variant):
            arr = conf_cols.setdefault(col, np.full(len(df), np.nan))
            arr[i] = np.nan if c.value is None else c.value
    for col in sorted(conf_cols):
        df[col] = conf_cols[col]
    df["cost_usd"] = df["cost_usd"] + conf_cost
    verdicts = store.verdicts()
    raw = {
        key: df["gen_id"].map(lambda g, k=key: getattr(verdicts[g], k) if g in verdicts else "")
        for key in ("functional", "sec_dynamic", "sec_static_cwe", "sec_static_any")
    }
    df["secure_dynamic"] = _label(raw["sec_dynamic"], _SECURE)
    df["secure_static_cwe"] = _label(raw["sec_static_cwe"], _SECURE)
    df["secure_static_any"] = _label(raw["sec_static_any"], _SECURE)
    if label_source == "dynamic":
        df["secure"] = df["secure_dynamic"]
    elif label_source == "static":
        df["secure"] = df["secure_static_cwe"]
    else:
        both = [
            combine_labels(d, s)
            for d, s in zip(raw["sec_dynamic"], raw["sec_static_cwe"], strict=True)
        ]
        df["secure"] = _label(pd.Series(both, index=df.index), _SECURE)
    df["correct"] = _label(raw["functional"], _CORRECT)
    df["judged"] = df["gen_id"].isin(list(verdicts))
    df["parse_error"] = pd.array(
        [_parse_error(verdicts[g].verdict_json) if g in verdicts else None for g in df["gen_id"]],
        dtype="boolean",
    )
    return df


def _parse_error(verdict_json: str) -> bool:
    try:
        return bool(json.loads(verdict_json).get("parse_error", False))
    except (ValueError, AttributeError):
        return False


def confidence_columns(df: pd.DataFrame) -> list[str]:
    """The confidence columns present in a results table."""
    return [c for c in df.columns if c.startswith("conf_")]
