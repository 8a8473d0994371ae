"""Benchmark: time to compute and render a report at study scale.

Run: ``PYTHONPATH=src python benchmarks/bench_report.py [--tasks N] [--n-boot B]``.
Prints rows, compute seconds, render seconds and output sizes. The default size is the
paper's shape per suite pair: 2 models x 6 temperatures x 2 suites x 50 tasks x 5 samples
= 6,000 snippets.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from seccal.report.compute import compute_report

from seccal.report.data import ReportInput
from seccal.report.model import Options
from seccal.report.render import write_report_files
from seccal.report.synthetic import synthetic_config, synthetic_export, synthetic_repairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tasks", type=int, default=50)
    ap.add_argument("--samples", type=int, default=5)
    ap.add_argument("--n-boot", type=int, default=1000)
    args = ap.parse_args()
    df = synthetic_export(
        n_tasks=args.tasks,
        temperatures=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
        samples=args.samples,
    )
    inp = ReportInput(df, synthetic_config(df), "benchmark", synthetic_repairs(df))
    t0 = time.perf_counter()
    c0 = time.process_time()
    model = compute_report(inp, options=Options(n_boot=args.n_boot))
    t1 = time.perf_counter()
    c1 = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        html = write_report_files(model, Path(tmp))
        t2 = time.perf_counter()
        c2 = time.process_time()
        size = html.stat().st_size
        n_files = sum(1 for _ in Path(tmp).rglob("*") if _.is_file())
    print(f"rows                 {len(df):>10,}")
    print(f"bootstrap resamples  {args.n_boot:>10,}")
    print(f"compute wall / cpu s {t1 - t0:>10.2f} / {c1 - c0:.2f}")
    print(f"render  wall / cpu s {t2 - t1:>10.2f} / {c2 - c1:.2f}")
    print(f"report.html          {size / 1e6:>10.2f} MB")
    print(f"files written        {n_files:>10}")


if __name__ == "__main__":
    main()
