"""A model's answer, or the recorded reason there is none.

A response is plain, JSON-serialisable data so the run store and the response cache can keep
it verbatim; a failed call is a response too (:meth:`GenerationResponse.failure`), whose
:class:`ErrorInfo` says what went wrong and after how many attempts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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
