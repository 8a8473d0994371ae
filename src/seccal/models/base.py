"""The model interface: what a generation request and its response are, and what a provider does.

Every provider (OpenAI-compatible, Gemini, Anthropic, local llama.cpp, replay) answers a
:class:`GenerationRequest` with a :class:`GenerationResponse`. The request carries *either* chat
``messages`` *or* a raw completion ``prompt``: base (pretrained) models such as the embedded
local default only work with completion-style prompts, while hosted chat models receive a raw
prompt as a single user message (recorded in ``notes``).

Providers raise :class:`ProviderError` for failures; the engine (:mod:`seccal.models.engine`)
turns them into retries or into a response whose ``error`` says what happened. A response is
plain, JSON-serialisable data so the run store and the response cache can keep it verbatim.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal, Protocol, runtime_checkable

from seccal.errors import ConfigError

Role = Literal["system", "user", "assistant"]
_ROLES: frozenset[str] = frozenset({"system", "user", "assistant"})


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message."""

    role: Role
    content: str

    def __post_init__(self) -> None:
        if self.role not in _ROLES:
            raise ValueError(f"message role must be one of {sorted(_ROLES)}, got {self.role!r}")


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    """What to ask a model, with the sampling settings.

    Attributes
    ----------
    messages:
        Chat messages. Exactly one of ``messages`` and ``prompt`` is given.
    prompt:
        A raw completion prompt (for base models, e.g. a code prefix with a docstring).
    temperature:
        Sampling temperature; ``None`` leaves the provider default. Reasoning models
        that reject it get the request without it and the response says
        ``temperature_applied=False``.
    max_tokens:
        Upper bound on generated tokens.
    stop:
        Stop sequences.
    top_p:
        Nucleus sampling; ``None`` leaves the provider default.
    seed:
        Sampling seed where the provider supports it. The local provider derives a distinct
        seed per ``sample_index`` so ``n`` samples at one temperature differ.
    sample_index:
        Which of the ``n`` samples at these settings this is. Part of the cache key, so
        samples stay distinct and a re-run finds each one again.
    logprobs:
        Ask for per-token log-probabilities of the generated text.
    top_logprobs:
        How many alternatives per token to return (0 = only the chosen token).
    """

    messages: tuple[Message, ...] = ()
    prompt: str | None = None
    temperature: float | None = 0.0
    max_tokens: int = 512
    stop: tuple[str, ...] = ()
    top_p: float | None = None
    seed: int | None = None
    sample_index: int = 0
    logprobs: bool = False
    top_logprobs: int = 0

    def __post_init__(self) -> None:
        if bool(self.messages) == (self.prompt is not None):
            raise ValueError("give exactly one of `messages` and `prompt`")
        if self.temperature is not None and not 0.0 <= self.temperature <= 2.0:
            raise ValueError(f"temperature must be in [0, 2], got {self.temperature}")
        if self.max_tokens < 1:
            raise ValueError(f"max_tokens must be >= 1, got {self.max_tokens}")
        if self.sample_index < 0:
            raise ValueError(f"sample_index must be >= 0, got {self.sample_index}")
        if not 0 <= self.top_logprobs <= 20:
            raise ValueError(f"top_logprobs must be in [0, 20], got {self.top_logprobs}")
        if self.top_logprobs and not self.logprobs:
            raise ValueError("top_logprobs needs logprobs=True")
        if self.top_p is not None and not 0.0 < self.top_p <= 1.0:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")

    @classmethod
    def chat(cls, *messages: tuple[Role, str] | Message, **kwargs: Any) -> GenerationRequest:
        """Build a chat request from ``(role, content)`` pairs or :class:`Message` objects."""
        msgs = tuple(m if isinstance(m, Message) else Message(m[0], m[1]) for m in messages)
        return cls(messages=msgs, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (used in the cache key and in recorded generations)."""
        # Written out rather than dataclasses.asdict: this runs for every call.
        return {
            "messages": [{"role": m.role, "content": m.content} for m in self.messages],
            "prompt": self.prompt,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "stop": list(self.stop),
            "top_p": self.top_p,
            "seed": self.seed,
            "sample_index": self.sample_index,
            "logprobs": self.logprobs,
            "top_logprobs": self.top_logprobs,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GenerationRequest:
        """Inverse of :meth:`to_dict`."""
        data = dict(d)
        data["messages"] = tuple(Message(m["role"], m["content"]) for m in data.get("messages", ()))
        data["stop"] = tuple(data.get("stop", ()))
        return cls(**data)


@dataclass(frozen=True, slots=True)
class TopLogprob:
    """One alternative token and its log-probability."""

    token: str
    logprob: float


@dataclass(frozen=True, slots=True)
class TokenLogprob:
    """A generated token, its log-probability and the most likely alternatives.

    Log-probabilities are those of the model's distribution before temperature or
    nucleus filtering, as the hosted APIs report them.
    """

    token: str
    logprob: float
    top: tuple[TopLogprob, ...] = ()


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts of one call (0 where the provider did not report them)."""

    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    #: Prompt tokens served from a prompt/KV cache instead of being processed again.
    cached_input_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens


class FinishReason(StrEnum):
    """Why generation stopped."""

    STOP = "stop"  # natural end or a stop sequence
    LENGTH = "length"  # max_tokens reached
    CONTENT_FILTER = "content_filter"
    REFUSAL = "refusal"
    ERROR = "error"  # no answer: see ``error``
    OTHER = "other"


class ErrorKind(StrEnum):
    """Cause of a failed call, as recorded on the response."""

    RATE_LIMIT = "rate_limit"  # 429
    SERVER = "server"  # 5xx
    CONNECTION = "connection"  # reset, refused, DNS
    TIMEOUT = "timeout"
    BAD_RESPONSE = "bad_response"  # unparseable or malformed body
    AUTH = "auth"  # 401/403 or missing key
    BAD_REQUEST = "bad_request"  # 4xx other than the above
    UNSUPPORTED = "unsupported"  # the provider cannot serve this request
    NOT_RECORDED = "not_recorded"  # replay: no recorded answer for this request
    COST_LIMIT = "cost_limit"  # the run's cost limit was reached: call not issued
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


RETRYABLE_KINDS: frozenset[ErrorKind] = frozenset(
    {
        ErrorKind.RATE_LIMIT,
        ErrorKind.SERVER,
        ErrorKind.CONNECTION,
        ErrorKind.TIMEOUT,
        ErrorKind.BAD_RESPONSE,
    }
)


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """What went wrong, recorded with the response (never contains API keys)."""

    kind: ErrorKind
    message: str
    status: int | None = None
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class GenerationResponse:
    """A model's answer, or the recorded reason there is none.

    Attributes
    ----------
    text:
        Generated text; ``None`` when the call failed, ``""`` when the model returned nothing.
    finish_reason:
        Why generation stopped.
    logprobs:
        Per-token log-probs when asked for and returned; ``None`` otherwise (a note says why).
    usage:
        Token counts.
    cost_usd:
        Cost of the call that produced this answer, from the price table; ``None`` when
        the model has no price entry. Cached answers keep the original cost (``cached``
        says it was not paid again); money spent by a run is ``Engine.totals()``.
    temperature_applied:
        ``False`` when the requested temperature was not sent (model rejects it).
    cached:
        Served from the response cache (no call made, no cost counted this run).
    error:
        Set when there is no answer.
    refusal:
        The model's refusal message, when the API reports one separately.
    model_version:
        The model name the API reported (may be more specific than requested).
    notes:
        Facts worth recording, e.g. "prompt sent as a user message", "logprobs not offered".
    latency_s:
        Wall time of the successful attempt (0 for cached answers).
    attempts:
        Calls made, retries included.
    """

    text: str | None
    finish_reason: FinishReason = FinishReason.STOP
    logprobs: tuple[TokenLogprob, ...] | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None
    temperature_applied: bool = True
    cached: bool = False
    error: ErrorInfo | None = None
    refusal: str | None = None
    model_version: str | None = None
    notes: tuple[str, ...] = ()
    latency_s: float = 0.0
    attempts: int = 1

    @property
    def ok(self) -> bool:
        """The model answered (possibly with empty text or a refusal)."""
        return self.error is None

    @classmethod
    def failure(cls, error: ErrorInfo, *, notes: tuple[str, ...] = ()) -> GenerationResponse:
        """A response recording a failed call."""
        return cls(
            text=None,
            finish_reason=FinishReason.ERROR,
            error=error,
            notes=notes,
            attempts=error.attempts,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        # Written out rather than dataclasses.asdict, whose deep copies dominate the
        # engine's per-call cost when log-probs are present.
        logprobs = None
        if self.logprobs is not None:
            logprobs = [
                {
                    "token": t.token,
                    "logprob": t.logprob,
                    "top": [{"token": a.token, "logprob": a.logprob} for a in t.top],
                }
                for t in self.logprobs
            ]
        error = None
        if self.error is not None:
            e = self.error
            error = {
                "kind": e.kind.value,
                "message": e.message,
                "status": e.status,
                "attempts": e.attempts,
            }
        u = self.usage
        return {
            "text": self.text,
            "finish_reason": self.finish_reason.value,
            "logprobs": logprobs,
            "usage": {
                "input_tokens": u.input_tokens,
                "output_tokens": u.output_tokens,
                "reasoning_tokens": u.reasoning_tokens,
                "cached_input_tokens": u.cached_input_tokens,
            },
            "cost_usd": self.cost_usd,
            "temperature_applied": self.temperature_applied,
            "cached": self.cached,
            "error": error,
            "refusal": self.refusal,
            "model_version": self.model_version,
            "notes": list(self.notes),
            "latency_s": self.latency_s,
            "attempts": self.attempts,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GenerationResponse:
        """Inverse of :meth:`to_dict`."""
        data = dict(d)
        if data.get("logprobs") is not None:
            data["logprobs"] = tuple(
                TokenLogprob(
                    t["token"], t["logprob"], tuple(TopLogprob(**a) for a in t.get("top", ()))
                )
                for t in data["logprobs"]
            )
        data["usage"] = Usage(**data.get("usage", {}))
        data["finish_reason"] = FinishReason(data.get("finish_reason", "stop"))
        if data.get("error") is not None:
            err = dict(data["error"])
            err["kind"] = ErrorKind(err["kind"])
            data["error"] = ErrorInfo(**err)
        data["notes"] = tuple(data.get("notes", ()))
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-model engine limits.

    Attributes
    ----------
    concurrency:
        Calls in flight at once for this model.
    requests_per_minute, tokens_per_minute:
        Rate limits (``None`` = unlimited). Tokens are estimated before the call
        (prompt characters / 4 + ``max_tokens``) and corrected after it.
    timeout_s:
        Per-attempt timeout.
    max_retries:
        Retries after the first attempt for retryable failures.
    """

    concurrency: int = 8
    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    timeout_s: float = 120.0
    max_retries: int = 4

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be > 0")


@dataclass(frozen=True)
class ModelSpec:
    """Which model to call and how.

    Attributes
    ----------
    provider:
        Registry name: ``openai``, ``openai-compat``, ``dashscope``, ``openrouter``, ``ollama``,
        ``vllm``, ``gemini``, ``anthropic``, ``llamacpp``, ``replay``.
    model:
        The model name at the provider (for ``llamacpp``: a named local model such as
        ``qwen2.5-coder-0.5b``, or a label when ``params["model_path"]`` names the GGUF).
    base_url:
        API base URL (``None`` = the provider's default).
    params:
        Provider-specific options that shape the output (e.g. ``extra_body``), part of the
        cache key except runtime-only keys (see :data:`RUNTIME_PARAMS`).
    api_key_env:
        Name of the environment variable holding the API key (``None`` = provider default).
        The key itself is never stored on the spec.
    limits:
        Concurrency, rate limits, timeout and retries for this model.
    """

    provider: str
    model: str
    base_url: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    api_key_env: str | None = None
    limits: Limits = field(default_factory=Limits)

    def __hash__(self) -> int:
        # params is a dict, so the generated field hash would fail; the engine key covers
        # every field (credentials are never on the spec).
        return hash(self.engine_key)

    @property
    def label(self) -> str:
        """Short display name, ``provider:model``."""
        return f"{self.provider}:{self.model}"

    def api_key(self, default_env: str | None = None, *, required: bool = True) -> str | None:
        """Read the API key from the environment.

        Raises
        ------
        ConfigError
            When ``required`` and the variable is unset (the message names the variable,
            never a value).
        """
        env = self.api_key_env or default_env
        if env is None:
            return None
        value = os.environ.get(env)
        if not value and required:
            raise ConfigError(f"{self.label}: environment variable {env} (API key) is not set")
        return value or None

    def __post_init__(self) -> None:
        for name in self.params:
            if any(word in name.lower() for word in ("api_key", "apikey", "authorization")):
                raise ConfigError(
                    f"{self.label}: params[{name!r}] looks like a credential; "
                    "put API keys in an environment variable named by api_key_env"
                )

    def identity(self) -> dict[str, Any]:
        """The parts of the spec that decide the output (used in cache keys)."""
        return {
            "provider": self.provider,
            "model": self.model,
            "base_url": self.base_url,
            "params": {k: v for k, v in sorted(self.params.items()) if k not in RUNTIME_PARAMS},
        }

    @cached_property
    def identity_json(self) -> str:
        """Canonical JSON of :meth:`identity` (computed once per spec: used on every call)."""
        return canonical_json(self.identity())

    @cached_property
    def engine_key(self) -> str:
        """Identity plus key variable and limits: calls sharing it share a provider."""
        return canonical_json([self.identity(), self.api_key_env, asdict(self.limits)])


def canonical_json(value: Any) -> str:
    """Sorted-key, compact JSON: equal values give equal text (for hashing)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


#: ``ModelSpec.params`` keys that change how a call runs, not what it answers.
RUNTIME_PARAMS: frozenset[str] = frozenset(
    {
        "n_threads",
        "n_threads_batch",
        "n_batch",
        "prompt_cache",
        "verbose",
        "timeout",
        "use_mmap",
        "price",
    }
)


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
