"""Benchmark of seccal.calibration (plain script: prints seconds, no assertions).

Targets (issue 2, on the 2-core development machine):
  full metric suite + 1,000-resample task bootstrap, 36,000 rows in 100 tasks  <= 2 s
  point metrics on 1,000,000 rows                                             <= 1 s
Comparisons on the same data, when installed (dev extra): uncertainty-calibration's
bootstrap of the calibration error and ECE, relplot's smECE, scikit-learn's AUROC in a
resampling loop.

Run: PYTHONPATH=src python benchmarks/bench_calibration.py
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from seccal.calibration.bootstrap import cluster_bootstrap
from seccal.calibration.example import synthetic_results
from seccal.calibration.metrics import ece, smooth_ece
from seccal.calibration.report import summarize


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Smallest wall time of ``repeat`` runs (the least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def table(n_rows: int, n_tasks: int, *, tied: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frame = synthetic_results(n_rows=n_rows, n_tasks=n_tasks, seed=7, tied=tied)
    return (
        frame["confidence"].to_numpy(),
        frame["secure"].astype(float).to_numpy(),
        frame["task_id"].to_numpy(),
    )


def line(name: str, seconds: float, target: float | None = None) -> None:
    verdict = "" if target is None else ("  OK" if seconds <= target else "  OVER TARGET")
    limit = "" if target is None else f" (target <= {target:g} s)"
    print(f"{name:<72} {seconds:8.3f} s{limit}{verdict}")


def main() -> None:
    print("seccal.calibration benchmark")
    for tied in (True, False):
        kind = "verbalized (tied to 0.05)" if tied else "continuous"
        c, y, g = table(36_000, 100, tied=tied)
        t = best_of(lambda c=c, y=y, g=g: summarize(c, y, groups=g, n_boot=1000, seed=0))
        line(f"summarize + 1000 task-bootstrap, 36k rows/100 tasks, {kind}", t, 2.0)
        t = best_of(lambda c=c, y=y, g=g: cluster_bootstrap(c, y, groups=g), repeat=1)
        line(f"all 15 metrics + 1000 task-bootstrap, 36k rows, {kind}", t)
    for tied in (True, False):
        c, y, _ = table(1_000_000, 100, tied=tied)
        t = best_of(lambda c=c, y=y: summarize(c, y, n_boot=0))
        line(
            f"point metrics (summarize, no CI), 1M rows, {'tied' if tied else 'continuous'}", t, 1.0
        )

    print("\ncomparisons on the same data (ratio = theirs / ours)")
    # verbalized confidences: the study's case, and the one uncertainty-calibration is
    # fastest on (its continuous path takes ~60 s for this bootstrap)
    c, y, g = table(36_000, 100, tied=True)
    if importlib.util.find_spec("calibration"):
        import calibration as uc

        np.random.seed(0)
        yi = y.astype(int)  # the library insists on integer labels
        theirs = best_of(lambda: uc.get_calibration_error_uncertainties(c, yi, p=1), repeat=1)
        ours = best_of(lambda: cluster_bootstrap(c, y, groups=g, metrics=("ece",), n_boot=100))
        line("uncertainty-calibration: 100-resample row bootstrap of ECE, 36k tied rows", theirs)
        line("seccal: 100-resample task bootstrap of ECE, 36k tied rows", ours)
        print(f"{'ratio':<72} {theirs / ours:8.1f} x")
        cm, ym, _ = table(1_000_000, 100, tied=False)
        theirs = best_of(lambda: uc.get_ece(cm, ym.astype(int), num_bins=10, mode="marginal"))
        ours = best_of(lambda: ece(cm, ym, n_bins=10, strategy="quantile"))
        line("uncertainty-calibration get_ece (equal-mass bins), 1M rows", theirs)
        line("seccal ece (equal-mass bins), 1M rows", ours)
        print(f"{'ratio':<72} {theirs / ours:8.1f} x")
    else:
        print("uncertainty-calibration not installed (pip install uncertainty-calibration)")
    c, y, g = table(36_000, 100, tied=False)
    if importlib.util.find_spec("relplot"):
        import relplot

        theirs = best_of(lambda: relplot.smECE(c, y))
        ours = best_of(lambda: smooth_ece(c, y))
        line("relplot smECE, 36k continuous rows", theirs)
        line("seccal smooth_ece, 36k continuous rows", ours)
        print(f"{'ratio':<72} {theirs / ours:8.1f} x")
    if importlib.util.find_spec("sklearn"):
        from sklearn.metrics import roc_auc_score

        rng = np.random.default_rng(0)
        idx = [rng.integers(0, c.size, c.size) for _ in range(100)]
        theirs = best_of(lambda: [roc_auc_score(y[i], c[i]) for i in idx], repeat=1) * 10
        ours = best_of(lambda: cluster_bootstrap(c, y, groups=g, metrics=("auroc",)))
        line("scikit-learn roc_auc_score in a loop, 1000 resamples (x10 of 100), 36k rows", theirs)
        line("seccal task bootstrap of AUROC, 1000 resamples, 36k continuous rows", ours)
        print(f"{'ratio':<72} {theirs / ours:8.1f} x")


if __name__ == "__main__":
    main()
