"""Anthropic Messages API through the real SDK against the fake server."""

from __future__ import annotations

import asyncio

import pytest
from fake_llm_server import FakeLLMServer, answer_text

from seccal.models import Engine, ErrorKind, FinishReason, GenerationRequest, Limits, ModelSpec
from seccal.models.retry import RetryPolicy

pytest.importorskip("anthropic")


def test_answer_refusal_no_logprobs_and_errors(fake_server: FakeLLMServer, fake_key: str) -> None:
    spec = ModelSpec(
        "anthropic",
        "claude-3-5-haiku-20241022",
        base_url=fake_server.url,
        limits=Limits(max_retries=1),
    )

    async def main() -> None:
        async with Engine(retry=RetryPolicy(base_delay_s=0.01)) as engine:
            req = GenerationRequest.chat(
                ("system", "be brief"), ("user", "hello"), logprobs=True, temperature=0.0
            )
            ok = await engine.generate(spec, req)
            assert ok.ok and ok.text == answer_text("hello") and ok.logprobs is None
            assert "logprobs not offered by the Anthropic API" in ok.notes
            assert ok.cost_usd == pytest.approx((1 * 0.80 + 12 * 4.0) / 1e6)
            refused = await engine.generate(spec, GenerationRequest.chat(("user", "FAULT=refusal")))
            assert refused.ok and refused.finish_reason is FinishReason.REFUSAL
            failed = await engine.generate(spec, GenerationRequest.chat(("user", "FAULT=503")))
            assert failed.error is not None and failed.error.kind is ErrorKind.SERVER
            assert failed.error.attempts == 2

    asyncio.run(main())
    body = fake_server.requests[0]["body"]
    assert body["system"] == "be brief" and body["temperature"] == 0.0
    assert (
        fake_server.requests[0]["headers"]
        .get("x-api-key", fake_server.requests[0]["headers"].get("authorization", ""))
        .endswith(fake_key)
    )
