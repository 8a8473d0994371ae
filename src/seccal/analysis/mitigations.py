"""Recalibration, gating, security vs functional and repair, per condition.

Each function returns JSON-ready rows for ``metrics.json``; the analyses themselves
live in :mod:`seccal.calibration` and :mod:`seccal.mitigate`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from seccal.analysis.context import Context
from seccal.calibration.recalibrate import METHODS, cross_fit
from seccal.calibration.report import recalibration_report
from seccal.core.results import known_rows
from seccal.errors import InputError
from seccal.mitigate.gating import Gate, evaluate_gates, parse_gates, standard_gates
from seccal.mitigate.paired import security_vs_functional
from seccal.mitigate.repair import summarize_repair


def _where(key: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in key.items()
        if v is not None
    )


def recalibration(ctx: Context, key: dict[str, Any], df: pd.DataFrame) -> list[dict[str, Any]]:
    """Out-of-fold recalibration of each target's primary confidence in ``df``."""
    rows = []
    st = ctx.settings
    for target, conf, label in ctx.targets():
        s = known_rows(df, conf, label)
        n_tasks = int(np.unique(s.groups).size)
        folds = min(st.folds, n_tasks)
        row: dict[str, Any] = {
            "condition": key,
            "target": target,
            "confidence": conf,
            "folds": folds,
            "before": None,
            "after": {},
            "ece_change": {},
            "not_fitted": {},
            "skipped": None,
        }
        if folds < 2 or np.unique(s.labels).size < 2:
            row["skipped"] = (
                f"needs ≥ 2 tasks and both label values; has {n_tasks} tasks and "
                f"{np.unique(s.labels).size} label value(s)"
            )
            rows.append(row)
            continue
        kwargs: dict[str, Any] = {
            "groups": s.groups,
            "n_folds": folds,
            "seed": st.seed,
            "n_bins": st.n_bins,
            "strategy": st.strategy,
            "tau": st.tau,
            "n_boot": st.n_boot,
            "ci_metrics": st.mitigation_ci_metrics,
        }
        # A method that cannot fit these data (temperature scaling when confidence ranks
        # the label's 0s above its 1s) is reported as such; the others still run.
        fits = []
        for method in METHODS:
            try:
                cross_fit(
                    s.conf,
                    s.labels,
                    method=method,
                    groups=s.groups,
                    n_folds=folds,
                    seed=st.seed,
                    n_bins=st.n_bins,
                    strategy=st.strategy,
                )
            except InputError as exc:
                row["not_fitted"][method] = str(exc)
            else:
                fits.append(method)
        full = (
            recalibration_report(s.conf, s.labels, methods=tuple(fits), **kwargs) if fits else None
        )
        if full is not None:
            row.update(before=full["before"], after=full["after"], ece_change=full["ece_change"])
        rows.append(row)
    return rows


def study_gates(ctx: Context) -> list[Gate]:
    """The study's gates (``[mitigations] gates``), else every standard gate the data allows."""
    mitigations = ctx.config.get("mitigations") or {}
    gates = mitigations.get("gates") if isinstance(mitigations, dict) else None
    if gates:
        return parse_gates(list(gates), tau=ctx.settings.tau, where="mitigations.gates")
    return standard_gates(ctx.frame, tau=ctx.settings.tau)


def gating(
    ctx: Context, key: dict[str, Any], df: pd.DataFrame, gates: list[Gate]
) -> dict[str, Any]:
    """Each gate's coverage, calibration and False Trust on what it accepts in ``df``."""
    conf = ctx.primary["security"]
    results = evaluate_gates(
        df,
        gates,
        confidence=conf,
        **ctx.settings.common(),
        ci_metrics=ctx.settings.mitigation_ci_metrics,
    )
    return {"condition": key, "confidence": conf, "gates": [asdict(r) for r in results]}


def paired(ctx: Context, key: dict[str, Any], df: pd.DataFrame) -> dict[str, Any] | None:
    """Security − functional on the same snippets, with CI and p-value."""
    if "functional" not in ctx.primary or "security" not in ctx.primary:
        return None
    res = security_vs_functional(
        df,
        security_confidence=ctx.primary["security"],
        functional_confidence=ctx.primary["functional"],
        **ctx.settings.common(),
    )
    if res is None:
        return None
    return {
        "condition": key,
        "security_confidence": ctx.primary["security"],
        "functional_confidence": ctx.primary["functional"],
        **asdict(res),
    }


def repair(ctx: Context, repairs: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Fixes, regressions and ΔECE per model × suite × repair variant (``repairs`` table)."""
    if repairs is None or repairs.empty or "gen_id" not in ctx.frame.columns:
        return []
    if "security" not in ctx.primary:
        return []
    conf = ctx.primary["security"]
    rows = []
    for key, part in ctx.pooled(("model", "suite")):
        mine = repairs[repairs["source_gen_id"].isin(set(part["gen_id"]))]
        for variant, rep in mine.groupby("variant", sort=True):
            summary = summarize_repair(
                part,
                rep.reset_index(drop=True),
                variant=str(variant),
                threshold=float(rep["threshold"].iloc[0]),
                confidence=conf,
                **ctx.settings.common(),
                ci_metrics=ctx.settings.mitigation_ci_metrics,
            )
            rows.append({"condition": key, "confidence": conf, **asdict(summary)})
    other = set(repairs["source_gen_id"]) - set(ctx.baseline()["gen_id"])
    if other:
        ctx.notes.append(
            f"repair: {len(other)} repaired snippets are not of the baseline generation "
            f"variant ({ctx.baseline_variant}) and are left out of the repair table"
        )
    return rows


def where(key: dict[str, Any]) -> str:
    """A condition key in words (``model=m, temperature=0.2``), for notes."""
    return _where(key)
