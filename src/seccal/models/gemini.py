"""Gemini through the native ``google-genai`` API, with its log-probability options.

``params`` understood here: ``config`` (extra ``GenerateContentConfig`` fields, e.g.
``{"thinking_config": {"thinking_budget": 0}}``), ``api_version``. Log-probs use
``response_logprobs`` / ``logprobs`` where the model offers them; when a model answers without
them the response says so in ``notes``.
"""

from __future__ import annotations

import json
import os
from typing import Any

import httpx
from google import genai
from google.genai import errors, types

from seccal.models._common import kind_for_status
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

_FINISH = {
    "STOP": FinishReason.STOP,
    "MAX_TOKENS": FinishReason.LENGTH,
    "SAFETY": FinishReason.CONTENT_FILTER,
    "RECITATION": FinishReason.CONTENT_FILTER,
    "BLOCKLIST": FinishReason.CONTENT_FILTER,
    "PROHIBITED_CONTENT": FinishReason.CONTENT_FILTER,
    "SPII": FinishReason.CONTENT_FILTER,
}


class GeminiProvider:
    """Provider for Gemini models (``GEMINI_API_KEY``, else ``GOOGLE_API_KEY``)."""

    def __init__(self, spec: ModelSpec) -> None:
        env = spec.api_key_env
        if env is None:
            env = "GEMINI_API_KEY" if os.environ.get("GEMINI_API_KEY") else "GOOGLE_API_KEY"
        key = spec.api_key(env)
        self.spec = spec
        self._types = types
        self._errors = errors
        self._httpx = httpx
        options: dict[str, Any] = {}
        if spec.base_url:
            options["base_url"] = spec.base_url
        if spec.params.get("api_version"):
            options["api_version"] = spec.params["api_version"]
        # retry_options left unset: the SDK then never retries (the engine does).
        self._client = genai.Client(api_key=key, http_options=types.HttpOptions(**options))
        self._config_extra: dict[str, Any] = dict(spec.params.get("config") or {})
        self._no_logprobs = False

    @property
    def capabilities(self) -> Capabilities:
        """Chat with system instruction; log-probs with up to 20 alternatives."""
        return Capabilities(True, False, True, 20)

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """One attempt; see :class:`~seccal.models.base.Provider`."""
        types = self._types
        notes: list[str] = []
        system = None
        contents: Any
        if request.prompt is not None:
            contents = request.prompt
            notes.append("completion prompt sent as a single user turn (chat-only API)")
        else:
            system = "\n\n".join(m.content for m in request.messages if m.role == "system")
            contents = [
                types.Content(
                    role="model" if m.role == "assistant" else "user",
                    parts=[types.Part(text=m.content)],
                )
                for m in request.messages
                if m.role != "system"
            ]
        want_logprobs = request.logprobs and not self._no_logprobs
        for _ in range(2):  # second pass only after the model rejected log-probs
            config = types.GenerateContentConfig(
                system_instruction=system or None,
                temperature=request.temperature,
                top_p=request.top_p,
                max_output_tokens=request.max_tokens,
                stop_sequences=list(request.stop) or None,
                seed=request.seed,
                candidate_count=1,
                response_logprobs=True if want_logprobs else None,
                logprobs=request.top_logprobs if want_logprobs and request.top_logprobs else None,
                http_options=types.HttpOptions(timeout=int(timeout_s * 1000)),
                **self._config_extra,
            )
            try:
                resp = await self._client.aio.models.generate_content(
                    model=self.spec.model, contents=contents, config=config
                )
                break
            except Exception as exc:
                error = self._error(exc)
                if not (
                    want_logprobs
                    and error.kind is ErrorKind.BAD_REQUEST
                    and "logprob" in error.message.lower()
                ):
                    raise error from exc
                # Not every Gemini model offers log-probs: answer without, and say so.
                self._no_logprobs, want_logprobs = True, False
        if request.logprobs and not want_logprobs:
            notes.append("logprobs not offered for this model")
        try:
            return self._parse(resp, request, notes)
        except ProviderError:
            raise
        except Exception as exc:
            raise self._error(exc) from exc

    def _parse(self, resp: Any, request: GenerationRequest, notes: list[str]) -> GenerationResponse:
        usage_md = resp.usage_metadata
        usage = Usage(
            input_tokens=int(getattr(usage_md, "prompt_token_count", 0) or 0),
            output_tokens=int(getattr(usage_md, "candidates_token_count", 0) or 0)
            + int(getattr(usage_md, "thoughts_token_count", 0) or 0),
            reasoning_tokens=int(getattr(usage_md, "thoughts_token_count", 0) or 0),
        )
        if not resp.candidates:
            feedback = resp.prompt_feedback
            block = getattr(feedback, "block_reason", None) if feedback is not None else None
            if block is None:
                raise ProviderError(ErrorKind.BAD_RESPONSE, "response has no candidates")
            reason = getattr(block, "value", str(block))
            return GenerationResponse(
                text="",
                finish_reason=FinishReason.REFUSAL,
                usage=usage,
                refusal=f"prompt blocked: {reason}",
                model_version=resp.model_version,
                notes=(*notes, "prompt blocked by safety filter"),
            )
        cand = resp.candidates[0]
        parts = cand.content.parts if cand.content is not None and cand.content.parts else []
        text = "".join(p.text for p in parts if p.text and not getattr(p, "thought", False))
        raw_reason = cand.finish_reason
        reason = getattr(raw_reason, "value", raw_reason) or "STOP"
        finish = _FINISH.get(str(reason), FinishReason.OTHER)
        refusal = None
        if finish is FinishReason.CONTENT_FILTER and not text:
            refusal = f"answer withheld: {reason}"
        if not text and refusal is None:
            notes.append("model returned empty content")
        logprobs = None
        if request.logprobs and not self._no_logprobs:
            logprobs = self._logprobs(cand.logprobs_result)
            if logprobs is None and text:
                notes.append("logprobs requested but not returned")
        return GenerationResponse(
            text=text,
            finish_reason=finish,
            logprobs=logprobs,
            usage=usage,
            refusal=refusal,
            model_version=resp.model_version,
            notes=tuple(notes),
        )

    @staticmethod
    def _logprobs(result: Any) -> tuple[TokenLogprob, ...] | None:
        if result is None or not result.chosen_candidates:
            return None
        tops = result.top_candidates or []
        out = []
        for i, chosen in enumerate(result.chosen_candidates):
            alts = tops[i].candidates if i < len(tops) and tops[i].candidates else []
            out.append(
                TokenLogprob(
                    chosen.token or "",
                    float(chosen.log_probability or 0.0),
                    tuple(TopLogprob(a.token or "", float(a.log_probability or 0.0)) for a in alts),
                )
            )
        return tuple(out)

    def _error(self, exc: Exception) -> ProviderError:
        httpx = self._httpx
        if isinstance(exc, self._errors.APIError):
            status = int(exc.code or 0)
            headers = None
            response = getattr(exc, "response", None)
            if response is not None and hasattr(response, "headers"):
                headers = dict(response.headers)
            return ProviderError(
                kind_for_status(status) if status else ErrorKind.BAD_RESPONSE,
                f"HTTP {status}: {exc.message or exc.status or ''}".strip(),
                status=status or None,
                retry_after=parse_retry_after(headers),
            )
        if isinstance(exc, httpx.TimeoutException | TimeoutError):
            return ProviderError(ErrorKind.TIMEOUT, f"request timed out: {type(exc).__name__}")
        if type(exc).__module__.startswith("aiohttp"):
            # google-genai switches to aiohttp when it is installed.
            name = type(exc).__name__
            kind = ErrorKind.BAD_RESPONSE if "Payload" in name or "ContentType" in name else None
            return ProviderError(kind or ErrorKind.CONNECTION, f"{name}: {exc}")
        if isinstance(exc, httpx.TransportError | OSError):
            return ProviderError(ErrorKind.CONNECTION, f"{type(exc).__name__}: {exc}")
        if isinstance(exc, json.JSONDecodeError | ValueError | AttributeError | TypeError):
            return ProviderError(ErrorKind.BAD_RESPONSE, f"unparseable response: {exc!r}")
        return ProviderError(ErrorKind.UNKNOWN, f"{type(exc).__name__}: {exc}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aio.aclose()
