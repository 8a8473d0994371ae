"""API keys never reach the cache file, error messages, reprs or exported records."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer

from seccal.errors import ConfigError
from seccal.models import Engine, GenerationRequest, Limits, ModelSpec
from seccal.models.retry import RetryPolicy
from seccal.models.secrets import redact

pytest.importorskip("openai")


def test_key_absent_from_cache_errors_logs_and_reprs(
    fake_server: FakeLLMServer, fake_key: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    spec = ModelSpec(
        "openai", "gpt-4o-mini", base_url=fake_server.url + "/v1", limits=Limits(max_retries=1)
    )
    cache = tmp_path / "cache.sqlite"

    async def main() -> list[str]:
        async with Engine(cache=cache, retry=RetryPolicy(base_delay_s=0.01)) as engine:
            provider = engine.prepare(spec)
            texts = [repr(spec), repr(provider), str(vars(provider))]
            for prompt in ("fine", "FAULT=500", "FAULT=truncated", f"echo {fake_key} FAULT=503"):
                resp = await engine.generate(spec, GenerationRequest.chat(("user", prompt)))
                texts.append(repr(resp))
            engine.cache.export_jsonl(tmp_path / "export.jsonl")  # type: ignore[union-attr]
            return texts

    texts = asyncio.run(main())
    texts.append(caplog.text)
    assert "retrying" in caplog.text  # failures were logged
    assert any("HTTP 500" in t for t in texts)  # the failures really were recorded
    assert "echo [REDACTED]" in texts[-1]  # the server echoed the key; the record does not
    for text in texts:
        assert fake_key not in text
    for path in tmp_path.iterdir():  # cache, WAL files and export
        assert fake_key.encode() not in path.read_bytes(), path.name


def test_missing_key_names_variable_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        Engine().prepare(ModelSpec("openai", "gpt-4o-mini"))


def test_key_in_params_is_refused() -> None:
    with pytest.raises(ConfigError, match="environment variable"):
        ModelSpec("openai", "gpt-4o-mini", params={"api_key": "sk-live-123456789"})


def test_redact_env_values_and_key_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_SERVICE_TOKEN", "tok-abcdefgh")
    text = "bad token tok-abcdefgh and key sk-proj-ABCDEFGH1234 and AIza" + "x" * 30
    out = redact(text)
    assert "tok-abcdefgh" not in out and "sk-proj" not in out and "AIza" not in out
    assert out.count("[REDACTED]") == 3
