"""Fixtures for study tests: a fake OpenAI server answering the mini tasks, and an API key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from study_fake_llm import FakeLLM
from study_helpers import FAKE_KEY, KEY_ENV, mini_tasks


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    refs = {t.prompt: (t.secure_reference or "", t.insecure_reference or "") for t in mini_tasks()}
    with FakeLLM(refs, delay_s=0.01) as server:
        yield server


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(KEY_ENV, FAKE_KEY)
    return FAKE_KEY
