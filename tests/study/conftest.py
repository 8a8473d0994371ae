"""Fixtures for study tests: a fake OpenAI server answering the mini tasks, and an API key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_llm_server import FakeLLMServer
from study_helpers import FAKE_KEY, KEY_ENV, mini_tasks
from study_model import study_answers


@pytest.fixture
def fake_llm() -> Iterator[FakeLLMServer]:
    with FakeLLMServer(study_answers(mini_tasks()), delay_s=0.01) as server:
        yield server


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(KEY_ENV, FAKE_KEY)
    return FAKE_KEY
