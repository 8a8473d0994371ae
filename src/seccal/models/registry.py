"""Provider registry: name → factory, with SDK imports deferred until a provider is created.

Built-in providers are registered by dotted path so that importing seccal never imports an
SDK; a missing SDK surfaces as a :class:`~seccal.errors.ConfigError` naming the extra to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from seccal.errors import ConfigError
from seccal.models.base import Provider
from seccal.models.spec import ModelSpec

ProviderFactory = Callable[[ModelSpec], Provider]

_OPENAI = "seccal.models.openai_compat:OpenAICompatProvider"
#: Built-in providers: name → ``module:attribute`` of a factory taking a ModelSpec.
_BUILTIN: dict[str, str] = {
    "openai": _OPENAI,
    "openai-compat": _OPENAI,
    "vllm": _OPENAI,
    "ollama": _OPENAI,
    "openrouter": _OPENAI,
    "dashscope": _OPENAI,
    "gemini": "seccal.models.gemini:GeminiProvider",
    "anthropic": "seccal.models.anthropic:AnthropicProvider",
    "llamacpp": "seccal.models.llamacpp:LlamaCppProvider",
    "replay": "seccal.models.replay:ReplayProvider",
    "mockllm": "seccal.models.mock:MockProvider",
}
#: The optional extra that provides each built-in provider's SDK.
_EXTRA: dict[str, str] = {
    _OPENAI: "openai",
    "seccal.models.gemini:GeminiProvider": "gemini",
    "seccal.models.anthropic:AnthropicProvider": "anthropic",
    "seccal.models.llamacpp:LlamaCppProvider": "llama",
}
#: Providers that check a spec before any work starts, without their SDK: name → function.
_VALIDATORS: dict[str, str] = {"llamacpp": "seccal.models.llamacpp:validate_spec"}
_CUSTOM: dict[str, ProviderFactory] = {}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Register (or replace) a provider factory under ``name``."""
    _CUSTOM[name] = factory


def provider_names() -> list[str]:
    """All provider names that :func:`create_provider` accepts."""
    return sorted(set(_BUILTIN) | set(_CUSTOM))


def _load(target: str) -> Any:
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        extra = _EXTRA.get(target, "")
        hint = f" (install seccal[{extra}])" if extra else ""
        raise ConfigError(f"provider module {module_name} cannot be imported: {exc}{hint}") from exc
    return getattr(module, attr)


def validate_spec(spec: ModelSpec) -> None:
    """Check what can be checked of ``spec`` before any work (e.g. a local model's file).

    Raises
    ------
    ConfigError
        Naming the model, when its provider finds it unusable.
    """
    target = _VALIDATORS.get(spec.provider)
    if target is not None and spec.provider not in _CUSTOM:
        _load(target)(spec)


def create_provider(spec: ModelSpec) -> Provider:
    """Create the provider that serves ``spec``.

    Raises
    ------
    ConfigError
        Unknown provider name, missing SDK, missing API key or bad parameters.
    """
    if spec.provider in _CUSTOM:
        return _CUSTOM[spec.provider](spec)
    target = _BUILTIN.get(spec.provider)
    if target is None:
        raise ConfigError(
            f"unknown model provider {spec.provider!r}; known: {', '.join(provider_names())}"
        )
    factory: ProviderFactory = _load(target)
    return factory(spec)
