"""Replay answers from an exported cache without calling anything."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fake_llm_server import FakeLLMServer

from seccal.errors import InputError
from seccal.models import Engine, ErrorKind, GenerationRequest, Job, ModelSpec

pytest.importorskip("openai")


def test_replay_reproduces_recorded_answers_without_calls(
    fake_server: FakeLLMServer, fake_key: str, tmp_path: Path
) -> None:
    live = ModelSpec("openai", "gpt-4o-mini", base_url=fake_server.url + "/v1")
    reqs = [
        GenerationRequest.chat(
            ("user", f"task {i}"), temperature=0.6, sample_index=s, logprobs=True
        )
        for i in range(3)
        for s in range(2)
    ]
    recorder = Engine(cache=tmp_path / "c.sqlite")
    recorded = recorder.run_sync([Job(live, r) for r in reqs])
    ResponseCache = type(recorder.cache)
    n = ResponseCache(tmp_path / "c.sqlite").export_jsonl(tmp_path / "gens.jsonl")  # type: ignore[misc]
    assert n == 6
    calls = len(fake_server.requests)

    replay = ModelSpec("replay", "gpt-4o-mini", params={"path": str(tmp_path / "gens.jsonl")})
    missing = GenerationRequest.chat(("user", "task 0"), temperature=0.6, sample_index=5)
    replayed = Engine().run_sync([Job(replay, r) for r in [*reqs, missing]])
    assert len(fake_server.requests) == calls  # nothing called
    assert [r.text for r in replayed[:-1]] == [r.text for r in recorded]
    assert replayed[0].logprobs == recorded[0].logprobs
    assert all(r.cost_usd == 0.0 for r in replayed[:-1])
    err = replayed[-1].error
    assert err is not None and err.kind is ErrorKind.NOT_RECORDED and "sample 5" in err.message


def test_bad_replay_file_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"spec": {}, "request": {}}) + "\n")
    with pytest.raises(InputError, match=r"bad\.jsonl:1"):
        Engine().prepare(ModelSpec("replay", "m", params={"path": str(path)}))


def test_replay_source_disambiguates(tmp_path: Path) -> None:
    req = GenerationRequest(prompt="p").to_dict()
    lines = [
        {
            "spec": {"provider": p, "model": "m", "base_url": None, "params": {}},
            "request": req,
            "response": {"text": p},
        }
        for p in ("vllm", "ollama")
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))

    async def main() -> tuple[object, object]:
        ambiguous = ModelSpec("replay", "m", params={"path": str(path)})
        chosen = ModelSpec(
            "replay", "m", params={"path": str(path), "source": {"provider": "ollama"}}
        )
        async with Engine() as engine:
            a = await engine.generate(ambiguous, GenerationRequest(prompt="p"))
            b = await engine.generate(chosen, GenerationRequest(prompt="p"))
        return a, b

    a, b = asyncio.run(main())
    assert a.error is not None and "params.source" in a.error.message  # type: ignore[attr-defined]
    assert b.text == "ollama"  # type: ignore[attr-defined]
