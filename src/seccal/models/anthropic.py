"""Anthropic Messages API (``ANTHROPIC_API_KEY``). The API offers no log-probs: when asked, the
response carries ``logprobs=None`` and a note saying so."""

from __future__ import annotations

import inspect
import json
from typing import Any

import anthropic as sdk

from seccal.models._common import (
    as_messages,
    is_temperature_rejection,
    kind_for_status,
    rejects_temperature,
)
from seccal.models.base import Capabilities, ProviderError
from seccal.models.request import GenerationRequest
from seccal.models.response import ErrorKind, FinishReason, GenerationResponse, Usage
from seccal.models.retry import parse_retry_after
from seccal.models.spec import ModelSpec

_FINISH = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "max_tokens": FinishReason.LENGTH,
    "refusal": FinishReason.REFUSAL,
}


class AnthropicProvider:
    """Provider for Claude models (one attempt per ``generate``)."""

    def __init__(self, spec: ModelSpec) -> None:
        key = spec.api_key("ANTHROPIC_API_KEY")
        self.spec = spec
        self._sdk = sdk
        self._client = sdk.AsyncAnthropic(api_key=key, base_url=spec.base_url, max_retries=0)
        self._no_temperature = rejects_temperature(
            spec.model, spec.params.get("supports_temperature", True)
        )
        create = self._client.messages.create
        self._named_sampling = "temperature" in inspect.signature(create).parameters

    @property
    def capabilities(self) -> Capabilities:
        """Chat only, no log-probs."""
        return Capabilities(True, False, False, 0)

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """One attempt; see :class:`~seccal.models.base.Provider`."""
        messages, prompt_notes = as_messages(request)
        notes = list(prompt_notes)
        if request.logprobs:
            notes.append("logprobs not offered by the Anthropic API")
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        args: dict[str, Any] = {
            "model": self.spec.model,
            "max_tokens": request.max_tokens,
            "messages": [
                {"role": m.role, "content": m.content} for m in messages if m.role != "system"
            ],
            "timeout": timeout_s,
        }
        if system:
            args["system"] = system
        if request.stop:
            args["stop_sequences"] = list(request.stop)
        skip = self._no_temperature
        for _ in range(2):  # second pass only after the server rejected `temperature`
            sampling: dict[str, Any] = {}
            if request.temperature is not None and not skip:
                sampling["temperature"] = request.temperature
            if request.top_p is not None:
                sampling["top_p"] = request.top_p
            try:
                resp = await self._client.messages.create(**args, **self._sampling(sampling))
                break
            except self._sdk.BadRequestError as exc:
                if skip or request.temperature is None or not is_temperature_rejection(str(exc)):
                    raise self._error(exc) from exc
                self._no_temperature = skip = True
            except Exception as exc:
                raise self._error(exc) from exc
        if request.temperature is not None and skip:
            notes.append(f"temperature {request.temperature} not sent: model rejects it")
        try:
            text = "".join(b.text for b in resp.content if getattr(b, "type", "") == "text")
            finish = _FINISH.get(resp.stop_reason or "end_turn", FinishReason.OTHER)
            usage = Usage(resp.usage.input_tokens or 0, resp.usage.output_tokens or 0)
        except (AttributeError, TypeError, ValueError) as exc:
            raise ProviderError(ErrorKind.BAD_RESPONSE, f"malformed response: {exc!r}") from exc
        if not text:
            notes.append("model returned empty content")
        return GenerationResponse(
            text=text,
            finish_reason=finish,
            usage=usage,
            temperature_applied=request.temperature is None or not skip,
            refusal=(text or "refused") if finish is FinishReason.REFUSAL else None,
            model_version=resp.model,
            notes=tuple(notes),
        )

    def _sampling(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Sampling fields as keyword arguments, or in ``extra_body`` for SDK versions whose
        ``create`` no longer names them (the wire format still carries them)."""
        if not fields:
            return {}
        if self._named_sampling:
            return fields
        return {"extra_body": fields}

    def _error(self, exc: Exception) -> ProviderError:
        sdk = self._sdk
        if isinstance(exc, sdk.APITimeoutError):
            return ProviderError(ErrorKind.TIMEOUT, f"request timed out: {exc}")
        if isinstance(exc, sdk.APIConnectionError):
            cause = exc.__cause__ or exc
            return ProviderError(ErrorKind.CONNECTION, f"{type(cause).__name__}: {cause}")
        if isinstance(exc, sdk.APIStatusError):
            status = exc.status_code
            kind = ErrorKind.SERVER if status == 529 else kind_for_status(status)  # 529 overloaded
            return ProviderError(
                kind,
                f"HTTP {status}: {exc.message}",
                status=status,
                retry_after=parse_retry_after(dict(exc.response.headers)),
            )
        if isinstance(exc, sdk.APIResponseValidationError | json.JSONDecodeError):
            return ProviderError(ErrorKind.BAD_RESPONSE, f"unparseable response: {exc}")
        return ProviderError(ErrorKind.UNKNOWN, f"{type(exc).__name__}: {exc}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.close()
