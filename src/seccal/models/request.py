"""What to ask a model: chat messages or a raw completion prompt, with the sampling settings.

The request carries *either* chat ``messages`` *or* a raw completion ``prompt``: base
(pretrained) models such as the embedded local default only work with completion-style
prompts, while hosted chat models receive a raw prompt as a single user message (recorded in
the response's ``notes``). A request is plain data: its :meth:`GenerationRequest.to_dict`
is part of the response cache key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

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
