"""The in-process ``mockllm`` provider, driven through the registry and the engine."""

from __future__ import annotations

import asyncio

import pytest

from seccal.errors import ConfigError
from seccal.models import (
    Engine,
    ErrorKind,
    GenerationRequest,
    GenerationResponse,
    Limits,
    ModelSpec,
    ProviderError,
    create_provider,
    provider_names,
    register_provider,
)
from seccal.models.mock import DEFAULT_OUTPUT, MockProvider, mock_provider
from seccal.models.retry import RetryPolicy

ASK = GenerationRequest.chat(("user", "Is this code secure?"), logprobs=True, top_logprobs=2)


def _answer(spec: ModelSpec, request: GenerationRequest) -> GenerationResponse:
    async def go() -> GenerationResponse:
        async with Engine(retry=RetryPolicy(base_delay_s=0.0, max_delay_s=0.0)) as engine:
            return await engine.generate(spec, request)

    return asyncio.run(go())


def test_mockllm_is_a_builtin_provider_answering_from_params_outputs() -> None:
    assert "mockllm" in provider_names()
    outputs = ["Confidence: 10%", "Confidence: 90%"]
    spec = ModelSpec("mockllm", "m", params={"outputs": outputs})
    resp = _answer(spec, ASK)
    assert resp.ok and resp.text in outputs and resp.cost_usd == 0.0
    # the same request always gets the same output: a resumed run agrees with a fresh one
    assert all(_answer(spec, ASK).text == resp.text for _ in range(3))
    texts = {_answer(spec, GenerationRequest(prompt=f"p{i}")).text for i in range(20)}
    assert texts == set(outputs)
    assert resp.logprobs is not None and resp.text is not None
    assert [t.token for t in resp.logprobs] == ["Confidence:", " " + resp.text.split()[1]]
    assert all(len(t.top) == 1 and t.logprob < 0 for t in resp.logprobs)


def test_default_output_and_bad_params() -> None:
    assert _answer(ModelSpec("mockllm", "m"), ASK).text == DEFAULT_OUTPUT
    with pytest.raises(ConfigError, match=r"params\.outputs"):
        create_provider(ModelSpec("mockllm", "m", params={"outputs": "one text"}))


def test_a_registered_function_answers_and_its_errors_are_retried() -> None:
    failures = iter([ProviderError(ErrorKind.SERVER, "injected 500", status=500)])

    def answer(request: GenerationRequest) -> str:
        error = next(failures, None)
        if error is not None:
            raise error
        return f"echo: {request.messages[-1].content}"

    register_provider("echo-mock", mock_provider(answer))
    spec = ModelSpec("echo-mock", "m", limits=Limits(max_retries=1))
    resp = _answer(spec, GenerationRequest.chat(("user", "hi")))
    assert resp.ok and resp.text == "echo: hi" and resp.attempts == 2
    assert resp.logprobs is None and resp.usage.input_tokens == 0


def test_a_function_may_return_a_whole_response_and_requests_are_recorded() -> None:
    refusal = GenerationResponse(text="", refusal="no")
    provider = MockProvider(ModelSpec("mockllm", "m"), lambda request: refusal)
    assert asyncio.run(provider.generate(ASK, timeout_s=1.0)) is refusal
    assert provider.requests == [ASK] and provider.capabilities.logprobs
