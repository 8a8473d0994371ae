"""The mitigation part of a report model: recalibration, gating, prompting, pairing, repair."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from seccal.core.results import known_rows
from seccal.mitigate.gating import evaluate_gates, parse_gates, standard_gates
from seccal.mitigate.paired import security_vs_functional
from seccal.mitigate.prompting import compare_variants
from seccal.mitigate.repair import RepairSummary, summarize_repair
from seccal.report.data import ReportInput
from seccal.report.model import ModelMitigations, Options


def _recalibration(
    df: pd.DataFrame, conf: str, opt: Options, notes: list[str], model: str
) -> dict[str, Any] | None:
    from seccal.calibration.report import recalibration_report

    s = known_rows(df, conf, "secure")
    n_tasks = int(np.unique(s.groups).size)
    folds = min(opt.folds, n_tasks)
    if folds < 2 or len(np.unique(s.labels)) < 2:
        notes.append(
            f"{model}: recalibration skipped (needs ≥ 2 tasks and both secure and "
            f"vulnerable snippets; has {n_tasks} tasks)"
        )
        return None
    from seccal.calibration.recalibrate import METHODS
    from seccal.errors import InputError

    kwargs: dict[str, Any] = {
        "groups": s.groups,
        "n_folds": folds,
        "seed": opt.seed,
        "n_bins": opt.n_bins,
        "strategy": opt.strategy,
        "tau": opt.tau,
        "n_boot": opt.n_boot,
    }
    try:
        return dict(recalibration_report(s.conf, s.labels, methods=METHODS, **kwargs))
    except InputError:
        pass  # one method cannot fit: run them one by one to report which
    out: dict[str, Any] | None = None
    for method in METHODS:
        # A method that cannot fit these data (e.g. temperature scaling when confidence
        # ranks vulnerable code above secure) is reported as such; the others still run.
        try:
            part = recalibration_report(s.conf, s.labels, methods=(method,), **kwargs)
        except InputError as exc:
            notes.append(f"{model}: {method} recalibration not fitted: {exc}")
            continue
        if out is None:
            out = part
        else:
            out["after"].update(part["after"])
            out["ece_change"].update(part["ece_change"])
    return out


def _repairs(df: pd.DataFrame, inp: ReportInput, conf: str, opt: Options) -> list[RepairSummary]:
    if inp.repairs is None or inp.repairs.empty or "gen_id" not in df.columns:
        return []
    mine = inp.repairs[inp.repairs["source_gen_id"].isin(set(df["gen_id"]))]
    out = []
    for variant, part in mine.groupby("variant", sort=True):
        out.append(
            summarize_repair(
                df,
                part.reset_index(drop=True),
                variant=str(variant),
                threshold=float(part["threshold"].iloc[0]),
                confidence=conf,
                tau=opt.tau,
                n_bins=opt.n_bins,
                strategy=opt.strategy,
                n_boot=opt.n_boot,
                seed=opt.seed,
            )
        )
    return out


def model_mitigations(
    model: str,
    df: pd.DataFrame,
    inp: ReportInput,
    security: str,
    functional: str | None,
    opt: Options,
) -> ModelMitigations:
    """All mitigation analyses of one model's rows."""
    notes: list[str] = []
    common: dict[str, Any] = {
        "tau": opt.tau,
        "n_bins": opt.n_bins,
        "strategy": opt.strategy,
        "n_boot": opt.n_boot,
        "seed": opt.seed,
    }
    mitigation = inp.config.get("mitigations") or {}
    chosen = (
        parse_gates(list(mitigation["gates"]), tau=opt.tau, where="mitigations.gates")
        if "gates" in mitigation
        else standard_gates(df, tau=opt.tau)
    )
    gates = evaluate_gates(df, chosen, confidence=security, **common)
    paired = None
    if functional is not None and "correct" in df.columns:
        paired = security_vs_functional(
            df, security_confidence=security, functional_confidence=functional, **common
        )
    return ModelMitigations(
        model=model,
        recalibration=_recalibration(df, security, opt, notes, model),
        gates=gates,
        prompting=compare_variants(df, target="security", **common),
        paired=paired,
        repairs=_repairs(df, inp, security, opt),
        notes=notes,
    )
