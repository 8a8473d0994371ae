"""OpenAI chat completions and any OpenAI-compatible server (vLLM, Ollama, OpenRouter, DashScope).

Presets fill in the base URL, key variable and required extras per provider name; the spec's
``base_url``/``api_key_env``/``params`` override them. Raw completion prompts go to
``/v1/completions`` where the server offers it (vLLM, Ollama, ``openai-compat`` by default;
``params["prompt_mode"] = "completion" | "chat"`` overrides); elsewhere they are sent as one
user message and the response notes it.

``params`` understood here: ``extra_body`` (merged into the request body, e.g. DashScope's
``{"enable_thinking": false}``), ``supports_temperature`` (bool), ``prompt_mode``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import openai

from seccal.errors import ConfigError
from seccal.models._common import (
    as_messages,
    is_temperature_rejection,
    kind_for_status,
    rejects_temperature,
)
from seccal.models.base import Capabilities, ProviderError
from seccal.models.request import GenerationRequest
from seccal.models.response import (
    ErrorKind,
    FinishReason,
    GenerationResponse,
    TokenLogprob,
    TopLogprob,
    Usage,
)
from seccal.models.retry import parse_retry_after
from seccal.models.spec import ModelSpec


@dataclass(frozen=True, slots=True)
class Preset:
    """Defaults for one OpenAI-compatible service."""

    base_url: str | None
    key_env: str | None
    key_required: bool = True
    completion_prompts: bool = False
    extra_body: dict[str, Any] = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    "openai": Preset(None, "OPENAI_API_KEY"),
    "openai-compat": Preset(None, "OPENAI_COMPAT_API_KEY", False, True),
    "vllm": Preset(None, "VLLM_API_KEY", False, True),
    "ollama": Preset("http://localhost:11434/v1", "OLLAMA_API_KEY", False, True),
    "openrouter": Preset("https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
    # Qwen3 models on DashScope's compatible mode: thinking off through the documented
    # `enable_thinking` body parameter (non-thinking models such as qwen3-coder-next ignore it).
    "dashscope": Preset(
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
        "DASHSCOPE_API_KEY",
        extra_body={"enable_thinking": False},
    ),
}

_FINISH = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "content_filter": FinishReason.CONTENT_FILTER,
}


def _finish(reason: str | None) -> FinishReason:
    return _FINISH.get(reason or "stop", FinishReason.OTHER)


class OpenAICompatProvider:
    """Provider for the OpenAI API and compatible servers (one attempt per ``generate``)."""

    def __init__(self, spec: ModelSpec) -> None:
        preset = PRESETS.get(spec.provider, PRESETS["openai-compat"])
        base_url = spec.base_url or preset.base_url
        if base_url is None and spec.provider not in ("openai",):
            raise ConfigError(f"{spec.label}: base_url is required for provider {spec.provider}")
        key = spec.api_key(preset.key_env, required=preset.key_required)
        self.spec = spec
        self._openai = openai
        # max_retries=0: the engine owns retries (with its own bound and jitter).
        self._client = openai.AsyncOpenAI(api_key=key or "unused", base_url=base_url, max_retries=0)
        mode = spec.params.get("prompt_mode")
        if mode not in (None, "chat", "completion"):
            raise ConfigError(f"{spec.label}: params.prompt_mode must be 'chat' or 'completion'")
        self._completion_prompts = (
            preset.completion_prompts if mode is None else mode == "completion"
        )
        extra = dict(preset.extra_body)
        extra.update(spec.params.get("extra_body") or {})
        self._extra_body = extra or None
        self._no_temperature = rejects_temperature(
            spec.model, spec.params.get("supports_temperature")
        )
        self._no_logprobs = False

    @property
    def capabilities(self) -> Capabilities:
        """Chat, optional completion prompts, log-probs up to 20 alternatives."""
        return Capabilities(True, self._completion_prompts, True, 20)

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """One attempt; see :class:`~seccal.models.base.Provider`."""
        notes: list[str] = []
        skip_temperature = self._no_temperature
        for _ in range(3):  # later passes only after the server rejected an option
            if request.logprobs and self._no_logprobs:
                request = replace(request, logprobs=False, top_logprobs=0)
                notes.append("logprobs not offered for this model")
            try:
                if request.prompt is not None and self._completion_prompts:
                    return await self._complete(request, timeout_s, skip_temperature, notes)
                return await self._chat(request, timeout_s, skip_temperature, notes)
            except self._openai.BadRequestError as exc:
                # Reasoning models reject `temperature`; some servers reject log-probs.
                # Either way: answer without the option and record that on the response.
                if not skip_temperature and is_temperature_rejection(str(exc)):
                    self._no_temperature = skip_temperature = True
                elif request.logprobs and "logprob" in str(exc).lower():
                    self._no_logprobs = True
                else:
                    raise self._error(exc) from exc
            except Exception as exc:
                raise self._error(exc) from exc
        raise ProviderError(ErrorKind.BAD_REQUEST, "request rejected three times")

    def _sampling(
        self, request: GenerationRequest, skip_temperature: bool, notes: list[str]
    ) -> dict[str, Any]:
        args: dict[str, Any] = {"model": self.spec.model}
        if request.temperature is not None:
            if skip_temperature:
                notes.append(f"temperature {request.temperature} not sent: model rejects it")
            else:
                args["temperature"] = request.temperature
        if request.top_p is not None:
            args["top_p"] = request.top_p
        if request.stop:
            args["stop"] = list(request.stop)
        if request.seed is not None:
            args["seed"] = request.seed
        if self._extra_body:
            args["extra_body"] = self._extra_body
        return args

    async def _chat(
        self,
        request: GenerationRequest,
        timeout_s: float,
        skip_temperature: bool,
        notes: list[str],
    ) -> GenerationResponse:
        messages, prompt_notes = as_messages(request)
        notes.extend(prompt_notes)
        args = self._sampling(request, skip_temperature, notes)
        # Reasoning models take max_completion_tokens; others accept max_tokens.
        args["max_completion_tokens" if skip_temperature else "max_tokens"] = request.max_tokens
        if request.logprobs:
            args["logprobs"] = True
            if request.top_logprobs:
                args["top_logprobs"] = request.top_logprobs
        resp = await self._client.chat.completions.create(
            messages=[{"role": m.role, "content": m.content} for m in messages],  # type: ignore[misc]
            timeout=timeout_s,
            **args,
        )
        try:
            return self._parse_chat(resp, request, skip_temperature, notes)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ProviderError(ErrorKind.BAD_RESPONSE, f"malformed response: {exc!r}") from exc

    def _parse_chat(
        self, resp: Any, request: GenerationRequest, skip_temperature: bool, notes: list[str]
    ) -> GenerationResponse:
        if not resp.choices:
            raise ProviderError(ErrorKind.BAD_RESPONSE, "response has no choices")
        choice = resp.choices[0]
        message = choice.message
        text = message.content or ""
        refusal = getattr(message, "refusal", None)
        finish = FinishReason.REFUSAL if refusal else _finish(choice.finish_reason)
        if not text and not refusal:
            notes.append("model returned empty content")
        logprobs = None
        if request.logprobs:
            content = choice.logprobs.content if choice.logprobs is not None else None
            if content:
                logprobs = tuple(
                    TokenLogprob(
                        t.token,
                        float(t.logprob),
                        tuple(TopLogprob(a.token, float(a.logprob)) for a in t.top_logprobs or ()),
                    )
                    for t in content
                )
            elif text:
                notes.append("logprobs requested but not returned")
        return GenerationResponse(
            text=text,
            finish_reason=finish,
            logprobs=logprobs,
            usage=_usage(resp.usage),
            temperature_applied=request.temperature is None or not skip_temperature,
            refusal=refusal,
            model_version=resp.model,
            notes=tuple(dict.fromkeys(notes)),  # passes may repeat a note
        )

    async def _complete(
        self,
        request: GenerationRequest,
        timeout_s: float,
        skip_temperature: bool,
        notes: list[str],
    ) -> GenerationResponse:
        args = self._sampling(request, skip_temperature, notes)
        args["max_tokens"] = request.max_tokens
        if request.logprobs:
            # Legacy completions: `logprobs=k` returns the chosen token plus k alternatives.
            args["logprobs"] = request.top_logprobs
        resp = await self._client.completions.create(
            prompt=request.prompt or "", timeout=timeout_s, **args
        )
        try:
            return self._parse_completion(resp, request, skip_temperature, notes)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ProviderError(ErrorKind.BAD_RESPONSE, f"malformed response: {exc!r}") from exc

    def _parse_completion(
        self, resp: Any, request: GenerationRequest, skip_temperature: bool, notes: list[str]
    ) -> GenerationResponse:
        if not resp.choices:
            raise ProviderError(ErrorKind.BAD_RESPONSE, "response has no choices")
        choice = resp.choices[0]
        text = choice.text or ""
        logprobs = None
        lp = choice.logprobs
        if request.logprobs:
            if lp is not None and lp.tokens and lp.token_logprobs:
                tops = lp.top_logprobs or [None] * len(lp.tokens)
                logprobs = tuple(
                    TokenLogprob(
                        tok,
                        float(val if val is not None else float("nan")),
                        tuple(
                            TopLogprob(k, float(v))
                            for k, v in sorted((top or {}).items(), key=lambda kv: -kv[1])
                        ),
                    )
                    for tok, val, top in zip(lp.tokens, lp.token_logprobs, tops, strict=False)
                )
            elif text:
                notes.append("logprobs requested but not returned")
        if not text:
            notes.append("model returned empty content")
        return GenerationResponse(
            text=text,
            finish_reason=_finish(choice.finish_reason),
            logprobs=logprobs,
            usage=_usage(resp.usage),
            temperature_applied=request.temperature is None or not skip_temperature,
            model_version=resp.model,
            notes=tuple(dict.fromkeys(notes)),  # passes may repeat a note
        )

    def _error(self, exc: Exception) -> ProviderError:
        """Classify an SDK exception (messages carry no keys: the SDK never echoes them)."""
        o = self._openai
        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, o.APITimeoutError):
            return ProviderError(ErrorKind.TIMEOUT, f"request timed out: {exc}")
        if isinstance(exc, o.APIConnectionError):
            cause = exc.__cause__ or exc
            return ProviderError(ErrorKind.CONNECTION, f"{type(cause).__name__}: {cause}")
        if isinstance(exc, o.APIStatusError):
            status = exc.status_code
            headers = dict(exc.response.headers) if exc.response is not None else None
            return ProviderError(
                kind_for_status(status),
                f"HTTP {status}: {exc.message}",
                status=status,
                retry_after=parse_retry_after(headers),
            )
        if isinstance(exc, o.APIResponseValidationError | json.JSONDecodeError):
            return ProviderError(ErrorKind.BAD_RESPONSE, f"unparseable response: {exc}")
        return ProviderError(ErrorKind.UNKNOWN, f"{type(exc).__name__}: {exc}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.close()


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage()
    details = getattr(usage, "completion_tokens_details", None)
    reasoning = getattr(details, "reasoning_tokens", None) if details is not None else None
    return Usage(
        input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        reasoning_tokens=int(reasoning or 0),
    )
