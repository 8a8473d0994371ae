"""OpenAI-compatible presets: DashScope thinking switch, completion prompts for vLLM/Ollama."""

from __future__ import annotations

import asyncio

import pytest
from fake_llm_server import FakeLLMServer, answer_text

from seccal.errors import ConfigError
from seccal.models import Engine, GenerationRequest, ModelSpec, create_provider

pytest.importorskip("openai")


def test_dashscope_sends_thinking_off_and_uses_its_key(
    fake_server: FakeLLMServer, fake_key: str
) -> None:
    spec = ModelSpec("dashscope", "qwen3-coder-next", base_url=fake_server.url + "/v1")

    async def main() -> None:
        async with Engine() as engine:
            resp = await engine.generate(spec, GenerationRequest.chat(("user", "hi")))
            assert resp.ok and resp.cost_usd is not None

    asyncio.run(main())
    sent = fake_server.requests[-1]
    assert sent["body"]["enable_thinking"] is False
    assert sent["headers"]["authorization"] == f"Bearer {fake_key}"


def test_vllm_completion_prompt_with_logprobs(fake_server: FakeLLMServer) -> None:
    spec = ModelSpec("vllm", "Qwen/Qwen2.5-Coder-0.5B", base_url=fake_server.url + "/v1")
    req = GenerationRequest(prompt="def f():", logprobs=True, top_logprobs=2, stop=("\n\n",))

    async def main() -> None:
        async with Engine() as engine:
            resp = await engine.generate(spec, req)
            assert resp.ok and resp.text == answer_text("def f():")
            assert resp.logprobs is not None and resp.logprobs[0].top[0].logprob == -0.2
            assert resp.notes == ("no price for Qwen/Qwen2.5-Coder-0.5B: cost not counted",)

    asyncio.run(main())
    sent = fake_server.requests[-1]
    assert sent["path"] == "/v1/completions" and sent["body"]["logprobs"] == 2
    assert sent["body"]["stop"] == ["\n\n"]


def test_openai_prompt_becomes_user_message(fake_server: FakeLLMServer, fake_key: str) -> None:
    spec = ModelSpec("openai", "gpt-4o-mini", base_url=fake_server.url + "/v1")

    async def main() -> None:
        async with Engine() as engine:
            resp = await engine.generate(spec, GenerationRequest(prompt="def g():"))
            assert any("single user message" in n for n in resp.notes)

    asyncio.run(main())
    assert fake_server.requests[-1]["body"]["messages"] == [{"role": "user", "content": "def g():"}]


def test_unknown_provider_and_missing_base_url() -> None:
    with pytest.raises(ConfigError, match="unknown model provider 'nope'"):
        create_provider(ModelSpec("nope", "m"))
    with pytest.raises(ConfigError, match="base_url is required"):
        create_provider(ModelSpec("vllm", "m"))


def test_server_rejecting_logprobs_and_temperature_still_answers(
    fake_server: FakeLLMServer, fake_key: str
) -> None:
    spec = ModelSpec("openai-compat", "coder-nolp", base_url=fake_server.url + "/v1")
    req = GenerationRequest.chat(("user", "z FAULT=400temp"), logprobs=True, temperature=0.3)

    async def main() -> None:
        async with Engine() as engine:
            resp = await engine.generate(spec, req)
            assert resp.ok and resp.logprobs is None and not resp.temperature_applied
            assert resp.notes.count("logprobs not offered for this model") == 1
            assert any("temperature 0.3 not sent" in n for n in resp.notes)

    asyncio.run(main())
    last = fake_server.requests[-1]["body"]
    assert "logprobs" not in last and "temperature" not in last
