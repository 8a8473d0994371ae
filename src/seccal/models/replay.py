"""Replay: answer from a recorded generations file instead of calling a model.

The file is JSON Lines, one record per answer, as :meth:`ResponseCache.export_jsonl` writes::

    {"key": "...", "spec": {"provider", "model", "base_url", "params"},
     "request": {...GenerationRequest.to_dict()...}, "response": {...}}

A request is matched by the recorded model name and the full request (prompt or messages,
sampling settings, sample index). When the file holds the same request for one model from
several providers or base URLs, ``params["source"]`` (a spec identity: provider, base_url,
params) picks one by exact cache key. ``params["path"]`` names the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from seccal.errors import ConfigError, InputError
from seccal.models.base import Capabilities, ProviderError
from seccal.models.cache import cache_key_from_dicts
from seccal.models.request import GenerationRequest
from seccal.models.response import ErrorKind, GenerationResponse
from seccal.models.spec import ModelSpec


def _request_key(model: str, request: dict[str, Any]) -> str:
    return json.dumps([model, request], sort_keys=True, separators=(",", ":"))


class ReplayProvider:
    """Answers recorded requests; anything else fails with ``not_recorded``."""

    def __init__(self, spec: ModelSpec) -> None:
        if not spec.params.get("path"):
            raise ConfigError(
                f"{spec.label}: params.path (a recorded generations file) is required"
            )
        self.spec = spec
        self.path = Path(str(spec.params["path"]))
        self._by_key: dict[str, GenerationResponse] = {}
        self._by_request: dict[str, list[GenerationResponse]] = {}
        self._load()
        source = spec.params.get("source")
        if source is not None and not isinstance(source, dict):
            raise ConfigError(f"{spec.label}: params.source must be a spec identity mapping")
        self._source: dict[str, Any] | None = None
        if source is not None:
            self._source = {
                "provider": source.get("provider"),
                "model": source.get("model", spec.model),
                "base_url": source.get("base_url"),
                "params": dict(sorted((source.get("params") or {}).items())),
            }

    def _load(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read recorded generations: {exc}") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                identity = record["spec"]
                request = GenerationRequest.from_dict(record["request"]).to_dict()
                response = GenerationResponse.from_dict(record["response"])
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(
                    f"{self.path}:{number}: not a recorded generation "
                    f"(need spec, request, response): {exc!r}"
                ) from exc
            key = record.get("key") or cache_key_from_dicts(identity, request)
            self._by_key[key] = response
            self._by_request.setdefault(_request_key(identity["model"], request), []).append(
                response
            )

    def __len__(self) -> int:
        return len(self._by_key)

    @property
    def capabilities(self) -> Capabilities:
        """Whatever was recorded: chat, completion prompts and log-probs all replay."""
        return Capabilities(True, True, True, 20)

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """The recorded answer to ``request``."""
        req = request.to_dict()
        if self._source is not None:
            found = self._by_key.get(cache_key_from_dicts(self._source, req))
            candidates = [found] if found is not None else []
        else:
            candidates = self._by_request.get(_request_key(self.spec.model, req), [])
        if not candidates:
            raise ProviderError(
                ErrorKind.NOT_RECORDED,
                f"{self.path.name}: no recorded answer from {self.spec.model} for this request "
                f"(sample {request.sample_index}, temperature {request.temperature})",
            )
        if len(candidates) > 1 and len({json.dumps(c.to_dict()) for c in candidates}) > 1:
            raise ProviderError(
                ErrorKind.NOT_RECORDED,
                f"{self.path.name}: {len(candidates)} different recorded answers match; "
                "set params.source to the recorded provider and base_url",
            )
        original = candidates[0]
        return GenerationResponse(
            text=original.text,
            finish_reason=original.finish_reason,
            logprobs=original.logprobs,
            usage=original.usage,
            temperature_applied=original.temperature_applied,
            refusal=original.refusal,
            model_version=original.model_version,
            notes=(*original.notes, f"replayed from {self.path.name}"),
        )

    async def aclose(self) -> None:
        """Nothing to release."""
