"""Benchmark: time to compute metrics.json and to render the report at study scale.

Run: ``PYTHONPATH=src python benchmarks/bench_report.py [--tasks N] [--n-boot B]``.
Prints rows, analysis seconds (``analyze_frame``: every number of metrics.json), render
seconds and output sizes. The default is the paper's shape: 3 models x 6 temperatures x
2 suites x 200 tasks x 5 samples = 36,000 snippets.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fixtures"))

from synthetic_study import (
    DEFAULT_MODELS,
    synthetic_config,
    synthetic_export,
    synthetic_repairs,
)

from seccal.analysis import Settings, analyze_frame
from seccal.report import render_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tasks", type=int, default=200)
    ap.add_argument("--samples", type=int, default=5)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--no-render", action="store_true", help="Time the analysis only.")
    args = ap.parse_args()
    models = {**DEFAULT_MODELS, "qwen3-coder-next": (0.35, 0.2, 0.9)}
    df = synthetic_export(
        n_tasks=args.tasks,
        temperatures=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
        samples=args.samples,
        models=models,
    )
    t0, c0 = time.perf_counter(), time.process_time()
    doc = analyze_frame(
        df,
        synthetic_config(df),
        repairs=synthetic_repairs(df),
        settings=Settings(n_boot=args.n_boot),
    )
    t1, c1 = time.perf_counter(), time.process_time()
    print(f"rows                 {len(df):>10,}")
    print(f"bootstrap resamples  {args.n_boot:>10,}")
    print(f"metrics wall / cpu s {t1 - t0:>10.2f} / {c1 - c0:.2f}")
    print(f"metrics.json         {len(json.dumps(doc)) / 1e6:>10.2f} MB")
    if args.no_render:
        return
    with tempfile.TemporaryDirectory() as tmp:
        html = render_report(doc, Path(tmp))
        t2, c2 = time.perf_counter(), time.process_time()
        size = html.stat().st_size
        n_files = sum(1 for p in Path(tmp).rglob("*") if p.is_file())
    print(f"render  wall / cpu s {t2 - t1:>10.2f} / {c2 - c1:.2f}")
    print(f"report.html          {size / 1e6:>10.2f} MB")
    print(f"files written        {n_files:>10}")


if __name__ == "__main__":
    main()
