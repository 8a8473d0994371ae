"""``summarize``: the one metric set every seccal report, export and CLI prints.

The keys of the returned dict are a public contract read by the study runner, the HTML
report and ``seccal metrics --json``; add keys only with care, never rename them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from seccal.calibration._arrays import as_clusters, as_pair
from seccal.calibration._suite import Prepared, evaluate
from seccal.calibration._weights import UnitWeights
from seccal.calibration.bootstrap import DEFAULT_N_BOOT, cluster_bootstrap, paired_bootstrap
from seccal.calibration.metrics import DEFAULT_TAU
from seccal.calibration.recalibrate import METHODS, cross_fit
from seccal.errors import InputError

# The metric keys of a summary, in display order (``n`` and ``ci`` come on top of these).
SUMMARY_METRICS: tuple[str, ...] = (
    "ece",
    "mce",
    "smece",
    "brier",
    "brier_reliability",
    "brier_resolution",
    "brier_uncertainty",
    "auroc",
    "overconfidence_gap",
    "false_trust_rate",
)
# Metrics undefined unless both secure and vulnerable rows are present.
NEEDS_BOTH_CLASSES = ("auroc",)
NEEDS_VULNERABLE = ("false_trust_rate",)


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def summarize(
    conf: Any,
    labels: Any,
    *,
    groups: Any = None,
    n_bins: int = 10,
    strategy: str = "uniform",
    tau: float = DEFAULT_TAU,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = 0.95,
    ci_metrics: tuple[str, ...] = SUMMARY_METRICS,
) -> dict[str, Any]:
    """Summarize calibration of ``conf`` against ``labels``.

    Parameters
    ----------
    conf, labels : array-like of shape (N,)
        Confidences in [0, 1] and 0/1 labels (rows with unknown labels already removed).
    groups : array-like, optional
        Task of each row; the bootstrap resamples tasks. None resamples rows.
    n_bins, strategy, tau : int, str, float
        Binning for ECE/MCE and the False Trust threshold.
    n_boot, seed, level : int, int, float
        Bootstrap resamples (0 skips intervals), RNG seed and interval level.
    ci_metrics : tuple of str
        The metrics that get an interval (default: all); the others get their point
        estimate only. smECE's interval costs about four times all the others together,
        so an analysis of many conditions may leave it out.

    Returns
    -------
    dict
        ``{"n", "ece", "mce", "smece", "brier", "brier_reliability", "brier_resolution",
        "brier_uncertainty", "auroc", "overconfidence_gap", "false_trust_rate",
        "ci": {metric: [lo, hi]}}``; a metric undefined on the data (AUROC with one
        class, False Trust without vulnerable rows) is None.

    Examples
    --------
    >>> s = summarize([0.25, 0.25, 0.55, 0.75, 0.75], [0, 0, 1, 1, 1], n_bins=2, n_boot=0)
    >>> s["n"], round(s["ece"], 2), s["ci"]
    (5, 0.29, {})
    """
    c, y = as_pair(conf, labels)
    as_clusters(groups, c.size)  # validate lengths even when no bootstrap is run
    out: dict[str, Any] = {"n": int(c.size)}
    unknown = [m for m in ci_metrics if m not in SUMMARY_METRICS]
    if unknown:
        raise InputError(f"ci_metrics: unknown {unknown}; choose from {', '.join(SUMMARY_METRICS)}")
    with_ci = tuple(m for m in SUMMARY_METRICS if m in ci_metrics)
    if n_boot > 0 and with_ci:
        intervals = cluster_bootstrap(
            c,
            y,
            groups=groups,
            metrics=with_ci,
            n_boot=n_boot,
            seed=seed,
            level=level,
            n_bins=n_bins,
            strategy=strategy,
            tau=tau,
        )
        rest = tuple(m for m in SUMMARY_METRICS if m not in with_ci)
        point = _points(c, y, rest, n_bins=n_bins, strategy=strategy, tau=tau)
        point.update({m: _num(intervals[m].estimate) for m in with_ci})
        out.update({m: point[m] for m in SUMMARY_METRICS})
        out["ci"] = {
            m: [_num(iv.lo), _num(iv.hi)]
            for m, iv in intervals.items()
            if not math.isnan(iv.estimate)
        }
    else:
        out.update(_points(c, y, SUMMARY_METRICS, n_bins=n_bins, strategy=strategy, tau=tau))
        out["ci"] = {}
    return out


def _points(
    c: Any, y: Any, names: tuple[str, ...], *, n_bins: int, strategy: str, tau: float
) -> dict[str, float | None]:
    if not names:
        return {}
    p = Prepared.build(c, y, n_bins=n_bins, strategy=strategy, tau=tau)
    point = evaluate(p, UnitWeights(), names)
    return {m: _num(float(point[m][0])) for m in names}


def undefined_reasons(summary: dict[str, Any], labels: Any) -> dict[str, str]:
    """Why each None metric of ``summary`` is undefined (for messages next to the table)."""
    _, y = as_pair([0.5] * len(labels), labels) if len(labels) else (None, None)
    reasons: dict[str, str] = {}
    if y is None:
        return reasons
    n_secure = int(y.sum())
    for m in NEEDS_BOTH_CLASSES:
        if summary.get(m) is None:
            which = "secure" if n_secure == y.size else "vulnerable"
            reasons[m] = f"needs both classes; all {y.size} rows are {which}"
    for m in NEEDS_VULNERABLE:
        if summary.get(m) is None:
            reasons[m] = "needs vulnerable rows; there are none"
    return reasons


def recalibration_report(
    conf: Any,
    labels: Any,
    *,
    groups: Any = None,
    methods: tuple[str, ...] = METHODS,
    n_folds: int = 5,
    seed: int = 0,
    n_bins: int = 10,
    strategy: str = "uniform",
    tau: float = DEFAULT_TAU,
    n_boot: int = DEFAULT_N_BOOT,
    ci_metrics: tuple[str, ...] = SUMMARY_METRICS,
) -> dict[str, Any]:
    """Cross-validated before/after summaries of each recalibration method.

    Each method is fitted with K-fold cross-fitting grouped by task and judged on its
    out-of-fold predictions only. ``ece_change`` is the paired task-bootstrap difference
    ECE(after) - ECE(before) with its CI and p-value (negative: recalibration helped).

    Returns
    -------
    dict
        ``{"before": summary, "after": {method: summary}, "ece_change": {method:
        {"diff", "ci", "p_value"}}, "folds": n_folds}``
    """
    c, y = as_pair(conf, labels)
    task = np.arange(c.size) if groups is None else np.asarray(groups).reshape(-1)
    opts: dict[str, Any] = {"n_bins": n_bins, "strategy": strategy, "tau": tau}
    summary_opts: dict[str, Any] = {**opts, "ci_metrics": ci_metrics}
    out: dict[str, Any] = {
        "before": summarize(c, y, groups=groups, n_boot=n_boot, seed=seed, **summary_opts),
        "after": {},
        "ece_change": {},
        "folds": n_folds,
    }
    for method in methods:
        oof = cross_fit(
            c,
            y,
            method=method,
            groups=groups,
            n_folds=n_folds,
            seed=seed,
            n_bins=n_bins,
            strategy=strategy,
        )
        out["after"][method] = summarize(
            oof, y, groups=groups, n_boot=n_boot, seed=seed, **summary_opts
        )
        if n_boot > 0:
            change = compare(
                (oof, y, task), (c, y, task), metrics=("ece",), n_boot=n_boot, seed=seed, **opts
            )["ece"]
            out["ece_change"][method] = {k: change[k] for k in ("diff", "ci", "p_value")}
    return out


COMPARED_METRICS: tuple[str, ...] = (
    "ece",
    "brier",
    "auroc",
    "overconfidence_gap",
    "false_trust_rate",
)


def compare(
    a: tuple[Any, Any, Any],
    b: tuple[Any, Any, Any],
    *,
    metrics: tuple[str, ...] = COMPARED_METRICS,
    n_bins: int = 10,
    strategy: str = "uniform",
    tau: float = DEFAULT_TAU,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
) -> dict[str, dict[str, Any]]:
    """JSON-ready paired comparison of condition ``a`` minus ``b`` on the same tasks.

    Each condition is ``(conf, labels, task)``; see
    :func:`seccal.calibration.bootstrap.paired_bootstrap`.

    Returns
    -------
    dict
        ``{metric: {"a", "b", "diff", "ci": [lo, hi], "p_value"}}`` (None where undefined).
    """
    result = paired_bootstrap(
        a, b, metrics=metrics, n_bins=n_bins, strategy=strategy, tau=tau, n_boot=n_boot, seed=seed
    )
    return {
        m: {
            "a": _num(c.a),
            "b": _num(c.b),
            "diff": _num(c.diff),
            "ci": [_num(c.lo), _num(c.hi)],
            "p_value": _num(c.p_value),
        }
        for m, c in result.items()
    }
