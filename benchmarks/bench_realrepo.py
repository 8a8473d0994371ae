"""realrepo tasks judged per minute, per language, with the project build first and cached.

For each selected task: the *first* preparation (unpack + prebuild into a fresh
cache, from archives already downloaded) and then judging its two reference
regions through the sandboxed repository judge, which copies the cached seed
and rebuilds only the region's unit.

Usage::

    PYTHONPATH=src python benchmarks/bench_realrepo.py            # the CI subset
    PYTHONPATH=src python benchmarks/bench_realrepo.py --all      # every task

Prints plain numbers; nothing is asserted. Archives must be cached
(``seccal realrepo fetch``); the fresh cache gets a copy of them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from seccal.repo.judge import judge_region
from seccal.repo.realrepo.fetch import CACHE_ENV, cache_root
from seccal.repo.realrepo.prepare import prepare
from seccal.repo.realrepo.spec import load_specs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="every task, not only ci = true")
    parser.add_argument("--repeat", type=int, default=2, help="judgements per reference")
    args = parser.parse_args()
    specs = [s for s in load_specs() if args.all or s.ci]
    archives = cache_root() / "archives"
    first: dict[str, float] = defaultdict(float)
    judged: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="seccal-bench-realrepo-") as tmp:
        fresh = Path(tmp)
        shutil.copytree(archives, fresh / "archives")
        os.environ[CACHE_ENV] = str(fresh)
        for spec in specs:
            start = time.monotonic()
            task = prepare(spec, offline=True).task
            first[spec.language] += time.monotonic() - start
            for _ in range(args.repeat):
                for code in (task.fixed_region, task.vulnerable_region):
                    v = judge_region(task, code)
                    judged[spec.language].append(v.timings.get("total", 0.0))
    print(f"realrepo: {len(specs)} tasks, {args.repeat} judgements of each reference")
    for lang in sorted(judged):
        times = judged[lang]
        n_tasks = sum(s.language == lang for s in specs)
        per_min = 60 * len(times) / sum(times) if sum(times) else float("nan")
        print(
            f"  {lang:11s} first build {first[lang] / n_tasks:6.1f} s/task; "
            f"cached: {sum(times) / len(times):5.1f} s/judgement = {per_min:5.1f} judged/min"
        )


if __name__ == "__main__":
    main()
