"""The provider boundary: what one model endpoint does, and how it fails.

Every provider (OpenAI-compatible, Gemini, Anthropic, local llama.cpp, replay, mockllm)
answers a :class:`~seccal.models.request.GenerationRequest` with a
:class:`~seccal.models.response.GenerationResponse`, making exactly one attempt. This is the
strict point of cut-off: retries, timeouts, rate limits, caching and cost live above it, in
the engine (:mod:`seccal.models.engine`), which turns a :class:`ProviderError` into a retry
or into a response whose ``error`` says what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from seccal.models.request import GenerationRequest
from seccal.models.response import RETRYABLE_KINDS, ErrorKind, GenerationResponse
from seccal.models.spec import ModelSpec


class ProviderError(Exception):
    """A failed call, classified so the engine knows whether to retry.

    Attributes
    ----------
    kind:
        The cause.
    status:
        HTTP status, when there was one.
    retry_after:
        Seconds the server asked us to wait (``Retry-After``), when given.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """Whether trying again may help."""
        return self.kind in RETRYABLE_KINDS


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a provider can do, so callers can plan (e.g. skip P(True) without log-probs)."""

    chat: bool = True
    completion_prompt: bool = False  # a raw prompt is sent as such, not as a user message
    logprobs: bool = False
    max_top_logprobs: int = 0
    max_concurrency: int | None = None  # e.g. 1 for a local model that runs one stream


@runtime_checkable
class Provider(Protocol):
    """One model endpoint.

    ``generate`` makes exactly one attempt: no retries, no caching, no cost accounting
    (the engine does those). It returns a response without ``cost_usd`` and raises
    :class:`ProviderError` on failure. ``timeout_s`` bounds the attempt.
    """

    spec: ModelSpec

    @property
    def capabilities(self) -> Capabilities:
        """What this provider supports."""
        ...

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """Make one attempt at answering ``request``."""
        ...

    async def aclose(self) -> None:
        """Release clients, threads and models."""
        ...
