"""``mockllm``: an in-process provider that answers from a function or a list; no HTTP, no key.

For tests of code that drives models (a study, repair, elicitation) and for a dry run of a
study file: the whole pipeline runs, offline and free, on answers you choose. Wire-level
behaviour (SDKs, retries on 429, timeouts) is what the other providers' tests cover.

From a study file, answers come from ``params``::

    [[models]]
    name = "mock"
    provider = "mockllm"
    model = "mock"
    params = { outputs = ["```python\\nprint('hi')\\n```\\nConfidence: 80%"] }

``params.outputs`` (a list of texts) is answered by a hash of the request, so the same
request always gets the same text (a resumed run agrees with an uninterrupted one); without
it every answer is :data:`DEFAULT_OUTPUT`. From Python, register a function instead::

    register_provider("scripted", mock_provider(lambda request: "Confidence: 70%"))

A function may return a text or a whole :class:`~seccal.models.response.GenerationResponse`
(log-probs, a refusal, an error) and may raise :class:`~seccal.models.base.ProviderError`
to exercise the engine's retries. Answers cost nothing (:data:`seccal.models.pricing.FREE_PROVIDERS`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

from seccal.errors import ConfigError
from seccal.models.base import Capabilities, Provider
from seccal.models.request import GenerationRequest
from seccal.models.response import GenerationResponse, TokenLogprob, TopLogprob, Usage
from seccal.models.spec import ModelSpec, canonical_json

#: The answer when neither a function nor ``params.outputs`` is given.
DEFAULT_OUTPUT = "Default output from mockllm."
#: What a request is answered with: a text, or a complete response.
Answer = Callable[[GenerationRequest], "str | GenerationResponse"]


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for word in text.split(" "):
        out.append(word if not out else " " + word)
    return [t for t in out if t]


class MockProvider:
    """Answers every request with ``answer(request)``, in this process.

    Text answers get usage estimates (characters / 4) and, when asked for, log-probs of
    probability 0.9 per whitespace-separated token. ``requests`` records what was asked.
    """

    def __init__(self, spec: ModelSpec, answer: Answer | None = None) -> None:
        self.spec = spec
        self.requests: list[GenerationRequest] = []
        if answer is None:
            outputs = spec.params.get("outputs", [DEFAULT_OUTPUT])
            if not (
                isinstance(outputs, list) and outputs and all(isinstance(o, str) for o in outputs)
            ):
                raise ConfigError(f"{spec.label}: params.outputs must be a non-empty list of texts")
            answer = _from_list(list(outputs))
        self._answer = answer

    @property
    def capabilities(self) -> Capabilities:
        """Chat and raw prompts, log-probs with up to 20 alternatives."""
        return Capabilities(chat=True, completion_prompt=True, logprobs=True, max_top_logprobs=20)

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """One answer from the function (``timeout_s`` is not needed: nothing waits)."""
        self.requests.append(request)
        result = self._answer(request)
        if isinstance(result, GenerationResponse):
            return result
        asked = len(request.prompt or "") + sum(len(m.content) for m in request.messages)
        tokens = _tokens(result)
        logprobs = None
        if request.logprobs:
            lp = math.log(0.9)
            logprobs = tuple(
                TokenLogprob(t, lp, (TopLogprob(t, lp),) if request.top_logprobs else ())
                for t in tokens
            )
        return GenerationResponse(
            text=result,
            logprobs=logprobs,
            usage=Usage(asked // 4, len(tokens)),
            model_version=self.spec.model,
        )

    async def aclose(self) -> None:
        """Nothing to release."""


def _from_list(outputs: list[str]) -> Answer:
    def answer(request: GenerationRequest) -> str:
        digest = hashlib.sha256(canonical_json(request.to_dict()).encode()).digest()
        return outputs[int.from_bytes(digest[:8], "big") % len(outputs)]

    return answer


def mock_provider(answer: Answer) -> Callable[[ModelSpec], Provider]:
    """A provider factory for :func:`~seccal.models.registry.register_provider`."""
    return lambda spec: MockProvider(spec, answer)
