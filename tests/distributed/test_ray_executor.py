"""The Ray executor's model calls on a real local cluster (judging: test_ray_study.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from ray_cluster import LocalCluster
from ray_tasks import tasks

from seccal.distributed import RayExecutor
from seccal.errors import ConfigError
from seccal.models import Engine, GenerationRequest, GenerationResponse, Limits, ModelSpec, Usage
from seccal.models.pricing import Price, PriceTable

pytestmark = pytest.mark.ray


def _replay_file(path: Path, n: int) -> list[GenerationRequest]:
    requests = [GenerationRequest(prompt=f"def f{i}():\n", max_tokens=16) for i in range(n)]
    identity = {"provider": "recorded", "model": "m", "base_url": None, "params": {}}
    with path.open("w") as fh:
        for i, request in enumerate(requests):
            response = GenerationResponse(
                text=f"    return {i}\n", usage=Usage(input_tokens=10, output_tokens=10)
            )
            record = {
                "spec": identity,
                "request": request.to_dict(),
                "response": response.to_dict(),
            }
            fh.write(json.dumps(record) + "\n")
    return requests


class _PricedReplay(PriceTable):
    """Replay answers priced as if paid (20 tokens x $1000/M = $0.02 a call)."""

    def price(self, provider: str, model: str) -> Price | None:
        return Price(1000.0, 1000.0)


def _run(engine: Engine, spec: ModelSpec, requests: list[GenerationRequest]) -> list[Any]:
    from seccal.models import Job

    async def main() -> list[GenerationResponse]:
        try:
            return await engine.run([Job(spec, r) for r in requests])
        finally:
            await engine.aclose()

    return asyncio.run(main())


def test_ray_model_calls_match_local_and_keep_the_cost_limit(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    requests = _replay_file(tmp_path / "rec.jsonl", 12)
    spec = ModelSpec(
        "replay", "m", params={"path": str(tmp_path / "rec.jsonl")}, limits=Limits(concurrency=4)
    )
    local = _run(Engine(), spec, requests)
    with RayExecutor(ray_cluster.address, provider_actors=2) as ex:
        remote = _run(Engine(provider_factory=ex.provider_factory), spec, requests)
        # Cost limit: the driver's engine grants every call, wherever it runs.
        limited = Engine(
            provider_factory=ex.provider_factory, prices=_PricedReplay(), cost_limit_usd=0.1
        )
        spec1 = ModelSpec(spec.provider, spec.model, params=spec.params, limits=Limits(1))
        capped = _run(limited, spec1, requests)
    assert [r.text for r in remote] == [r.text for r in local]
    assert all(r.ok and "replayed from rec.jsonl" in r.notes[-1] for r in remote)
    paid = [r for r in capped if r.ok]
    assert len(paid) == 5  # $0.02 each, limit $0.10
    assert {r.error.kind for r in capped if r.error} == {"cost_limit"}
    assert limited.spent_usd == pytest.approx(0.1)


def test_ray_provider_build_error_reaches_the_driver(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    spec = ModelSpec("replay", "m", params={})  # no recorded file named
    with RayExecutor(ray_cluster.address) as ex, pytest.raises(ConfigError, match=r"params\.path"):
        ex.provider_factory(spec)


def test_a_chunk_that_keeps_failing_is_left_for_the_next_run(ray_cluster: LocalCluster) -> None:
    task = tasks()[0]
    good = [(f"e{i}", task, "") for i in range(4)]  # no code: judged without a sandbox
    broken: Any = ("bad", None, "x = 1\n")  # no task: the judge itself raises
    items = [*good[:2], broken, *good[2:]]
    with RayExecutor(ray_cluster.address, judge_actors=1, max_attempts=2) as ex:
        options = {"batch_size": 1, "analyzers": []}
        judged = [g for chunk in ex.judge_stream(items, options) for g, _ in chunk]
        pool = ex.pool(options)
    assert sorted(judged) == ["e0", "e1", "e2", "e3"]
    assert ex.failed == 1  # "bad": tried twice, not stored, judged again on the next run
    assert pool.replaced == 0  # the actor raised but lived: it was kept


def test_a_provider_actor_killed_mid_run_loses_no_call(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    import ray

    from seccal.distributed.providers import RayProvider
    from seccal.models import Job
    from seccal.models.retry import RetryPolicy

    requests = _replay_file(tmp_path / "rec.jsonl", 40)
    spec = ModelSpec(
        "replay", "m", params={"path": str(tmp_path / "rec.jsonl")}, limits=Limits(concurrency=4)
    )
    with RayExecutor(ray_cluster.address, provider_actors=2) as ex:
        engine = Engine(provider_factory=ex.provider_factory, retry=RetryPolicy(0.05, 0.2))
        provider = engine.prepare(spec)
        assert isinstance(provider, RayProvider)
        victim = provider.actors[0]

        def kill_once(index: int, job: Job, response: GenerationResponse) -> None:
            if index == 0:  # Ray restarts it; calls it held fail as connection errors
                ray.kill(victim, no_restart=False)

        async def main() -> list[GenerationResponse]:
            try:
                return await engine.run([Job(spec, r) for r in requests], on_result=kill_once)
            finally:
                await engine.aclose()

        out = asyncio.run(main())
    assert [r.text for r in out] == [f"    return {i}\n" for i in range(40)]
    assert all(r.ok for r in out)


def test_cluster_and_driver_stay_on_loopback(ray_cluster: LocalCluster) -> None:
    """Every node and the driver talk over 127.0.0.1 only (no traffic on eth0)."""
    import ray

    addresses = {n["NodeManagerAddress"] for n in ray.nodes() if n.get("Alive")}
    assert addresses == {"127.0.0.1"}
    assert ray.util.get_node_ip_address() == "127.0.0.1"
