"""``seccal models`` commands, end to end through the real CLI and the local model server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer, answer_text
from local_model_files import install_fake_chunks
from typer.testing import CliRunner

from seccal.cli import app
from seccal.models import local_models

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


def test_local_models_are_listed_with_size_and_licence() -> None:
    for cmd in (["models", "local"], ["models", "providers"]):
        out = runner.invoke(app, cmd, terminal_width=200)
        assert out.exit_code == 0, out.output
        assert "qwen2.5-coder-1.5b" in out.output and "1,117 MB" in out.output
        assert "Apache-2.0" in out.output and "Gemma Terms of Use" in out.output


def test_install_assembles_an_installed_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Packages already present: no pip call; the verified file lands in the cache."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("SECCAL_MODELS_DIR", str(tmp_path / "cache"))
    fake = install_fake_chunks(site, "fake-coder", [b"GGUF" + bytes(100), b"x" * 50])
    monkeypatch.setitem(local_models.catalogue(), "fake-coder", fake)
    out = runner.invoke(app, ["models", "install", "fake-coder"], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert (tmp_path / "cache" / "fake-coder.gguf").stat().st_size == 154
    assert '"bytes": 154' in out.output
    out = runner.invoke(app, ["models", "local"], terminal_width=200)
    assert "fake-coder" in out.output and "ready" in out.output


def test_install_unknown_model_is_an_error() -> None:
    out = runner.invoke(app, ["models", "install", "qwen9"])
    assert out.exit_code != 0 and "not a named local model" in str(out.exception or out.output)
