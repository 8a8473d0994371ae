"""Gemini through the real google-genai client against the fake server."""

from __future__ import annotations

import asyncio

import pytest
from fake_llm_server import FakeLLMServer, answer_text

from seccal.models import Engine, ErrorKind, FinishReason, GenerationRequest, Job, Limits, ModelSpec
from seccal.models.retry import RetryPolicy

pytest.importorskip("google.genai")

FAST = RetryPolicy(base_delay_s=0.01, max_delay_s=0.05)


def _spec(server: FakeLLMServer, limits: Limits | None = None) -> ModelSpec:
    return ModelSpec(
        "gemini",
        "gemini-2.0-flash",
        base_url=server.url,
        limits=limits or Limits(timeout_s=5.0, max_retries=2),
    )


def test_answer_with_logprobs_system_instruction_and_cost(
    fake_server: FakeLLMServer, fake_key: str
) -> None:
    req = GenerationRequest.chat(
        ("system", "You write Python."),
        ("user", "sort a list"),
        temperature=0.2,
        logprobs=True,
        top_logprobs=2,
        max_tokens=64,
    )

    async def main() -> None:
        async with Engine(retry=FAST) as engine:
            resp = await engine.generate(_spec(fake_server), req)
            assert resp.ok and resp.text == answer_text("sort a list")
            assert resp.logprobs is not None and resp.logprobs[0].logprob == pytest.approx(-0.3)
            assert [a.token for a in resp.logprobs[0].top][1:] == ["alt1"]
            assert resp.model_version == "gemini-2.0-flash-001"
            assert resp.cost_usd == pytest.approx((2 * 0.10 + 12 * 0.40) / 1e6)

    asyncio.run(main())
    sent = fake_server.requests[-1]
    assert sent["path"].endswith("/models/gemini-2.0-flash:generateContent")
    assert sent["headers"]["x-goog-api-key"] == fake_key
    config = sent["body"]["generationConfig"]
    assert config["temperature"] == 0.2 and config["maxOutputTokens"] == 64
    assert config["responseLogprobs"] is True and config["logprobs"] == 2
    assert sent["body"]["systemInstruction"]["parts"][0]["text"] == "You write Python."


def test_faults_are_recorded_and_retries_bounded(fake_server: FakeLLMServer, fake_key: str) -> None:
    # The timeout must be far below the server's stall and far above a loaded machine's
    # ordinary answer: the fake server shares this process's GIL with the client.
    fake_server.slow_s = 6.0
    spec = _spec(fake_server, Limits(concurrency=8, timeout_s=2.0, max_retries=2))
    prompts = {
        "p429": "FAULT=429x1 RETRY=0",
        "p500": "FAULT=500",
        "p503": "FAULT=503x2",
        "reset": "FAULT=resetx1",
        "timeout": "FAULT=timeoutx1",
        "trunc": "FAULT=truncatedx1",
        "empty": "FAULT=empty",
        "nolp": "FAULT=nologprobs",
        "refusal": "FAULT=refusal",
    }
    jobs = [
        Job(spec, GenerationRequest(prompt=f"{k} {p}", logprobs=True), tag=k)
        for k, p in prompts.items()
    ]
    results = Engine(retry=FAST).run_sync(jobs)
    by = {job.tag: r for job, r in zip(jobs, results, strict=True)}
    for name in ("p429", "p503", "reset", "timeout", "trunc"):
        assert by[name].ok, (name, by[name].error)
    assert by["p429"].attempts == 2 and by["p503"].attempts == 3
    err = by["p500"].error
    assert err is not None and err.kind is ErrorKind.SERVER and err.attempts == 3
    assert fake_server.attempts_for("FAULT=500") == 3
    assert by["empty"].text == "" and "model returned empty content" in by["empty"].notes
    assert by["nolp"].logprobs is None and "logprobs requested but not returned" in by["nolp"].notes
    assert by["refusal"].finish_reason is FinishReason.CONTENT_FILTER and by["refusal"].refusal
    assert any("single user turn" in n for n in by["empty"].notes)


def test_model_without_logprobs_answers_and_says_so(
    fake_server: FakeLLMServer, fake_key: str
) -> None:
    spec = ModelSpec("gemini", "gemini-nolp", base_url=fake_server.url)

    async def main() -> None:
        async with Engine(retry=FAST) as engine:
            for _ in range(2):  # the second call skips the rejected option at once
                resp = await engine.generate(spec, GenerationRequest(prompt="x", logprobs=True))
                assert resp.ok and resp.logprobs is None
                assert "logprobs not offered for this model" in resp.notes

    asyncio.run(main())
    assert len(fake_server.requests) == 3
