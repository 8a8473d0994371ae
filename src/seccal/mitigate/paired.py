"""Security vs functional calibration on the same snippets, paired.

Both confidences are elicited for every snippet, so the two calibrations can be compared
on exactly the same rows: one task-cluster bootstrap draw is shared by both, task
difficulty cancels out of the difference, and the CI is on ECE(security) − ECE(functional)
(via :func:`seccal.calibration.bootstrap.paired_bootstrap`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seccal.core.results import GROUP_COLUMN, confidence_array, label_array

PAIRED_METRICS: tuple[str, ...] = ("ece", "brier", "overconfidence_gap", "auroc")


@dataclass(frozen=True)
class PairedResult:
    """Security (A) vs functional (B) on ``n`` shared snippets of ``n_tasks`` tasks.

    ``comparisons`` maps a metric to ``{"security", "functional", "diff", "ci",
    "p_value"}``; ``diff`` is security − functional (positive ECE difference: security
    confidence is worse calibrated).
    """

    n: int
    n_tasks: int
    n_excluded: int
    comparisons: dict[str, dict[str, Any]]


def security_vs_functional(
    df: pd.DataFrame,
    *,
    security_confidence: str = "conf_security_verbal",
    functional_confidence: str = "conf_functional_verbal",
    metrics: tuple[str, ...] = PAIRED_METRICS,
    tau: float = 0.8,
    n_bins: int = 10,
    strategy: str = "uniform",
    n_boot: int = 1000,
    seed: int = 0,
) -> PairedResult | None:
    """Compare security and functional calibration on the snippets where both are known.

    Returns None when no snippet has both confidences and both labels (nothing to pair).
    Metrics undefined on the data (AUROC with one class) are left out.
    """
    from seccal.calibration.bootstrap import paired_bootstrap

    cs = confidence_array(df, security_confidence)
    cf = confidence_array(df, functional_confidence)
    ys = label_array(df, "secure")
    yf = label_array(df, "correct")
    keep = ~(np.isnan(cs) | np.isnan(cf) | np.isnan(ys) | np.isnan(yf))
    if not keep.any():
        return None
    groups = (
        df[GROUP_COLUMN].astype(str).to_numpy()
        if GROUP_COLUMN in df.columns
        else np.arange(len(df)).astype(str)
    )[keep]
    res = paired_bootstrap(
        (cs[keep], ys[keep], groups),
        (cf[keep], yf[keep], groups),
        metrics=metrics,
        n_boot=max(n_boot, 1),
        seed=seed,
        n_bins=n_bins,
        strategy=strategy,
        tau=tau,
    )
    out: dict[str, dict[str, Any]] = {}
    for m, r in res.items():
        if np.isnan(r.a) or np.isnan(r.b):
            continue
        boot = n_boot > 0 and r.n_valid > 0
        out[m] = {
            "security": r.a,
            "functional": r.b,
            "diff": r.diff,
            "ci": [r.lo, r.hi] if boot else None,
            "p_value": float(r.p_value) if boot else None,
        }
    return PairedResult(
        n=int(keep.sum()),
        n_tasks=int(np.unique(groups).size),
        n_excluded=int((~keep).sum()),
        comparisons=out,
    )
