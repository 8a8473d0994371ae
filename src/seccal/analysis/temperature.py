"""The effect of temperature: each metric's slope over temperature, with a task-cluster CI."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Final

from seccal.analysis.conditions import grouped
from seccal.analysis.context import Context
from seccal.analysis.frame import GEN_VARIANT_COLUMN
from seccal.calibration.trend import trend_bootstrap
from seccal.core.results import known_rows

#: Metrics whose trend over temperature is reported.
TREND_METRICS: Final = ("ece", "overconfidence_gap", "false_trust_rate")


def temperature_trends(ctx: Context) -> list[dict[str, Any]]:
    """Per model × suite × generation variant × target: slope of each metric per unit T."""
    rows = []
    st = ctx.settings
    for key, df in grouped(ctx.frame, ("model", "suite", GEN_VARIANT_COLUMN)):
        for target, conf, label in ctx.targets():
            conditions = []
            for tkey, part in grouped(df, ("temperature",)):
                s = known_rows(part, conf, label)
                if s.n:
                    conditions.append((float(tkey["temperature"]), s.conf, s.labels, s.groups))
            if len(conditions) < 2:
                continue
            trends = {
                metric: asdict(
                    trend_bootstrap(
                        conditions,
                        metric=metric,
                        n_boot=st.n_boot,
                        seed=st.seed,
                        level=st.level,
                        n_bins=st.n_bins,
                        strategy=st.strategy,
                        tau=st.tau,
                    )
                )
                for metric in TREND_METRICS
            }
            rows.append(
                {
                    "condition": {**key, "temperature": None},
                    "target": target,
                    "confidence": conf,
                    "trends": trends,
                }
            )
    return rows
