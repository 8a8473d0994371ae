"""Benchmark of seccal.gate (plain script: prints seconds, no assertions).

Target (issue 17, on the 2-core development machine):
  ``seccal gate evaluate`` with 200 task splits on 36,000 rows (3,000 tasks)   <= 60 s
Also: one gate fit on 36,000 rows, and applying a gate to 1,000,000 rows.

Run: PYTHONPATH=src python benchmarks/bench_gate.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from seccal.gate.evaluate import evaluate_gate
from seccal.gate.features import default_features
from seccal.gate.gatefile import fit_gate, load_study
from seccal.gate.synthetic import synthetic_study


def line(name: str, seconds: float, target: float | None = None) -> None:
    verdict = "" if target is None else ("  OK" if seconds <= target else "  OVER TARGET")
    limit = "" if target is None else f" (target <= {target:g} s)"
    print(f"{name:<72} {seconds:8.3f} s{limit}{verdict}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "study.parquet"
        synthetic_study(n_tasks=3000, rows_per_task=12, seed=1).to_parquet(path, index=False)
        t = time.perf_counter()
        res = load_study(path, confidence_col="conf_security_verbal")
        line("load 36,000-row study", time.perf_counter() - t)
        cols = default_features(res.frame)
        t = time.perf_counter()
        gate = fit_gate(res, cols, alpha=0.1, delta=0.1)
        line(f"gate fit, {len(cols)} features, 36,000 rows", time.perf_counter() - t)
        big = pd.concat([res.frame] * 28, ignore_index=True)
        t = time.perf_counter()
        gate.accepts(gate.p_vulnerable(big))
        line(f"gate apply, {len(big):,} rows", time.perf_counter() - t)
        t = time.perf_counter()
        evaluate_gate(res, cols, alpha=0.1, delta=0.1, n_splits=200)
        line("gate evaluate, 200 task splits, 36,000 rows", time.perf_counter() - t, 60.0)


if __name__ == "__main__":
    main()
