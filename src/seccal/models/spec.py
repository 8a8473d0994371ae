"""Which model to call and how: :class:`ModelSpec` and its engine :class:`Limits`.

A spec names a provider from the registry (:mod:`seccal.models.registry`), the model, its
base URL and output-shaping parameters; its :meth:`ModelSpec.identity` is the model part of
every cache key. API keys are never on the spec, only the name of the environment variable.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from seccal.errors import ConfigError


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
        ``vllm``, ``gemini``, ``anthropic``, ``llamacpp``, ``replay``, ``mockllm``.
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
