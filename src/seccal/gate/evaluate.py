"""Evidence that the guarantee holds: repeated calibration / test splits grouped by task.

Each split draws the tasks into three parts (fit, calibration, test). The fused model is
fitted on the first, the threshold certified on the second, and the test tasks, unseen by
both, give the *realized risk* (share of accepted test snippets that are vulnerable) and the
coverage (share accepted). Over many splits, the share whose realized risk exceeds alpha
(the violation frequency) must stay at or below delta up to sampling error. The naive rules
are judged on the same test parts:

- ``confidence >= tau``: trust the model's own confidence (tau = 0.8, as in the paper);
- ``no analyzer finding``: accept code in which Bandit/Semgrep found nothing;
- ``fused p <= alpha``: the fused model's plug-in rule, without the certification.

The gate certifies with whole tasks as units (task-level risk, see :mod:`seccal.gate.risk`);
beside it, the same model certified as if rows were exchangeable shows what ignoring the
correlation of a task's snippets costs. Realized risk is reported pooled (vulnerable share of
all accepted test snippets) and task-level (mean over test tasks of their vulnerable share
of accepted snippets). A split whose test part accepts nothing has no realized risk; it
counts as no violation, with coverage 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import binomtest

from seccal.calibration._arrays import FloatArray, as_clusters
from seccal.core.results import Results
from seccal.errors import InputError
from seccal.gate.features import numeric_frame, raw_values
from seccal.gate.gatefile import certify, fit_on_split, groups_of, task_split
from seccal.gate.risk import feasibility_bound

BoolArray = npt.NDArray[np.bool_]
DEFAULT_SHARES = (0.4, 0.3, 0.3)
DEFAULT_TAU = 0.8
FINDINGS_TOTAL = "findings_total"
GATE_RULE = "risk-controlled gate"
ROW_GATE_RULE = "row-level gate (ignores task clustering)"


def realized(accept: BoolArray, labels: FloatArray) -> tuple[float | None, float]:
    """(risk among accepted or None, coverage) of one accept mask."""
    n = int(accept.sum())
    coverage = n / accept.size if accept.size else 0.0
    if n == 0:
        return None, coverage
    return float((labels[accept] == 0).mean()), coverage


def realized_task(accept: BoolArray, labels: FloatArray, groups: Any) -> float | None:
    """Task-level realized risk: mean over tasks with an accepted snippet of V / A."""
    cluster, k = as_clusters(groups, accept.size)
    a = np.bincount(cluster, weights=accept.astype(np.float64), minlength=k)
    v = np.bincount(cluster, weights=(accept & (labels == 0)).astype(np.float64), minlength=k)
    some = a > 0
    return float((v[some] / a[some]).mean()) if some.any() else None


def summarize_runs(
    risks: Sequence[float | None],
    coverages: Sequence[float],
    alpha: float,
    delta: float,
    task_risks: Sequence[float | None] | None = None,
    expected_risks: Sequence[float | None] | None = None,
) -> dict[str, Any]:
    """Distribution of realized risk, violation frequency (with a 95% CI) and coverage.

    ``risks`` are pooled (vulnerable share of all accepted test snippets); ``task_risks``,
    when given, are task-level (:func:`realized_task`), the risk a task-unit gate controls;
    ``expected_risks``, for synthetic data with a known P(vulnerable) per row, are the mean
    of that truth over the accepted rows, free of the test labels' sampling noise.
    """
    n = len(risks)
    defined = np.array([r for r in risks if r is not None], dtype=np.float64)
    violations = int(np.sum(defined > alpha))
    ci = binomtest(violations, n).proportion_ci(0.95) if n else None
    q = [5, 25, 50, 75, 95]
    return {
        "splits": n,
        "violations": violations,
        "violation_frequency": violations / n if n else None,
        "violation_ci": [float(ci.low), float(ci.high)] if ci is not None else None,
        "delta": delta,
        "slack": 2.0 * float(np.sqrt(delta * (1 - delta) / n)) if n else None,
        "within_delta": bool(
            n and violations / n <= delta + 2.0 * np.sqrt(delta * (1 - delta) / n)
        ),
        "risk_mean": float(defined.mean()) if defined.size else None,
        "risk_quantiles": (
            dict(zip([f"q{p}" for p in q], np.percentile(defined, q).tolist(), strict=True))
            if defined.size
            else None
        ),
        "coverage_mean": float(np.mean(coverages)) if n else None,
        "coverage_quantiles": (
            dict(zip([f"q{p}" for p in q], np.percentile(coverages, q).tolist(), strict=True))
            if n
            else None
        ),
        "accepted_nothing": int(sum(r is None for r in risks)),
        **(_task_part(task_risks, alpha, "task") if task_risks is not None else {}),
        **(_task_part(expected_risks, alpha, "expected") if expected_risks is not None else {}),
    }


def _task_part(values: Sequence[float | None], alpha: float, prefix: str) -> dict[str, Any]:
    defined = np.array([r for r in values if r is not None], dtype=np.float64)
    n = len(values)
    violations = int(np.sum(defined > alpha))
    return {
        f"{prefix}_risk_mean": float(defined.mean()) if defined.size else None,
        f"{prefix}_violations": violations,
        f"{prefix}_violation_frequency": violations / n if n else None,
    }


def _accept(p: FloatArray, threshold: float | None) -> BoolArray:
    return np.zeros(p.shape, dtype=bool) if threshold is None else np.asarray(p <= threshold)


Rule = Callable[[pd.DataFrame, FloatArray, FloatArray], BoolArray]


def naive_rules(
    frame: pd.DataFrame, confidence_column: str, *, tau: float = DEFAULT_TAU
) -> dict[str, Rule]:
    """The naive rules this table supports: ``(test frame, primary conf, fused p) -> accept``."""
    rules: dict[str, Rule] = {
        f"confidence >= {tau:g}": lambda f, conf, p: np.asarray(conf >= tau),
    }
    if FINDINGS_TOTAL in frame.columns:
        rules["no analyzer finding"] = lambda f, conf, p: np.asarray(
            pd.to_numeric(f[FINDINGS_TOTAL], errors="coerce").fillna(1).to_numpy() == 0
        )
    return rules


def evaluate_gate(
    res: Results,
    columns: Sequence[str],
    *,
    alpha: float,
    delta: float,
    n_splits: int = 100,
    shares: Sequence[float] = DEFAULT_SHARES,
    tau: float = DEFAULT_TAU,
    seed: int = 0,
    truth_column: str | None = None,
    source: str = "table",
) -> dict[str, Any]:
    """Repeat fit / certify / test over random task splits; compare with the naive rules.

    ``truth_column`` names a known P(vulnerable) per row (synthetic data only, e.g.
    ``p_vulnerable_true``): each rule's expected risk on the test rows is reported too.

    Returns
    -------
    dict
        ``{"rules": {name: summary}, "alpha", "delta", "splits", "shares", "columns",
        "base_rate", "feasibility_bound", "infeasible_splits"}``; a summary is
        :func:`summarize_runs`.
    """
    if n_splits < 1:
        raise InputError(f"--splits: {n_splits} is not a positive number of splits")
    if len(shares) != 3:
        raise InputError("shares: give three shares (fit, calibration, test)")
    groups = groups_of(res)
    data = numeric_frame(res.frame, columns, source)
    rules = naive_rules(res.frame, res.confidence_column, tau=tau)
    names = [GATE_RULE, ROW_GATE_RULE, *rules, f"fused p <= {alpha:g}"]
    runs: dict[str, tuple[list[float | None], list[float], list[float | None], list[float | None]]]
    runs = {n: ([], [], [], []) for n in names}
    truth = None
    if truth_column is not None:
        truth = raw_values(res.frame, truth_column, "confidence", source)
    thresholds: list[float | None] = []
    for s in range(n_splits):
        fit, cal, test = task_split(groups, shares, seed + s)
        model, rc = fit_on_split(
            data,
            res.labels,
            fit,
            cal,
            columns,
            alpha=alpha,
            delta=delta,
            groups=groups,
            source=source,
        )
        thresholds.append(rc.threshold)
        rc_row = certify(  # the same model, certified as if rows were exchangeable
            model,
            data.loc[cal].reset_index(drop=True),
            res.labels[cal],
            model.predict(data.loc[fit].reset_index(drop=True), source),
            res.labels[fit],
            alpha=alpha,
            delta=delta,
            source=source,
        )
        p = model.predict(data.loc[test].reset_index(drop=True), source)
        y = res.labels[test]
        accepts = {
            GATE_RULE: _accept(p, rc.threshold),
            ROW_GATE_RULE: _accept(p, rc_row.threshold),
            names[-1]: p <= alpha,
        }
        test_frame = res.frame.loc[test].reset_index(drop=True)
        for name, rule in rules.items():
            accepts[name] = rule(test_frame, res.conf[test], p)
        for name, acc in accepts.items():
            mask = np.asarray(acc, dtype=bool)
            risk, cov = realized(mask, y)
            runs[name][0].append(risk)
            runs[name][1].append(cov)
            runs[name][2].append(realized_task(mask, y, groups[test]))
            if truth is not None:
                t_acc = truth[test][mask]
                runs[name][3].append(float(t_acc.mean()) if t_acc.size else None)
    base = float((res.labels == 0).mean())
    from_gate = np.array([t for t in thresholds if t is not None], dtype=np.float64)
    return {
        "alpha": alpha,
        "delta": delta,
        "splits": n_splits,
        "shares": list(shares),
        "columns": list(columns),
        "rows": int(res.labels.size),
        "tasks": len(np.unique(groups)),
        "base_rate": base,
        "feasibility_bound": feasibility_bound(base, alpha),
        "infeasible_splits": int(sum(t is None for t in thresholds)),
        "threshold_median": float(np.median(from_gate)) if from_gate.size else None,
        "unit": "task",
        "rules": {
            n: summarize_runs(
                runs[n][0],
                runs[n][1],
                alpha,
                delta,
                runs[n][2],
                runs[n][3] if truth is not None else None,
            )
            for n in names
        },
        "truth_column": truth_column,
    }
