"""The Ray executor on a real local cluster: same results as the local executor."""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from ray_cluster import LocalCluster
from ray_tasks import work_items

from seccal.distributed import LocalExecutor, RayExecutor
from seccal.errors import ConfigError
from seccal.models import Engine, GenerationRequest, GenerationResponse, Limits, ModelSpec, Usage
from seccal.models.pricing import Price, PriceTable

pytestmark = [pytest.mark.ray, pytest.mark.sandbox]

JUDGE = {"batch_size": 2, "analyzers": ["bandit", "semgrep"]}
_ADDRESS = re.compile(r"0x[0-9a-f]{6,}")


def _comparable(verdict: Any) -> str:
    d = dict(verdict.to_dict())
    d.pop("timings", None)  # wall times differ from run to run
    # Failure messages may print object addresses (<Connection at 0x7f...>): never repeatable.
    return _ADDRESS.sub("0x?", json.dumps(d, sort_keys=True))


def test_ray_judging_matches_local(ray_cluster: LocalCluster) -> None:
    items = [i for i in work_items() if "secure" in i[0] or i[0].startswith("count-orders")]
    local = {g: _comparable(v) for c in LocalExecutor().judge_stream(items, JUDGE) for g, v in c}
    with RayExecutor(ray_cluster.address, judge_actors=2) as ex:
        chunks = list(ex.judge_stream(iter(items), JUDGE))
        infos = ex.pool(JUDGE).infos
    assert len(items) == 8 and all(len(c) <= 2 for c in chunks)
    remote = [(g, _comparable(v)) for c in chunks for g, v in c]
    assert sorted(g for g, _ in remote) == sorted(local)  # every item exactly once
    assert dict(remote) == local
    assert ex.failed == 0
    # Two actors in two processes, neither of them this one, each with its own sandbox uid.
    pids = {info["pid"] for info in infos.values()}
    assert len(pids) == 2 and os.getpid() not in pids
    assert {info["isolation"] for info in infos.values()} == {"strong"}


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


def test_killing_a_worker_node_mid_run_loses_nothing(ray_cluster: LocalCluster) -> None:
    items = work_items(copies=2)  # 24 snippets
    options = {"batch_size": 2, "analyzers": ["bandit"]}
    ray_cluster.add_worker("doomed")
    with RayExecutor(ray_cluster.address, judge_actors=3) as ex:
        pool = ex.pool(options)
        assert pool.wait_started(120) == 3
        seen: list[str] = []
        verdicts: dict[str, Any] = {}
        for n, chunk in enumerate(ex.judge_stream(items, options)):
            if n == 0:
                ray_cluster.kill("doomed")  # raylet and every worker process of that node
            for g, v in chunk:
                seen.append(g)
                verdicts[g] = v
        assert pool.replaced >= 1  # the doomed node's actor died with work in flight
        assert ex.failed == 0
    assert sorted(seen) == sorted(g for g, _, _ in items)  # nothing lost, nothing twice
    for g, v in verdicts.items():
        kind = g.split("-")[-2]
        expected = {"secure": "secure", "insecure": "vulnerable"}.get(kind, "unknown")
        assert v.security["dynamic"] == expected, g
