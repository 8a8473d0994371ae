"""Engine behaviour with an in-process provider: concurrency, limits, timeouts, callbacks."""

from __future__ import annotations

import asyncio
import time

import pytest

from seccal.models import (
    Capabilities,
    Engine,
    ErrorKind,
    GenerationRequest,
    GenerationResponse,
    Job,
    Limits,
    ModelSpec,
    Usage,
)
from seccal.models.retry import RetryPolicy


class SleepyProvider:
    """Answers after ``params['delay']`` seconds; prompts starting with ``boom``/``hang`` fail."""

    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls = 0

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(completion_prompt=True)

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        self.calls += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            prompt = request.prompt or ""
            if prompt.startswith("boom"):
                raise KeyError("provider bug")
            await asyncio.sleep(30 if prompt.startswith("hang") else self.spec.params["delay"])
            return GenerationResponse(text=prompt.upper(), usage=Usage(10, 5))
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        pass


def _engine(**kw: object) -> tuple[Engine, list[SleepyProvider]]:
    made: list[SleepyProvider] = []

    def factory(spec: ModelSpec) -> SleepyProvider:
        made.append(SleepyProvider(spec))
        return made[-1]

    engine = Engine(provider_factory=factory, retry=RetryPolicy(base_delay_s=0.01), **kw)  # type: ignore[arg-type]
    return engine, made


def test_concurrency_limit_per_model() -> None:
    engine, made = _engine()
    spec = ModelSpec("sleepy", "a", params={"delay": 0.02}, limits=Limits(concurrency=3))
    other = ModelSpec("sleepy", "b", params={"delay": 0.02}, limits=Limits(concurrency=2))
    jobs = [Job(s, GenerationRequest(prompt=f"p{i}")) for i in range(12) for s in (spec, other)]
    results = engine.run_sync(jobs)
    assert all(r.ok for r in results) and len(made) == 2
    assert made[0].max_in_flight == 3 and made[1].max_in_flight == 2
    assert results[0].text == "P0" and engine.totals()["sleepy:a"].calls == 12


def test_timeout_and_provider_bug_are_recorded_and_run_continues() -> None:
    engine, made = _engine()
    spec = ModelSpec(
        "sleepy", "a", params={"delay": 0.0}, limits=Limits(timeout_s=0.2, max_retries=2)
    )
    jobs = [Job(spec, GenerationRequest(prompt=p)) for p in ("hang", "boom", "fine")]
    t0 = time.monotonic()
    hang, boom, fine = engine.run_sync(jobs)
    assert time.monotonic() - t0 < 2.0
    assert hang.error is not None and hang.error.kind is ErrorKind.TIMEOUT
    assert hang.error.attempts == 3  # timeouts are retried, up to the bound
    assert boom.error is not None and boom.error.kind is ErrorKind.UNKNOWN
    assert boom.error.attempts == 1 and "KeyError" in boom.error.message  # not retried
    assert fine.ok and made[0].calls == 5


def test_token_rate_limit_refunds_overestimates() -> None:
    engine, _ = _engine()
    # 6000 tokens/min: a 1000-token bucket refilled at 100/s. Each call reserves ~400
    # (max_tokens) but uses 15, so the refund keeps five calls from waiting ~10 s.
    spec = ModelSpec(
        "sleepy", "a", params={"delay": 0.0}, limits=Limits(concurrency=1, tokens_per_minute=6000)
    )
    t0 = time.monotonic()
    engine.run_sync(
        [Job(spec, GenerationRequest(prompt=f"q{i}", max_tokens=400)) for i in range(5)]
    )
    assert time.monotonic() - t0 < 3.0


def test_callback_failure_stops_the_run() -> None:
    engine, made = _engine()
    spec = ModelSpec("sleepy", "a", params={"delay": 0.01}, limits=Limits(concurrency=1))

    def store(index: int, job: Job, response: GenerationResponse) -> None:
        if index == 1:
            raise OSError("disk full")

    jobs = [Job(spec, GenerationRequest(prompt=f"q{i}")) for i in range(50)]
    with pytest.raises(OSError, match="disk full"):
        engine.run_sync(jobs, on_result=store)
    assert made[0].calls < 50
    # Also when jobs are scheduled through a small window (huge runs): no new calls start.
    engine, made = _engine()
    with pytest.raises(OSError, match="disk full"):
        asyncio.run(engine.run(jobs, on_result=store, max_pending=2))
    assert made[0].calls <= 4


def test_async_callback_sees_every_result_in_completion_order() -> None:
    engine, _ = _engine()
    spec = ModelSpec("sleepy", "a", params={"delay": 0.0})
    seen: list[int] = []

    async def store(index: int, job: Job, response: GenerationResponse) -> None:
        await asyncio.sleep(0)
        seen.append(index)

    engine.run_sync(
        [Job(spec, GenerationRequest(prompt=f"q{i}")) for i in range(20)], on_result=store
    )
    assert sorted(seen) == list(range(20))


def test_request_rate_limit_spaces_calls() -> None:
    engine, made = _engine()
    # 600/min: a burst of 100, then 10 per second.
    spec = ModelSpec(
        "sleepy",
        "a",
        params={"delay": 0.0},
        limits=Limits(concurrency=64, requests_per_minute=600),
    )
    t0 = time.monotonic()
    engine.run_sync([Job(spec, GenerationRequest(prompt=f"q{i}")) for i in range(106)])
    assert time.monotonic() - t0 >= 0.5 and made[0].calls == 106
