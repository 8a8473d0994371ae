"""The repair stage's results per model × suite, for the analysis stage to put in metrics.json.

For every (model, suite, repair variant) of a run that repaired anything:
vulnerable → secure fixes, correct → broken regressions (shares with task-cluster
bootstrap CIs), the secure rate before and after, and calibration before and after
(``summarize`` of the whole condition with repaired rows replaced by their last
round), with the paired ECE change. Computed by
:func:`seccal.mitigate.repair.summarize_repair` on the stored ``repairs`` table.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from seccal.core.config import StudyConfig
from seccal.mitigate.repair import summarize_repair
from seccal.mitigate.repair_store import RepairStore
from seccal.study.store import RunStore
from seccal.study.table import results_table


def repair_frame(store: RunStore) -> pd.DataFrame:
    """The run's repairs, each (snippet, variant) at its last round (empty: never repaired)."""
    with RepairStore(store.path) as repairs:
        return repairs.final_frame()


def repair_results(
    df: pd.DataFrame, repairs: pd.DataFrame, config: StudyConfig
) -> list[dict[str, Any]]:
    """One JSON-ready row per (model, suite, repair variant).

    Parameters
    ----------
    df:
        The run's results table (:func:`~seccal.study.table.results_table`).
    repairs:
        :func:`repair_frame` of the run.
    config:
        The study: its ``[mitigations.repair]`` confidence and ``[analysis]`` settings.
    """
    repair = config.mitigations.repair
    if repairs.empty or df.empty or repair is None or repair.confidence not in df.columns:
        return []
    a = config.analysis
    rounds = repairs.groupby("variant")["round"].max().to_dict()
    out = []
    for (model, suite), part in df.groupby(["model", "suite"], sort=True):
        part = part.reset_index(drop=True)
        mine = repairs[repairs["source_gen_id"].isin(set(part["gen_id"]))]
        for variant, rp in mine.groupby("variant", sort=True):
            summary = summarize_repair(
                part,
                rp.reset_index(drop=True),
                variant=str(variant),
                threshold=repair.threshold,
                confidence=repair.confidence,
                tau=a.tau,
                n_bins=a.n_bins,
                strategy=a.strategy,
                n_boot=a.n_boot,
                seed=a.seed,
            )
            out.append(
                {
                    "model": str(model),
                    "suite": str(suite),
                    "variant": str(variant),
                    "rounds": int(rounds.get(variant, 1)),
                    "confidence": repair.confidence,
                    "label_source": config.label_source,
                    "summary": asdict(summary),
                }
            )
    return out


def run_repair_results(store: RunStore, config: StudyConfig) -> list[dict[str, Any]]:
    """:func:`repair_results` of a run store."""
    first = config.elicit.variants[0]
    df = results_table(store, label_source=config.label_source, first_variant=first)
    return repair_results(df, repair_frame(store), config)
