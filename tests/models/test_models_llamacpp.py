"""The real local models through llama.cpp: gemma3 270m (base: text, log-probs, samples,
stops) and Qwen2.5-Coder 0.5B (ChatML chat, KV prefix reuse); bad files fail before loading."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_model_files import write_gguf

from seccal.errors import ConfigError
from seccal.models import (
    Engine,
    ErrorKind,
    FinishReason,
    GenerationRequest,
    ModelSpec,
    validate_spec,
)
from seccal.models.llamacpp import LlamaCppProvider, local_model_path, resolve_model_file
from seccal.models.local_models import ModelNotInstalledError, chunk_paths, local_model

pytestmark = pytest.mark.llama
pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (seccal[llama])")
try:
    chunk_paths(local_model("gemma3-270m"))
except ModelNotInstalledError as exc:
    pytest.skip(str(exc), allow_module_level=True)

PROMPT = 'def add(a, b):\n    """Return the sum of a and b."""\n'
SPEC = ModelSpec("llamacpp", "gemma3-270m", params={"n_ctx": 512})


@pytest.fixture(scope="module")
def provider() -> Iterator[LlamaCppProvider]:
    prov = LlamaCppProvider(SPEC)
    yield prov
    asyncio.run(prov.aclose())


def _gen(provider: LlamaCppProvider, **kw: object) -> object:
    req = GenerationRequest(prompt=kw.pop("prompt", PROMPT), **kw)  # type: ignore[arg-type]
    return asyncio.run(provider.generate(req, timeout_s=60))


def test_greedy_completion_with_logprobs(provider: LlamaCppProvider) -> None:
    resp = _gen(provider, max_tokens=8, temperature=0.0, logprobs=True, top_logprobs=3)
    assert resp.ok and resp.text and "return" in resp.text  # type: ignore[attr-defined]
    lps = resp.logprobs  # type: ignore[attr-defined]
    assert lps is not None and len(lps) == resp.usage.output_tokens == 8  # type: ignore[attr-defined]
    assert "".join(t.token for t in lps) == resp.text  # type: ignore[attr-defined]
    for t in lps:
        assert t.logprob <= 0 and len(t.top) == 3
        # Greedy: the chosen token is the most likely one, and alternatives come best first.
        assert t.top[0].logprob == pytest.approx(t.logprob, abs=1e-5)
        assert t.top[0].logprob >= t.top[1].logprob >= t.top[2].logprob
        assert sum(math.exp(a.logprob) for a in t.top) <= 1.0 + 1e-5


@pytest.mark.slow
def test_logprobs_match_llama_cpp_logits_all() -> None:
    """Our last-row log-softmax equals what llama.cpp computes with logits_all=True."""
    import llama_cpp

    ref = llama_cpp.Llama(
        str(local_model_path("gemma3-270m")), n_ctx=512, logits_all=True, verbose=False
    )
    try:
        out = ref.create_completion(PROMPT, max_tokens=4, temperature=0.0, logprobs=1)
        expected = out["choices"][0]["logprobs"]["token_logprobs"]  # type: ignore[index]
    finally:
        ref.close()
    prov = LlamaCppProvider(SPEC)
    try:
        resp = asyncio.run(
            prov.generate(
                GenerationRequest(prompt=PROMPT, max_tokens=4, temperature=0.0, logprobs=True),
                timeout_s=60,
            )
        )
    finally:
        asyncio.run(prov.aclose())
    assert resp.logprobs is not None
    assert [t.logprob for t in resp.logprobs] == pytest.approx(expected, abs=2e-3)


def test_samples_are_distinct_and_reproducible(provider: LlamaCppProvider) -> None:
    texts = [
        _gen(provider, max_tokens=12, temperature=1.0, sample_index=i).text  # type: ignore[attr-defined]
        for i in (0, 1, 2, 0)
    ]
    assert texts[0] == texts[3]  # same sample index, same seed
    assert len(set(texts[:3])) > 1  # different sample indices differ


def test_stop_sequence_cuts_text_and_logprobs(provider: LlamaCppProvider) -> None:
    resp = _gen(provider, max_tokens=24, temperature=0.0, stop=("+",), logprobs=True)
    assert resp.finish_reason is FinishReason.STOP  # type: ignore[attr-defined]
    assert "+" not in resp.text and resp.text.strip().startswith("return")  # type: ignore[attr-defined]
    joined = "".join(t.token for t in resp.logprobs)  # type: ignore[attr-defined]
    assert joined.startswith(resp.text)  # type: ignore[attr-defined]


def test_chat_on_base_model_is_recorded_unsupported(provider: LlamaCppProvider) -> None:
    async def main() -> None:
        engine = Engine(provider_factory=lambda spec: provider)
        resp = await engine.generate(SPEC, GenerationRequest.chat(("user", "hi")))
        assert resp.error is not None and resp.error.kind is ErrorKind.UNSUPPORTED
        assert "completion prompt" in resp.error.message and resp.attempts == 1

    asyncio.run(main())


def test_timeout_stops_generation_and_model_stays_usable(provider: LlamaCppProvider) -> None:
    from seccal.models import Job, Limits

    slow = ModelSpec(
        "llamacpp",
        "gemma3-270m",
        params={"n_ctx": 512},
        limits=Limits(timeout_s=0.3, max_retries=0, concurrency=4),
    )
    jobs = [
        Job(slow, GenerationRequest(prompt=PROMPT, max_tokens=400, temperature=0.0, stop=("zzz",))),
        Job(slow, GenerationRequest(prompt=PROMPT, max_tokens=2, temperature=0.0)),
    ]
    engine = Engine(provider_factory=lambda spec: provider)
    timed_out, quick = asyncio.run(engine.run(jobs))
    assert timed_out.error is not None and timed_out.error.kind is ErrorKind.TIMEOUT
    # Queued behind the slow call (concurrency capped at 1), not timed out by waiting.
    assert quick.ok and quick.usage.output_tokens == 2


# --- the instruction-tuned default family (Qwen2.5-Coder 0.5B) in chat form ----------------

QWEN = ModelSpec("llamacpp", "qwen2.5-coder-0.5b", params={"n_ctx": 1024})
SYSTEM = "You are an expert software engineer and security reviewer."
CODE = (
    "import sqlite3\n\n\ndef find_user(db, name):\n    conn = sqlite3.connect(db)\n"
    '    cur = conn.execute("SELECT * FROM users WHERE name = \'" + name + "\'")\n'
    "    return cur.fetchone()\n"
)
SHARED = f"Task:\nReturn the row of user `name`.\n\nCode:\n```python\n{CODE}```\n\n"


@pytest.fixture(scope="module")
def qwen() -> Iterator[LlamaCppProvider]:
    try:
        chunk_paths(local_model("qwen2.5-coder-0.5b"))
    except ModelNotInstalledError as exc:
        pytest.skip(str(exc))
    prov = LlamaCppProvider(QWEN)
    yield prov
    asyncio.run(prov.aclose())


def _chat(provider: LlamaCppProvider, user: str, **kw: object) -> object:
    req = GenerationRequest.chat(("system", SYSTEM), ("user", user), **kw)  # type: ignore[arg-type]
    return asyncio.run(provider.generate(req, timeout_s=120))


def test_chatml_chat_answers_and_stops_at_end_of_turn(qwen: LlamaCppProvider) -> None:
    assert qwen.capabilities.chat and qwen.model_file.chat_format == "chatml"
    resp = _chat(qwen, "Is 7 a prime number? Answer with one word: yes or no.", max_tokens=4)
    assert resp.ok and resp.text.strip().lower().startswith("yes")  # type: ignore[attr-defined]
    assert resp.finish_reason is FinishReason.STOP  # type: ignore[attr-defined]
    assert "<|im_end|>" not in resp.text  # type: ignore[attr-defined]


def test_shared_prefix_reuses_the_kv_cache(qwen: LlamaCppProvider) -> None:
    security = SHARED + "Is the code above free of security vulnerabilities? Answer yes or no."
    functional = SHARED + "Does the code above do what the task asks? Answer yes or no."
    first = _chat(qwen, security, max_tokens=2, logprobs=True, top_logprobs=2)
    second = _chat(qwen, functional, max_tokens=2, logprobs=True, top_logprobs=2)
    again = _chat(qwen, functional, max_tokens=2, logprobs=True, top_logprobs=2)
    shared = len(qwen._llm.tokenize(f"<|im_start|>system\n{SYSTEM}".encode(), special=True))
    shared += len(qwen._llm.tokenize(SHARED.encode(), add_bos=False))
    n_in = second.usage.input_tokens  # type: ignore[attr-defined]
    # Everything up to the question is reused (a token or two of slack for merges at the seam).
    assert second.usage.cached_input_tokens >= shared - 4  # type: ignore[attr-defined]
    assert second.usage.cached_input_tokens < n_in  # type: ignore[attr-defined]
    # The same prompt again: all but the last prompt token (its logits start sampling).
    assert again.usage.cached_input_tokens == n_in - 1  # type: ignore[attr-defined]
    assert first.usage.cached_input_tokens < shared  # type: ignore[attr-defined]
    # Reuse changes the answer only by the numerical noise of batched vs one-by-one
    # evaluation (llama.cpp is not bit-exact across batch sizes): compare the log-probs.
    cold = LlamaCppProvider(ModelSpec("llamacpp", QWEN.model, params={"prompt_cache": False}))
    try:
        ref = _chat(cold, functional, max_tokens=2, logprobs=True, top_logprobs=2)
    finally:
        asyncio.run(cold.aclose())
    assert ref.usage.cached_input_tokens == 0  # type: ignore[attr-defined]
    got = {a.token: a.logprob for a in second.logprobs[0].top}  # type: ignore[attr-defined]
    want = {a.token: a.logprob for a in ref.logprobs[0].top}  # type: ignore[attr-defined]
    assert set(got) == set(want)
    for token, lp in want.items():
        assert got[token] == pytest.approx(lp, abs=0.15)


def test_bad_model_file_fails_before_loading(tmp_path: Path) -> None:
    bad = write_gguf(tmp_path / "model.gguf")
    bad.write_bytes(bad.read_bytes()[:-16])
    spec = ModelSpec("llamacpp", "mine", params={"model_path": str(bad), "chat_format": "chatml"})
    with pytest.raises(ConfigError, match=r"llamacpp:mine: .*model\.gguf: truncated GGUF"):
        validate_spec(spec)
    with pytest.raises(ConfigError, match="truncated GGUF"):
        LlamaCppProvider(spec)
    with pytest.raises(ConfigError, match="unknown chat format 'jinja'"):
        validate_spec(
            ModelSpec("llamacpp", "m", params={"model_path": str(bad), "chat_format": "jinja"})
        )


def test_model_path_chat_format_is_read_from_the_file(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "chat.gguf", {"tokenizer.chat_template": "<|im_start|>..."})
    assert resolve_model_file("x", {"model_path": str(path)}).chat_format == "chatml"
    assert (
        resolve_model_file("x", {"model_path": str(path), "chat_format": "none"}).chat_format
        is None
    )
    assert (
        resolve_model_file("x", {"model_path": str(write_gguf(tmp_path / "b.gguf"))}).chat_format
        is None
    )


def test_threads_follow_the_idle_cpus_unless_the_spec_fixes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import llama_cpp

    import seccal.models.llamacpp as mod

    following = LlamaCppProvider(SPEC)
    fixed = LlamaCppProvider(
        ModelSpec("llamacpp", "gemma3-270m", params={"n_ctx": 512, "n_threads": 2})
    )
    try:
        before = _gen(following, max_tokens=6, temperature=0.0)
        monkeypatch.setattr(mod, "RETUNE_S", 0.0)
        monkeypatch.setattr(mod, "idle_cpus", lambda sample_s=0.25: 1)  # another process took a CPU
        after = _gen(following, max_tokens=6, temperature=0.0)
        assert following.n_threads == 1
        assert llama_cpp.llama_n_threads(following._llm._ctx.ctx) == 1
        assert after.text == before.text  # type: ignore[attr-defined]
        _gen(fixed, max_tokens=2, temperature=0.0)
        assert fixed.n_threads == 2
        assert llama_cpp.llama_n_threads(fixed._llm._ctx.ctx) == 2
    finally:
        asyncio.run(following.aclose())
        asyncio.run(fixed.aclose())
