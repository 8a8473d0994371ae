"""Judging and model-call throughput on a Ray cluster vs in this process, and Ray's overhead.

    PYTHONPATH=src python benchmarks/bench_ray.py [--n 64] [--cpus 2] [--batch 8]
                                                  [--address HOST:PORT]

Without ``--address`` a local one-node Ray cluster with ``--cpus`` CPUs (200 MB
object store) is started in this process. Snippets are the secure and insecure
references of the built-in Python tasks. Printed:

* judging: snippets/s of :class:`LocalExecutor` (one judge, ``--cpus`` sandboxes
  in parallel) and of :class:`RayExecutor` (``--cpus`` judge actors), with the
  actors' start-up time apart;
* overhead per Ray task: chunks of one snippet without code (judged without a
  sandbox or analyzer) through the pool vs in-process, and a bare actor call;
* model calls: replayed answers through the driver's engine, provider local vs
  on provider actors (calls/s and the added latency per call).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

from seccal.distributed import JudgeWork, LocalExecutor, RayExecutor
from seccal.distributed.cluster import pin_ray_to_loopback
from seccal.models import Engine, GenerationRequest, GenerationResponse, Job, Limits, ModelSpec


def _items(n: int) -> list[JudgeWork]:
    from seccal.tasks.registry import load_suite

    tasks = [t for t in load_suite("builtin") if t.language == "python" and t.secure_reference]
    pool = [
        (f"{t.id}-{kind}", t, code)
        for t in tasks
        for kind, code in (("ok", t.secure_reference), ("bad", t.insecure_reference))
        if code
    ]
    return [(f"{g}-{i}", t, c) for i, (g, t, c) in enumerate(islice(cycle(pool), n))]


def _judge(executor: LocalExecutor | RayExecutor, items: list[JudgeWork], opts: dict) -> float:
    start = time.perf_counter()
    done = sum(len(chunk) for chunk in executor.judge_stream(items, opts))
    assert done == len(items), (done, len(items))
    return time.perf_counter() - start


def _replay(path: Path, n: int) -> list[GenerationRequest]:
    requests = [GenerationRequest(prompt=f"def f{i}():\n", max_tokens=16) for i in range(n)]
    identity = {"provider": "recorded", "model": "m", "base_url": None, "params": {}}
    with path.open("w") as fh:
        for i, r in enumerate(requests):
            response = GenerationResponse(text=f"    return {i}\n")
            fh.write(
                json.dumps(
                    {"spec": identity, "request": r.to_dict(), "response": response.to_dict()}
                )
                + "\n"
            )
    return requests


def _calls(engine: Engine, spec: ModelSpec, requests: list[GenerationRequest]) -> float:
    async def main() -> float:
        start = time.perf_counter()
        try:
            out = await engine.run([Job(spec, r) for r in requests])
        finally:
            await engine.aclose()
        assert all(r.ok for r in out)
        return time.perf_counter() - start

    return asyncio.run(main())


class _Echo:
    def ping(self) -> int:
        return 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=64, help="snippets to judge")
    ap.add_argument("--cpus", type=int, default=2, help="sandboxes / judge actors")
    ap.add_argument("--batch", type=int, default=8, help="snippets per batch (chunk)")
    ap.add_argument("--calls", type=int, default=400, help="replayed model calls")
    ap.add_argument("--address", default=None, help="existing cluster (default: start one)")
    args = ap.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if not args.address:
        # The throwaway local cluster gets a token of its own: Ray would otherwise write
        # one to ~/.ray/auth_token, which later `ray start` clusters then require.
        os.environ["RAY_AUTH_MODE"] = "token"
        os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(32)
    import ray

    items = _items(args.n)
    opts = {"batch_size": args.batch, "analyzers": ["bandit", "semgrep"], "workers": args.cpus}
    print(
        f"judging {len(items)} snippets, batch {args.batch}, {args.cpus} CPUs, {os.cpu_count()} cores"
    )

    local = LocalExecutor()
    _judge(local, items[: args.batch], opts)  # warm the judge (sandbox probe, analyzers)
    t_local = _judge(local, items, opts)
    print(f"  local executor : {len(items) / t_local:7.2f} snippets/s ({t_local:.1f} s)")

    t0 = time.perf_counter()
    if not args.address:
        pin_ray_to_loopback()  # a one-machine cluster talks over 127.0.0.1 only
    if args.address:
        ray.init(address=args.address, log_to_driver=False)
    else:
        ray.init(
            num_cpus=args.cpus,
            object_store_memory=200_000_000,
            include_dashboard=False,
            log_to_driver=False,
        )
    print(f"  ray.init       : {time.perf_counter() - t0:7.2f} s")
    with RayExecutor(judge_actors=args.cpus) as ex:
        t0 = time.perf_counter()
        pool = ex.pool(opts)
        pool.wait_started(300)
        print(f"  actors start   : {time.perf_counter() - t0:7.2f} s ({pool.size} judge actors)")
        _judge(ex, items[: args.batch * args.cpus], opts)  # first chunk per actor: analyzers warm
        t_ray = _judge(ex, items, opts)
        print(f"  ray executor   : {len(items) / t_ray:7.2f} snippets/s ({t_ray:.1f} s)")
        print(f"  ray / local    : {t_local / t_ray:7.2f}x")

        # Overhead: one-snippet chunks that need no sandbox or analyzer.
        empty = [(f"e{i}", items[0][1], "") for i in range(200)]
        one = {**opts, "batch_size": 1}
        t_l = _judge(local, empty, one) / len(empty)
        t_r = _judge(ex, empty, one) / len(empty)
        pool = ex.pool(one)
        echo = ray.remote(_Echo).options(num_cpus=0).remote()
        ray.get(echo.ping.remote())
        lat = []
        for _ in range(200):
            s = time.perf_counter()
            ray.get(echo.ping.remote())
            lat.append(time.perf_counter() - s)
        print("overhead per Ray task (chunk of one snippet without code)")
        print(f"  in process     : {t_l * 1e3:7.2f} ms/chunk")
        print(f"  through pool   : {t_r * 1e3:7.2f} ms/chunk (window {pool.window})")
        print(f"  bare actor call: {statistics.median(lat) * 1e3:7.2f} ms median round trip")

        with tempfile.TemporaryDirectory() as tmp:
            requests = _replay(Path(tmp) / "rec.jsonl", args.calls)
            spec = ModelSpec(
                "replay", "m", params={"path": f"{tmp}/rec.jsonl"}, limits=Limits(concurrency=8)
            )
            t_lc = _calls(Engine(), spec, requests)
            t_rc = _calls(Engine(provider_factory=ex.provider_factory), spec, requests)
        print(f"model calls ({args.calls} replayed, concurrency 8, driver-side engine)")
        print(f"  local provider : {args.calls / t_lc:8.1f} calls/s")
        print(
            f"  provider actors: {args.calls / t_rc:8.1f} calls/s "
            f"(+{(t_rc - t_lc) / args.calls * 1e3:.2f} ms per call at concurrency 8)"
        )
    ray.shutdown()


if __name__ == "__main__":
    main()
