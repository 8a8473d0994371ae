"""Run-store benchmarks: write throughput, size per 1,000 snippets, and resume skipping.

Run: ``PYTHONPATH=src python benchmarks/bench_store.py [--snippets 36000]``

1. Write throughput: each generation, its confidences and its verdict written the way the
   runner writes them (one transaction per answered call / judged batch), with realistic
   record sizes (reply ~1.6 kB, code ~1.1 kB, verdict JSON ~1 kB).
2. Size of the store per 1,000 snippets.
3. Resume: a store holding every record of a 36,000-snippet study; time for the generate,
   elicit and judge stages to find that nothing is left to do (target: <= 5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from seccal.core.config import parse_study
from seccal.core.task import Task
from seccal.models import Engine
from seccal.study.elicit_stage import run_elicit
from seccal.study.generate import run_generate
from seccal.study.judge_stage import run_judge
from seccal.study.plan import Plan, SuitePlan
from seccal.study.store import ConfidenceRecord, GenerationRecord, RunStore, VerdictRecord

CODE = (
    "import sqlite3\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    '@app.route("/user")\ndef get_user():\n    """Return the user named in the query."""\n'
    + '    name = request.args.get("name", "")\n'
    * 20
)
REPLY = "Here is the implementation:\n\n```python\n" + CODE + "```\n\nIt uses a query." * 1
VERDICT = json.dumps(
    {
        "tests": [{"name": f"test_{i}", "outcome": "passed"} for i in range(12)],
        "findings": [{"rule_id": "B608", "cwe": "CWE-89", "line": 9}] * 3,
    }
)
CONFIDENCE_ROWS = (
    ("verbal", "zero_shot", "security"),
    ("verbal", "zero_shot", "functional"),
    ("ptrue", "default", "security"),
    ("consistency", "default", "security"),
    ("likelihood", "default", "any"),
)


def study(n_tasks: int) -> Plan:
    config = parse_study(
        {
            "study": {
                "name": "bench",
                "temperatures": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
                "samples": 10,
            },
            "models": [
                {
                    "name": f"m{i}",
                    "provider": "openai",
                    "model": "gpt-4o-mini",
                    "base_url": "http://127.0.0.1:9/v1",
                    "api_key_env": "BENCH_KEY",
                }
                for i in range(3)
            ],
            "suites": [{"name": "bench"}],
            "elicit": {"methods": ["verbal", "ptrue", "consistency", "likelihood"]},
            "judge": {"batch_size": 64},
        }
    )
    tasks = [
        Task(
            id=f"t{i:04d}",
            suite="bench",
            language="python",
            cwes=("CWE-89",),
            prompt=CODE[:200],
            module_name="solution.py",
        )
        for i in range(n_tasks)
    ]
    return Plan(config, [SuitePlan(config.suites[0], tasks, 10)])


def fill(store: RunStore, plan: Plan) -> tuple[int, float]:
    """Write every record the way the runner does; returns (snippets, seconds)."""
    items = plan.items()
    store.put_tasks(plan.tasks)
    started = time.perf_counter()
    for it in items:
        store.put_generations(
            [
                GenerationRecord(
                    it.gen_id,
                    it.model.name,
                    "openai",
                    "gpt-4o-mini",
                    it.temperature,
                    it.sample,
                    it.suite,
                    it.task.key,
                    reply=REPLY,
                    code=CODE,
                    extraction="fenced",
                    parses=True,
                    finish_reason="stop",
                    tokens_in=400,
                    tokens_out=350,
                    cost_usd=0.0003,
                    seq_logprob=-0.21,
                    n_tokens=300,
                    temperature_applied=True,
                    cached=False,
                )
            ]
        )
    for it in items:
        for method, variant, target in CONFIDENCE_ROWS:
            store.put_confidences(
                [
                    ConfidenceRecord(
                        it.gen_id,
                        method,
                        variant,
                        target,
                        0.85,
                        "Confidence: 85%",
                        "percent",
                        None,
                        1e-4,
                    )
                ]
            )
    for start in range(0, len(items), 64):
        store.put_verdicts(
            [
                VerdictRecord(it.gen_id, "pass", "secure", "vulnerable", 1, VERDICT)
                for it in items[start : start + 64]
            ]
        )
    return len(items), time.perf_counter() - started


def resume(store: RunStore, plan: Plan) -> dict[str, float]:
    """Time each stage's pass over a finished store (no calls, nothing written)."""
    timings: dict[str, float] = {}

    async def model_stages() -> None:
        engine = Engine(cache=None)
        try:
            t = time.perf_counter()
            items = plan.items()
            gen = await run_generate(items, config=plan.config, store=store, engine=engine)
            timings["generate"] = time.perf_counter() - t
            assert gen.stored == 0 and gen.done_before == len(items), gen
            t = time.perf_counter()
            eli = await run_elicit(config=plan.config, store=store, engine=engine)
            timings["elicit"] = time.perf_counter() - t
            assert eli.stored == 0, eli
        finally:
            await engine.aclose()

    asyncio.run(model_stages())
    t = time.perf_counter()
    judged = run_judge(store=store, judge_many=lambda items: [], batch_size=64)
    timings["judge"] = time.perf_counter() - t
    assert judged.stored == 0 and judged.done_before == len(plan.items())
    timings["total"] = sum(timings.values())
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snippets", type=int, default=36_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the resume pass")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_KEY", "bench-not-a-key")
    n_tasks = max(1, args.snippets // (3 * 6 * 10))
    plan = study(n_tasks)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite"
        with RunStore(path) as store:
            n, seconds = fill(store, plan)
            records = n * (2 + len(CONFIDENCE_ROWS))
            print(
                f"write: {n} snippets ({records} records, one transaction per call) in "
                f"{seconds:.1f} s = {n / seconds:,.0f} snippets/s, {records / seconds:,.0f} records/s"
            )
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
        print(
            f"size: {size / 1e6:.1f} MB for {n} snippets = {size / n * 1000 / 1e6:.2f} MB per 1,000 snippets"
        )
        with RunStore(path) as store:
            if args.profile:
                import cProfile
                import pstats

                prof = cProfile.Profile()
                timings = prof.runcall(resume, store, plan)
                pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
            else:
                timings = resume(store, plan)
        print(
            "resume over a finished store of "
            f"{n} snippets: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
            + f"  (target total <= 5 s: {'OK' if timings['total'] <= 5 else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
