"""Time loading each task suite (plain script; prints numbers).

Usage: PYTHONPATH=src python benchmarks/bench_tasks.py [SUITE_SPEC ...]
Default specs: builtin, sallm, cweval (those whose data is present).
"""

from __future__ import annotations

import sys
import time

from seccal.errors import SeccalError
from seccal.tasks.registry import load_suite


def main(specs: list[str]) -> None:
    for spec in specs or ["builtin", "sallm", "cweval"]:
        times = []
        try:
            for _ in range(5):
                start = time.perf_counter()
                tasks = load_suite(spec)
                times.append(time.perf_counter() - start)
        except SeccalError as exc:
            print(f"{spec:10s} skipped: {exc}")
            continue
        cwes = {c for t in tasks for c in t.cwes}
        best = min(times) * 1000
        print(
            f"{spec:10s} {len(tasks):4d} tasks {len(cwes):3d} CWEs  load {best:7.1f} ms (best of 5)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
