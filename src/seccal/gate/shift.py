"""Domain shift: a gate fitted on one kind of task, used on another.

The guarantee of :mod:`seccal.gate.risk` holds for new snippets drawn like the calibration
ones. A gate certified on self-contained tasks and used on repository-level ones (or back)
has no such promise: :func:`shift_report` measures, over repeated task splits,

``in_domain``
    fit and certify on the source domain, test on held-out source tasks (the baseline);
``shifted``
    the same gate on every target task: how far the realized risk drifts past alpha;
``recertified``
    keep the source-fitted model, but certify its threshold afresh on a small labelled
    sample of target tasks (``adapt_share`` of them: half orders the thresholds, half
    certifies), test on the other target tasks: what a little labelled data recovers;
``refitted``
    the same, with the model re-fitted on the source fitting tasks plus the ordering half of
    the target sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from seccal.core.results import Results
from seccal.errors import InputError
from seccal.gate.evaluate import realized, realized_task, summarize_runs
from seccal.gate.features import numeric_frame
from seccal.gate.fusion import FusedModel, fit_fused
from seccal.gate.gatefile import certify, fit_on_split, groups_of, task_split

REPOSITORY_SUITES = ("repo", "aicgseceval")
SETTINGS = ("in_domain", "shifted", "recertified", "refitted")
DEFAULT_ADAPT_SHARE = 0.2


def default_domains(frame: pd.DataFrame, column: str) -> tuple[list[str], list[str]]:
    """(self-contained, repository-level) values of ``column`` (repository suites by name)."""
    values = sorted(frame[column].astype(str).unique())
    target = [v for v in values if v in REPOSITORY_SUITES]
    source = [v for v in values if v not in REPOSITORY_SUITES]
    return source, target


Runs = dict[str, tuple[list[float | None], list[float], list[float | None]]]


def _tally(
    parts: Runs,
    model: FusedModel,
    data: pd.DataFrame,
    labels: np.ndarray,
    groups: np.ndarray,
    source: str,
    key: str,
    mask: np.ndarray,
    threshold: float | None,
) -> None:
    """Record realized risk, coverage and task-level risk of one gate on the ``mask`` rows."""
    p = model.predict(data.loc[mask].reset_index(drop=True), source)
    acc = np.zeros(p.shape, dtype=bool) if threshold is None else p <= threshold
    risk, cov = realized(acc, labels[mask])
    parts[key][0].append(risk)
    parts[key][1].append(cov)
    parts[key][2].append(realized_task(acc, labels[mask], groups[mask]))


def _direction(
    res: Results,
    data: pd.DataFrame,
    columns: Sequence[str],
    src: np.ndarray,
    tgt: np.ndarray,
    *,
    alpha: float,
    delta: float,
    n_splits: int,
    adapt_share: float,
    seed: int,
    source: str,
) -> dict[str, Any]:
    groups = groups_of(res)
    parts: Runs = {k: ([], [], []) for k in SETTINGS}
    errors: list[str] = []
    src_idx, tgt_idx = np.flatnonzero(src), np.flatnonzero(tgt)
    for s in range(n_splits):
        fit, cal, test = (np.zeros(len(groups), dtype=bool) for _ in range(3))
        for mask, part in zip(
            (fit, cal, test), task_split(groups[src_idx], (0.4, 0.3, 0.3), seed + s), strict=True
        ):
            mask[src_idx[part]] = True
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

        run = partial(_tally, parts, model, data, res.labels, groups, source)
        run("in_domain", test, rc.threshold)
        run("shifted", tgt, rc.threshold)
        # the labelled target sample: half orders the thresholds, half certifies them
        order_part, cert_part, rest = (np.zeros(len(groups), dtype=bool) for _ in range(3))
        half = adapt_share / 2
        parts_t = task_split(groups[tgt_idx], (half, half, 1 - adapt_share), seed + s)
        for mask, part in zip((order_part, cert_part, rest), parts_t, strict=True):
            mask[tgt_idx[part]] = True
        for key, m in (
            ("recertified", model),
            (
                "refitted",
                fit_fused(
                    data.loc[fit | order_part].reset_index(drop=True),
                    res.labels[fit | order_part],
                    columns,
                    source=source,
                ),
            ),
        ):
            try:
                rc2 = certify(
                    m,
                    data.loc[cert_part].reset_index(drop=True),
                    res.labels[cert_part],
                    m.predict(data.loc[order_part].reset_index(drop=True), source),
                    res.labels[order_part],
                    alpha=alpha,
                    delta=delta,
                    cal_groups=groups[cert_part],
                    reference_groups=groups[order_part],
                    source=source,
                )
                threshold: float | None = rc2.threshold
            except InputError as exc:  # too few labelled target rows: accept nothing, say why
                threshold = None
                if not errors:
                    errors.append(str(exc))
            _tally(parts, m, data, res.labels, groups, source, key, rest, threshold)
    out: dict[str, Any] = {
        k: summarize_runs(v[0], v[1], alpha, delta, v[2]) for k, v in parts.items()
    }
    out["rows"] = {"source": int(src.sum()), "target": int(tgt.sum())}
    if errors:
        out["note"] = errors[0]
    return out


def shift_report(
    res: Results,
    columns: Sequence[str],
    *,
    domain_column: str = "suite",
    source_values: Sequence[str] | None = None,
    target_values: Sequence[str] | None = None,
    alpha: float,
    delta: float,
    n_splits: int = 50,
    adapt_share: float = DEFAULT_ADAPT_SHARE,
    seed: int = 0,
    source: str = "table",
) -> dict[str, Any]:
    """Gate fitted on one domain, evaluated on the other, both ways; see the module doc.

    Returns
    -------
    dict
        ``{"domain_column", "a", "b", "a_to_b": {...}, "b_to_a": {...}}``, each direction
        ``{"in_domain", "shifted", "recertified", "refitted"}`` summaries of
        :func:`seccal.gate.evaluate.summarize_runs`.
    """
    if domain_column not in res.frame.columns:
        raise InputError(f"{source}: no domain column {domain_column!r} for the shift analysis")
    if not 0.0 < adapt_share < 1.0:
        raise InputError(f"adapt share: {adapt_share} is not in (0, 1)")
    a, b = default_domains(res.frame, domain_column)
    a = list(source_values) if source_values else a
    b = list(target_values) if target_values else b
    values = res.frame[domain_column].astype(str).to_numpy()
    in_a, in_b = np.isin(values, a), np.isin(values, b)
    if not in_a.any() or not in_b.any():
        raise InputError(
            f"{source}: column {domain_column!r}: need rows in both domains "
            f"(a = {a or '-'}: {int(in_a.sum())} rows, b = {b or '-'}: {int(in_b.sum())} rows)"
        )
    data = numeric_frame(res.frame, columns, source)
    opts: dict[str, Any] = {
        "alpha": alpha,
        "delta": delta,
        "n_splits": n_splits,
        "adapt_share": adapt_share,
        "seed": seed,
        "source": source,
    }
    return {
        "domain_column": domain_column,
        "a": a,
        "b": b,
        "alpha": alpha,
        "delta": delta,
        "adapt_share": adapt_share,
        "a_to_b": _direction(res, data, columns, in_a, in_b, **opts),
        "b_to_a": _direction(res, data, columns, in_b, in_a, **opts),
    }
