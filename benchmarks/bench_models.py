"""Benchmarks for seccal.models (plain script; prints numbers).

1. Engine overhead: 64 concurrent chat calls against the local fake OpenAI server (in its own
   process), raw ``AsyncOpenAI`` calls vs ``Engine.run`` (with and without the SQLite cache),
   interleaved rounds, median wall time and client CPU time. Target: engine within 5 %.
2. Local model: tokens/s of gemma3 270m through seccal's llamacpp provider (with and without
   log-probs) vs ``llama_cpp.Llama.create_completion`` called directly. Target: >= 0.9x.

Usage: ``PYTHONPATH=src python benchmarks/bench_models.py [--calls 1000] [--rounds 5]
[--skip-llama] [--skip-http]``
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import multiprocessing as mp
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))  # the fake server lives with the tests

from seccal.models import Engine, GenerationRequest, Job, Limits, ModelSpec  # noqa: E402

CONCURRENCY = 64


def _serve(queue: Any) -> None:
    from fake_llm_server import FakeLLMServer

    server = FakeLLMServer()
    queue.put(server.url)
    server._server.serve_forever(poll_interval=0.5)


async def _raw(url: str, n: int) -> None:
    import openai

    client = openai.AsyncOpenAI(api_key="bench", base_url=url, max_retries=0)
    sem = asyncio.Semaphore(CONCURRENCY)

    async def one(i: int) -> None:
        async with sem:
            r = await client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": f"task {i}"}],
                temperature=0.2,
                max_tokens=64,
            )
            assert r.choices[0].message.content

    await asyncio.gather(*(one(i) for i in range(n)))
    await client.close()


async def _engine(url: str, n: int, cache: Path | None) -> None:
    spec = ModelSpec(
        "openai",
        "gpt-4o-mini",
        base_url=url,
        api_key_env="BENCH_KEY",
        limits=Limits(concurrency=CONCURRENCY),
    )
    jobs = [
        Job(spec, GenerationRequest.chat(("user", f"task {i}"), temperature=0.2, max_tokens=64))
        for i in range(n)
    ]
    async with Engine(cache=cache) as engine:
        results = await engine.run(jobs)
    assert all(r.ok for r in results), [r.error for r in results if not r.ok][:3]


def bench_http(calls: int, rounds: int) -> None:
    os.environ["BENCH_KEY"] = "bench"
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_serve, args=(queue,), daemon=True)
    proc.start()
    url = queue.get(timeout=60) + "/v1"
    try:
        asyncio.run(_raw(url, 64))  # warm-up: imports, connections
        times: dict[str, list[tuple[float, float]]] = {"raw": [], "engine": [], "engine+cache": []}
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(rounds):
                for name in times:
                    w0, c0 = time.perf_counter(), time.process_time()
                    if name == "raw":
                        asyncio.run(_raw(url, calls))
                    else:
                        cache = Path(tmp) / f"c{r}.sqlite" if name == "engine+cache" else None
                        asyncio.run(_engine(url, calls, cache))
                    times[name].append((time.perf_counter() - w0, time.process_time() - c0))
        print(f"\n== engine overhead: {calls} calls x {rounds} rounds, concurrency {CONCURRENCY}")
        base_w = statistics.median(w for w, _ in times["raw"])
        base_c = statistics.median(c for _, c in times["raw"])
        for name, vals in times.items():
            w = statistics.median(v[0] for v in vals)
            c = statistics.median(v[1] for v in vals)
            # Paired: each round's ratio to the raw run right before it (drift cancels).
            pw = statistics.median(v[0] / r[0] for v, r in zip(vals, times["raw"], strict=True))
            pc = statistics.median(v[1] / r[1] for v, r in zip(vals, times["raw"], strict=True))
            print(
                f"{name:13s} wall {w:6.2f} s ({calls / w:6.0f} calls/s, {w / base_w:5.3f}x raw,"
                f" paired {pw:5.3f}x)   client CPU {c:6.2f} s ({c / base_c:5.3f}x raw,"
                f" paired {pc:5.3f}x)"
            )
        # Load-independent proxy for client CPU: Python function calls per request.
        print("Python function calls per request (cProfile; independent of machine load):")
        with tempfile.TemporaryDirectory() as tmp:
            variants = {
                "raw": lambda: asyncio.run(_raw(url, calls)),
                "engine": lambda: asyncio.run(_engine(url, calls, None)),
                "engine+cache": lambda: asyncio.run(_engine(url, calls, Path(tmp) / "p.sqlite")),
            }
            counts = {}
            for name, fn in variants.items():
                prof = cProfile.Profile()
                prof.enable()
                fn()
                prof.disable()
                counts[name] = pstats.Stats(prof).total_calls / calls  # type: ignore[attr-defined]
            for name, n in counts.items():
                print(f"{name:13s} {n:8.0f} calls/request ({n / counts['raw']:5.3f}x raw)")
    finally:
        proc.terminate()


class _InstantProvider:
    """Answers at once: isolates the engine's own per-call cost."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec

    @property
    def capabilities(self) -> Any:
        from seccal.models import Capabilities

        return Capabilities()

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> Any:
        from seccal.models import GenerationResponse, Usage

        return GenerationResponse(text="ok", usage=Usage(20, 12))

    async def aclose(self) -> None:
        pass


def bench_engine_only(calls: int) -> None:
    spec = ModelSpec("instant", "gpt-4o-mini", limits=Limits(concurrency=CONCURRENCY))
    print(f"\n== engine's own cost per call ({calls} calls, in-process provider)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, cache in (("engine", None), ("engine+cache", Path(tmp) / "c.sqlite")):
            jobs = [
                Job(spec, GenerationRequest.chat(("user", f"task {i}"), max_tokens=64))
                for i in range(calls)
            ]
            engine = Engine(cache=cache, provider_factory=_InstantProvider)
            c0 = time.process_time()
            engine.run_sync(jobs)
            per_call = (time.process_time() - c0) / calls * 1e6
            print(f"{name:13s} {per_call:6.0f} us CPU per call")


PROMPTS = [
    'def add(a, b):\n    """Return the sum of a and b."""\n',
    'import sqlite3\n\ndef get_user(db, name):\n    """Return the row of user `name`."""\n',
    'import os\n\ndef read_file(base, name):\n    """Read file `name` inside directory `base`."""\n',
]


def bench_llama(rounds: int, max_tokens: int) -> None:
    import llama_cpp

    from seccal.models.llamacpp import local_model_path

    path = str(local_model_path("gemma3-270m"))
    # Same threads on both paths: this compares the provider's overhead only
    # (benchmarks/bench_llamacpp.py covers the chat model and thread defaults).
    direct = llama_cpp.Llama(
        path, n_ctx=2048, n_threads=1, n_threads_batch=1, logits_all=False, verbose=False
    )
    spec = ModelSpec("llamacpp", "gemma3-270m", params={"n_ctx": 2048, "n_threads": 1})
    rates: dict[str, list[float]] = {"direct": [], "seccal": [], "seccal+logprobs": []}

    async def through_seccal(engine: Engine, prompt: str, i: int, lp: bool) -> int:
        req = GenerationRequest(
            prompt=prompt,
            max_tokens=max_tokens,
            temperature=0.0,
            sample_index=i,
            logprobs=lp,
            top_logprobs=5 if lp else 0,
        )
        resp = await engine.generate(spec, req)
        assert resp.ok, resp.error
        return resp.usage.output_tokens

    async def main() -> None:
        async with Engine(cache=None) as engine:
            engine.prepare(spec)
            for r in range(rounds):
                for prompt in PROMPTS:
                    t0 = time.perf_counter()
                    out = direct.create_completion(prompt, max_tokens=max_tokens, temperature=0.0)
                    rates["direct"].append(
                        out["usage"]["completion_tokens"] / (time.perf_counter() - t0)
                    )
                    for name, lp in (("seccal", False), ("seccal+logprobs", True)):
                        t0 = time.perf_counter()
                        n = await through_seccal(engine, prompt, r, lp)
                        rates[name].append(n / (time.perf_counter() - t0))

    asyncio.run(main())
    direct.close()
    print(f"\n== local model (gemma3 270m Q4_K_M), {max_tokens} tokens, greedy, {rounds} rounds")
    base = statistics.median(rates["direct"])
    for name, vals in rates.items():
        med = statistics.median(vals)
        print(f"{name:16s} {med:6.1f} tokens/s  ({med / base:5.3f}x direct)")
    if max_tokens <= 16 or os.environ.get("BENCH_LOGITS_ALL"):
        ref = llama_cpp.Llama(path, n_ctx=2048, logits_all=True, verbose=False)
        t0 = time.perf_counter()
        out = ref.create_completion(PROMPTS[0], max_tokens=16, temperature=0.0, logprobs=5)
        rate = out["usage"]["completion_tokens"] / (time.perf_counter() - t0)
        print(f"{'direct logits_all':16s} {rate:6.1f} tokens/s  ({rate / base:5.3f}x direct)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--skip-llama", action="store_true")
    args = ap.parse_args()
    if not args.skip_http:
        bench_engine_only(5 * args.calls)
        bench_http(args.calls, args.rounds)
    if not args.skip_llama:
        bench_llama(args.rounds, args.max_tokens)


if __name__ == "__main__":
    main()
