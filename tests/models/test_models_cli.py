"""``seccal models`` commands, end to end through the real CLI and the local model server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer, answer_text
from typer.testing import CliRunner

from seccal.cli import app

runner = CliRunner()


def test_providers_and_prices_list() -> None:
    out = runner.invoke(app, ["models", "providers"])
    assert out.exit_code == 0 and "llamacpp" in out.output and "replay" in out.output
    out = runner.invoke(app, ["models", "prices"])
    assert out.exit_code == 0 and "gpt-4o-mini" in out.output and "0.15" in out.output


def test_try_caches_then_exports_for_replay(
    fake_server: FakeLLMServer, fake_key: str, tmp_path: Path
) -> None:
    pytest.importorskip("openai")
    cache = tmp_path / "c.sqlite"
    args = ["models", "try", "openai", "gpt-4o-mini", "--message", "hello", "--logprobs", "2"]
    args += ["--base-url", fake_server.url + "/v1", "--cache", str(cache)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert answer_text("hello").splitlines()[0] in first.output and "cached=False" in first.output
    again = runner.invoke(app, args)
    assert "cached=True" in again.output and len(fake_server.requests) == 1
    out = runner.invoke(app, ["models", "export-cache", str(cache), str(tmp_path / "g.jsonl")])
    assert out.exit_code == 0 and '"records": 1' in out.output


def test_try_needs_one_input() -> None:
    out = runner.invoke(app, ["models", "try", "openai", "gpt-4o-mini"])
    assert out.exit_code != 0
