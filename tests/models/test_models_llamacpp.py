"""The real local model (gemma3 270m GGUF through llama.cpp): text, log-probs, samples, stops."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator

import pytest

from seccal.models import Engine, ErrorKind, FinishReason, GenerationRequest, ModelSpec
from seccal.models.llamacpp import LlamaCppProvider, local_model_path
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

    ref = llama_cpp.Llama(str(local_model_path("gemma3-270m")), n_ctx=512, logits_all=True, verbose=False)
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
