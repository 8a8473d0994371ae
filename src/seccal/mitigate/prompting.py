"""Prompting variants compared: zero-shot, few-shot, chain-of-thought, few-shot + CoT.

Two layouts of the results table are understood:

* **wide** (what ``seccal run`` stores): the variants change how confidence is asked,
  so every snippet carries one confidence per variant, ``conf_security_verbal_<variant>``.
  The code is the same for all variants, so its security rate is too (reported once).
* **long**: a ``prompt_variant`` column says which prompt produced each row (the variant
  changed the generation prompt as well); the security rate of the code then differs by
  variant and is compared too.

Each variant is compared with the baseline (``zero_shot`` when present) by a paired
task-cluster bootstrap on the tasks both share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seccal.calibration.proportion import Proportion, cluster_proportion
from seccal.core.results import Sample, known_rows

VARIANT_ORDER: tuple[str, ...] = ("zero_shot", "few_shot", "cot", "few_shot_cot")
VARIANT_COLUMN = "prompt_variant"
_LABEL = {"security": "secure", "functional": "correct"}


@dataclass(frozen=True)
class VariantResult:
    """One prompt variant: calibration, the labelled code's rate, change vs the baseline."""

    variant: str
    confidence_column: str
    summary: dict[str, Any] | None
    label_rate: Proportion
    vs_baseline: dict[str, dict[str, Any]] | None


@dataclass(frozen=True)
class VariantComparison:
    """All variants of one target; ``layout`` is ``wide`` or ``long``."""

    target: str
    layout: str
    baseline: str
    variants: list[VariantResult]


def _order(names: list[str]) -> list[str]:
    known = [v for v in VARIANT_ORDER if v in names]
    return known + sorted(v for v in names if v not in VARIANT_ORDER)


def _samples(
    df: pd.DataFrame, target: str, variant_column: str, confidence: str | None
) -> tuple[str, dict[str, tuple[str, Sample]]]:
    label = _LABEL[target]
    plain = f"conf_{target}_verbal"
    if variant_column in df.columns:
        out = {}
        for v in _order(sorted(df[variant_column].dropna().astype(str).unique())):
            part = df.loc[df[variant_column].astype(str) == v].reset_index(drop=True)
            col = confidence or (f"{plain}_{v}" if f"{plain}_{v}" in df.columns else plain)
            out[v] = (col, known_rows(part, col, label))
        return "long", out
    prefix = f"{plain}_"
    variants = _order([c[len(prefix) :] for c in df.columns if c.startswith(prefix)])
    return "wide", {v: (prefix + v, known_rows(df, prefix + v, label)) for v in variants}


def compare_variants(
    df: pd.DataFrame,
    *,
    target: str = "security",
    baseline: str = "zero_shot",
    tau: float = 0.8,
    n_bins: int = 10,
    strategy: str = "uniform",
    n_boot: int = 1000,
    seed: int = 0,
    variant_column: str = VARIANT_COLUMN,
    confidence: str | None = None,
    ci_metrics: tuple[str, ...] | None = None,
) -> VariantComparison | None:
    """Calibration and label rate per prompt variant, each compared with ``baseline``.

    ``variant_column`` names the long layout's column (``gen_variant`` for the
    study's generation variants); ``confidence`` fixes the confidence column of every
    variant in that layout (default: ``conf_<target>_verbal_<variant>`` when present).
    ``ci_metrics`` limits which metrics of each summary get an interval.
    Returns None when the table holds fewer than two variants for ``target``.
    """
    from seccal.calibration.bootstrap import paired_bootstrap
    from seccal.calibration.report import summarize

    layout, samples = _samples(df, target, variant_column, confidence)
    if len(samples) < 2:
        return None
    if baseline not in samples:
        baseline = next(iter(samples))
    opts: dict[str, Any] = {"n_bins": n_bins, "strategy": strategy, "tau": tau}
    ci: dict[str, Any] = {} if ci_metrics is None else {"ci_metrics": ci_metrics}
    base = samples[baseline][1]
    results = []
    for variant, (column, s) in samples.items():
        summary = (
            summarize(s.conf, s.labels, groups=s.groups, n_boot=n_boot, seed=seed, **opts, **ci)
            if s.n
            else None
        )
        rate = cluster_proportion(s.labels, s.groups, n_boot=n_boot, seed=seed)
        vs = None
        if variant != baseline and s.n and base.n and n_boot > 0:
            res = paired_bootstrap(
                (s.conf, s.labels, s.groups),
                (base.conf, base.labels, base.groups),
                metrics=("ece", "brier", "overconfidence_gap"),
                n_boot=n_boot,
                seed=seed,
                **opts,
            )
            vs = {
                m: {"diff": r.diff, "ci": [r.lo, r.hi], "p_value": float(r.p_value)}
                for m, r in res.items()
                if not np.isnan(r.diff)
            }
        results.append(VariantResult(variant, column, summary, rate, vs))
    return VariantComparison(target=target, layout=layout, baseline=baseline, variants=results)
