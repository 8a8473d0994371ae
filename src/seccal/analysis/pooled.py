"""Analyses pooled over temperatures: per model, per benchmark level, per prompt variant.

Pooled analyses use the baseline generation variant (:attr:`Context.baseline_variant`)
so that a model's headline numbers never mix code written under different prompts.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from seccal.analysis.conditions import grouped, measure
from seccal.analysis.context import Context
from seccal.analysis.frame import CONDITION_AXES, GEN_VARIANT_COLUMN, target_columns
from seccal.analysis.mitigations import paired
from seccal.calibration.metrics import risk_coverage, threshold_curves
from seccal.calibration.report import compare
from seccal.core.results import known_rows
from seccal.mitigate.prompting import compare_variants


def _none_if_nan(values: Any) -> list[float | None]:
    return [None if np.isnan(x) else float(x) for x in values]


def _risk(conf: str, df: pd.DataFrame) -> dict[str, Any] | None:
    s = known_rows(df, conf, "secure")
    if s.n == 0:
        return None
    rc = risk_coverage(s.conf, s.labels)
    tc = threshold_curves(s.conf, s.labels, taus=np.linspace(0, 1, 21))
    return {
        "coverage": _none_if_nan(rc.coverage),
        "risk": _none_if_nan(rc.risk),
        "tau": _none_if_nan(tc.tau),
        "false_trust": _none_if_nan(tc.false_trust_rate),
    }


def models(ctx: Context) -> list[dict[str, Any]]:
    """Per model over every temperature and suite: each target, the pairing, the risk curve."""
    rows: list[dict[str, Any]] = []
    if not ctx.primary:
        return rows
    for key, df in ctx.pooled(("model",)):
        row: dict[str, Any] = {"condition": key, "targets": {}}
        for target, conf, label in ctx.targets():
            row["targets"][target] = {"confidence": conf, **measure(df, conf, label, ctx.settings)}
        row["paired"] = paired(ctx, key, df)
        security = ctx.primary.get("security")
        row["risk"] = None if security is None else _risk(security, df)
        rows.append(row)
    return rows


def methods(ctx: Context) -> list[dict[str, Any]]:
    """Security calibration of every security confidence method, per model (pooled)."""
    columns = target_columns(ctx.frame, "security")
    return [
        {"condition": key, "confidence": col, **measure(df, col, "secure", ctx.settings)}
        for key, df in ctx.pooled(("model",))
        for col in columns
    ]


def levels(ctx: Context, suite_level: dict[str, str]) -> list[dict[str, Any]]:
    """Self-contained vs repository-level suites, per model: each level and the difference.

    ``difference`` is repository − self-contained (different tasks: an unpaired
    task-cluster bootstrap), present when a model has both levels.
    """
    rows = []
    st = ctx.settings
    for key, df in ctx.pooled(("model",)):
        level = df["suite"].map(suite_level)
        for target, conf, label in ctx.targets():
            row: dict[str, Any] = {
                "condition": key,
                "target": target,
                "confidence": conf,
                "levels": {},
                "difference": None,
            }
            samples = {}
            for name in sorted(set(level)):
                part = df.loc[level == name].reset_index(drop=True)
                samples[name] = known_rows(part, conf, label)
                row["levels"][name] = {
                    "suites": sorted(set(part["suite"])),
                    **measure(part, conf, label, st),
                }
            a, b = samples.get("repository"), samples.get("self_contained")
            if a is not None and b is not None and a.n and b.n and st.n_boot > 0:
                row["difference"] = compare(
                    (a.conf, a.labels, a.groups),
                    (b.conf, b.labels, b.groups),
                    n_bins=st.n_bins,
                    strategy=st.strategy,
                    tau=st.tau,
                    n_boot=st.n_boot,
                    seed=st.seed,
                )
            rows.append(row)
    return rows


def prompting(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """Generation variants per model × suite, and elicitation variants per model.

    ``generation``: each ``gen_variant`` against ``zero_shot`` (its own code, so the
    share secure differs too), pooled over temperatures. ``elicitation``: each
    confidence prompt variant on the same code (wide ``conf_<t>_verbal_<v>`` columns).
    """
    st = ctx.settings
    opts: dict[str, Any] = {**st.common(), "ci_metrics": st.mitigation_ci_metrics}
    generation = []
    if ctx.frame[GEN_VARIANT_COLUMN].nunique() > 1:
        for key, df in _by(ctx.frame, ("model", "suite")):
            for target, conf, _ in ctx.targets():
                res = compare_variants(
                    df, target=target, variant_column=GEN_VARIANT_COLUMN, confidence=conf, **opts
                )
                if res is not None:
                    generation.append({"condition": key, **asdict(res)})
    elicitation = []
    for key, df in ctx.pooled(("model",)):
        for target, _, _ in ctx.targets():
            res = compare_variants(df, target=target, variant_column="", **opts)
            if res is not None:
                elicitation.append({"condition": key, **asdict(res)})
    return {"generation": generation, "elicitation": elicitation}


def _by(df: pd.DataFrame, by: tuple[str, ...]) -> Any:
    for key, part in grouped(df, by):
        yield {axis: key.get(axis) for axis in CONDITION_AXES}, part
