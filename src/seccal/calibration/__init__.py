"""Calibration analysis: metrics, task-cluster bootstrap, recalibration.

The one-call entry point is :func:`summarize` (the metric set every report prints);
the modules hold the pieces:

- :mod:`~seccal.calibration.metrics`: ECE, MCE, smECE, Brier and its decomposition,
  log-loss, AUROC, AUPRC, over-confidence gap, False Trust, risk-coverage, curves over tau.
- :mod:`~seccal.calibration.bootstrap`: task-cluster bootstrap CIs and paired comparisons.
- :mod:`~seccal.calibration.recalibrate`: temperature, Platt, isotonic, histogram;
  grouped K-fold cross-fitting; JSON save/load.
- :mod:`~seccal.core.results`: reading results tables (CSV, JSONL, Parquet).
"""

from seccal.calibration.bootstrap import (
    Interval,
    PairedComparison,
    cluster_bootstrap,
    paired_bootstrap,
)
from seccal.calibration.recalibrate import (
    METHODS,
    cross_fit,
    fit_calibrator,
    load_calibrator,
    save_calibrator,
)
from seccal.calibration.report import (
    COMPARED_METRICS,
    SUMMARY_METRICS,
    compare,
    recalibration_report,
    summarize,
)

__all__ = [
    "COMPARED_METRICS",
    "METHODS",
    "SUMMARY_METRICS",
    "Interval",
    "PairedComparison",
    "cluster_bootstrap",
    "compare",
    "cross_fit",
    "fit_calibrator",
    "load_calibrator",
    "paired_bootstrap",
    "recalibration_report",
    "save_calibrator",
    "summarize",
]
