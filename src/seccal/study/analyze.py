"""The analyze stage: calibration metrics per model × temperature × suite.

For each condition and each confidence column, the metric set of
:func:`seccal.calibration.summarize` is computed against ``secure`` (security
confidences) and against ``correct`` (functional confidences), with the
bootstrap resampling tasks. Rows whose confidence or label is unknown are
left out and counted (``n_unknown_conf``, ``n_unknown_label``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from seccal.core.config import StudyConfig

# Which confidences speak to which label.
_SECURITY_PREFIXES = ("conf_security_", "conf_ptrue", "conf_consistency", "conf_likelihood")
_FUNCTIONAL_PREFIXES = ("conf_functional_", "conf_likelihood")


def _columns(df: pd.DataFrame, prefixes: tuple[str, ...], first_variant: str) -> list[str]:
    # conf_<t>_verbal is an alias of conf_<t>_verbal_<first variant>: analyze it once.
    aliases = {
        f"conf_{t}_{k}_{first_variant}"
        for t in ("security", "functional")
        for k in ("verbal", "joint")
    }
    return [c for c in df.columns if c.startswith(prefixes) and c not in aliases]


def analyze(df: pd.DataFrame, config: StudyConfig) -> list[dict[str, Any]]:
    """Metric rows for every condition, target and confidence column.

    Returns
    -------
    list of dict
        ``{"model", "temperature", "suite", "target", "confidence",
        "label_source", "metrics": {...}}``; ``metrics`` holds the keys of
        :func:`seccal.calibration.summarize` plus ``n_total``,
        ``n_unknown_conf`` and ``n_unknown_label`` (``n`` is 0 and the metrics
        absent when nothing is left).
    """
    from seccal.calibration import summarize

    a = config.analysis
    rows: list[dict[str, Any]] = []
    if df.empty:
        return rows
    first = config.elicit.variants[0]
    targets = (
        ("security", "secure", _columns(df, _SECURITY_PREFIXES, first), config.label_source),
        ("functional", "correct", _columns(df, _FUNCTIONAL_PREFIXES, first), "functional_tests"),
    )
    for (model, temperature, suite), part in df.groupby(
        ["model", "temperature", "suite"], sort=True
    ):
        for target, label_col, columns, source in targets:
            labels = part[label_col]
            for col in columns:
                conf = part[col].to_numpy(dtype=float)
                known_conf = ~np.isnan(conf)
                known_label = labels.notna().to_numpy()
                keep = known_conf & known_label
                metrics: dict[str, Any] = {
                    "n_total": len(part),
                    "n_unknown_conf": int((~known_conf).sum()),
                    "n_unknown_label": int((~known_label).sum()),
                }
                if keep.any():
                    metrics.update(
                        summarize(
                            conf[keep],
                            labels.to_numpy()[keep].astype(float),
                            groups=part["task_id"].to_numpy()[keep],
                            n_bins=a.n_bins,
                            strategy=a.strategy,
                            tau=a.tau,
                            n_boot=a.n_boot,
                            seed=a.seed,
                        )
                    )
                    metrics["mean_confidence"] = float(conf[keep].mean())
                    metrics["accuracy"] = float(labels.to_numpy()[keep].astype(float).mean())
                else:
                    metrics["n"] = 0
                rows.append(
                    {
                        "model": str(model),
                        "temperature": float(str(temperature)),
                        "suite": str(suite),
                        "target": target,
                        "confidence": col,
                        "label_source": source,
                        "metrics": metrics,
                    }
                )
    return rows
