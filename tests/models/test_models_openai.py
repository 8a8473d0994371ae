"""OpenAI chat completions through the real SDK against the fake server, with every fault."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer, FakeRequest, Reply, answer_text

from seccal.models import (
    Engine,
    ErrorKind,
    FinishReason,
    GenerationRequest,
    Job,
    Limits,
    ModelSpec,
)
from seccal.models.retry import RetryPolicy

pytest.importorskip("openai")

FAST = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05)


def _spec(server: FakeLLMServer, **kw: object) -> ModelSpec:
    limits = kw.pop("limits", Limits(concurrency=8, timeout_s=5.0, max_retries=3))
    return ModelSpec(
        "openai",
        "gpt-4o-mini",
        base_url=server.url + "/v1",
        limits=limits,
        **kw,  # type: ignore[arg-type]
    )


def _chat(text: str, **kw: object) -> GenerationRequest:
    return GenerationRequest.chat(("user", text), **kw)  # type: ignore[arg-type]


def test_chat_answer_with_logprobs_usage_and_cost(
    fake_server: FakeLLMServer, fake_key: str, tmp_path: Path
) -> None:
    async def main() -> None:
        async with Engine(cache=tmp_path / "c.sqlite", retry=FAST) as engine:
            req = _chat("write code", logprobs=True, top_logprobs=3, temperature=0.4)
            resp = await engine.generate(_spec(fake_server), req)
            assert resp.ok and resp.text == answer_text("write code")
            assert resp.logprobs is not None and len(resp.logprobs) == 4
            assert [a.token for a in resp.logprobs[0].top][1:] == ["alt1", "alt2"]
            assert resp.usage.output_tokens == 12
            assert resp.cost_usd == pytest.approx((2 * 0.15 + 12 * 0.60) / 1e6)
            assert resp.temperature_applied and not resp.cached
            body = fake_server.requests[-1]["body"]
            assert body["temperature"] == 0.4 and body["top_logprobs"] == 3
            assert fake_server.requests[-1]["headers"]["authorization"] == f"Bearer {fake_key}"

    asyncio.run(main())


def test_failures_recorded_with_cause_and_bounded_retries(
    fake_server: FakeLLMServer, fake_key: str, tmp_path: Path
) -> None:
    # The timeout must be far below the server's stall and far above a loaded machine's
    # ordinary answer: the fake server shares this process's GIL with the client.
    fake_server.slow_s = 6.0
    limits = Limits(concurrency=16, timeout_s=2.0, max_retries=2)
    spec = _spec(fake_server, limits=limits)
    prompts = {
        "p429": "a FAULT=429x2 RETRY=0",
        "p500": "b FAULT=500x1",
        "p503": "c FAULT=503",  # never recovers
        "reset": "d FAULT=resetx1",
        "timeout": "e FAULT=timeoutx1",
        "trunc": "f FAULT=truncated",  # never recovers
        "empty": "g FAULT=empty",
        "nolp": "h FAULT=nologprobs",
        "refusal": "i FAULT=refusal",
        "ok": "j plain",
    }
    jobs = [Job(spec, _chat(p, logprobs=True), tag=name) for name, p in prompts.items()]
    seen: list[str] = []
    engine = Engine(cache=tmp_path / "c.sqlite", retry=FAST)
    results = engine.run_sync(jobs, on_result=lambda i, job, r: seen.append(job.tag))
    by = {job.tag: r for job, r in zip(jobs, results, strict=True)}
    assert sorted(seen) == sorted(prompts)
    assert by["p429"].ok and by["p429"].attempts == 3
    assert by["p500"].ok and by["p500"].attempts == 2
    assert by["reset"].ok and by["timeout"].ok and by["ok"].ok
    err = by["p503"].error
    assert err is not None and err.kind is ErrorKind.SERVER and err.status == 503
    assert err.attempts == 3 and "retries exhausted" in err.message
    assert fake_server.attempts_for("FAULT=503") == 3  # 1 + max_retries, then stop
    trunc = by["trunc"].error
    assert trunc is not None and trunc.kind is ErrorKind.BAD_RESPONSE and trunc.attempts == 3
    assert by["empty"].ok and by["empty"].text == ""
    assert "model returned empty content" in by["empty"].notes
    assert by["nolp"].ok and by["nolp"].logprobs is None
    assert "logprobs requested but not returned" in by["nolp"].notes
    ref = by["refusal"]
    assert ref.ok and ref.finish_reason is FinishReason.REFUSAL and ref.refusal
    totals = engine.totals()["openai:gpt-4o-mini"]
    assert totals.failed == 2 and totals.calls == 8


def test_retry_after_is_honoured(fake_server: FakeLLMServer, fake_key: str) -> None:
    async def main() -> float:
        async with Engine(retry=FAST) as engine:
            t0 = time.monotonic()
            resp = await engine.generate(_spec(fake_server), _chat("k FAULT=429x1 RETRY=0.6"))
            assert resp.ok and resp.attempts == 2
            return time.monotonic() - t0

    assert asyncio.run(main()) >= 0.6


def test_cache_never_pays_twice_and_samples_stay_distinct(
    fake_server: FakeLLMServer, fake_key: str, tmp_path: Path
) -> None:
    spec = _spec(fake_server)
    jobs = [Job(spec, _chat("same", temperature=0.8, sample_index=i)) for i in range(3)]
    jobs.append(Job(spec, _chat("same", temperature=0.8, sample_index=0)))  # duplicate
    first = Engine(cache=tmp_path / "c.sqlite", retry=FAST)
    r1 = first.run_sync(jobs)
    assert len(fake_server.requests) == 3  # the duplicate shared its twin's call
    assert all(r.ok for r in r1)
    second = Engine(cache=tmp_path / "c.sqlite", retry=FAST)
    r2 = second.run_sync(jobs)
    assert len(fake_server.requests) == 3  # nothing paid again
    assert all(r.cached for r in r2) and [r.text for r in r2] == [r.text for r in r1]
    assert second.totals()["openai:gpt-4o-mini"].cost_usd == 0.0


def test_cost_limit_stops_issuing_calls(fake_server: FakeLLMServer, fake_key: str) -> None:
    spec = _spec(fake_server, limits=Limits(concurrency=1, max_retries=0))
    per_call = (0 * 0.15 + 12 * 0.60) / 1e6
    engine = Engine(retry=FAST, cost_limit_usd=per_call * 2.5)
    results = engine.run_sync([Job(spec, _chat(f"q{i}")) for i in range(6)])
    assert [r.ok for r in results] == [True, True, True, False, False, False]
    assert results[-1].error is not None and results[-1].error.kind is ErrorKind.COST_LIMIT
    assert engine.stop_reason is not None and "cost limit" in engine.stop_reason
    assert len(fake_server.requests) == 3


def test_reasoning_model_temperature_recorded_not_dropped(
    fake_server: FakeLLMServer, fake_key: str
) -> None:
    async def main() -> None:
        async with Engine(retry=FAST) as engine:
            o_spec = ModelSpec("openai", "o4-mini", base_url=fake_server.url + "/v1")
            resp = await engine.generate(o_spec, _chat("x", temperature=0.6))
            assert resp.ok and not resp.temperature_applied
            assert any("temperature 0.6 not sent" in n for n in resp.notes)
            body = fake_server.requests[-1]["body"]
            assert "temperature" not in body and body["max_completion_tokens"] == 512
            # A model the name table does not know: the server's 400 teaches us.
            resp2 = await engine.generate(
                _spec(fake_server), _chat("y FAULT=400temp", temperature=0.2)
            )
            assert resp2.ok and not resp2.temperature_applied

    asyncio.run(main())


def test_a_handler_chooses_text_logprobs_and_usage_and_faults_still_apply(
    fake_key: str,
) -> None:
    seen: list[str] = []

    def handler(request: FakeRequest) -> Reply | str | None:
        seen.append(request.fmt)
        if "default" in request.prompt:
            return None  # the server's own answer
        if "plain" in request.prompt:
            return "plain text"
        return Reply("Yes", [("Yes", -0.25, [("Yes", -0.25), ("No", -1.5)])], (7, 1))

    async def main(server: FakeLLMServer) -> None:
        async with Engine(retry=FAST) as engine:
            spec = _spec(server)
            asked = await engine.generate(
                spec, _chat("yes? FAULT=500x1", logprobs=True, top_logprobs=2)
            )
            assert asked.ok and asked.text == "Yes" and asked.attempts == 2
            assert asked.logprobs is not None and len(asked.logprobs) == 1
            assert [(a.token, a.logprob) for a in asked.logprobs[0].top] == [
                ("Yes", -0.25),
                ("No", -1.5),
            ]
            assert (asked.usage.input_tokens, asked.usage.output_tokens) == (7, 1)
            assert (await engine.generate(spec, _chat("plain"))).text == "plain text"
            default = await engine.generate(spec, _chat("default"))
            assert default.text == answer_text("default")

    with FakeLLMServer(handler, delay_s=0.01) as server:
        asyncio.run(main(server))
        assert server.hits == 4 and server.authorizations() == {f"Bearer {fake_key}"}
    assert seen == ["chat"] * 3  # the injected 500 is answered before the handler is asked
