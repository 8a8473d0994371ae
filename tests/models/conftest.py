"""Fixtures for the model tests: a fake LLM server on 127.0.0.1 and a fake API key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_llm_server import FakeLLMServer

FAKE_KEY = "sk-test-SECRETVALUE-0123456789abcdef"


@pytest.fixture()
def fake_server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        yield server


@pytest.fixture()
def fake_key(monkeypatch: pytest.MonkeyPatch) -> str:
    for env in ("OPENAI_API_KEY", "GEMINI_API_KEY", "ANTHROPIC_API_KEY", "DASHSCOPE_API_KEY"):
        monkeypatch.setenv(env, FAKE_KEY)
    return FAKE_KEY
