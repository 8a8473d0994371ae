"""Unit tests: request validation, cache keys, retry delays, rate limiter, price table."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from seccal.errors import InputError
from seccal.models import GenerationRequest, GenerationResponse, ModelSpec, TokenLogprob, TopLogprob
from seccal.models.cache import ResponseCache, cache_key
from seccal.models.pricing import PriceTable
from seccal.models.ratelimit import RateLimiter
from seccal.models.response import ErrorInfo, ErrorKind, Usage
from seccal.models.retry import RetryPolicy, parse_retry_after


def test_request_needs_exactly_one_of_messages_and_prompt() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        GenerationRequest()
    with pytest.raises(ValueError, match="exactly one"):
        GenerationRequest.chat(("user", "x"), prompt="y")
    with pytest.raises(ValueError, match="top_logprobs needs logprobs"):
        GenerationRequest(prompt="x", top_logprobs=3)
    with pytest.raises(ValueError, match="temperature"):
        GenerationRequest(prompt="x", temperature=3.0)


def test_request_and_response_round_trip() -> None:
    req = GenerationRequest.chat(("system", "s"), ("user", "u"), stop=("\n",), logprobs=True)
    assert GenerationRequest.from_dict(req.to_dict()) == req
    resp = GenerationResponse(
        text="t",
        logprobs=(TokenLogprob("t", -0.5, (TopLogprob("t", -0.5), TopLogprob("u", -2.0))),),
        usage=Usage(3, 1),
        notes=("n",),
    )
    assert GenerationResponse.from_dict(resp.to_dict()) == resp
    fail = GenerationResponse.failure(ErrorInfo(ErrorKind.TIMEOUT, "slow", None, 3))
    assert GenerationResponse.from_dict(fail.to_dict()) == fail and not fail.ok


def test_cache_key_separates_what_changes_the_answer() -> None:
    spec = ModelSpec("openai", "gpt-4o-mini")
    base = GenerationRequest(prompt="p", temperature=0.2)
    keys = {
        cache_key(spec, base),
        cache_key(spec, GenerationRequest(prompt="p", temperature=0.4)),
        cache_key(spec, GenerationRequest(prompt="p", temperature=0.2, sample_index=1)),
        cache_key(spec, GenerationRequest(prompt="q", temperature=0.2)),
        cache_key(ModelSpec("openai", "gpt-4o"), base),
        cache_key(ModelSpec("openai", "gpt-4o-mini", base_url="http://x/v1"), base),
        cache_key(ModelSpec("openai", "gpt-4o-mini", params={"extra_body": {"a": 1}}), base),
    }
    assert len(keys) == 7
    # Runtime-only params do not change the key.
    assert cache_key(ModelSpec("llamacpp", "g", params={"n_threads": 2}), base) == cache_key(
        ModelSpec("llamacpp", "g"), base
    )


def test_cache_persists_answers_not_failures(tmp_path: Path) -> None:
    spec, req = ModelSpec("openai", "m"), GenerationRequest(prompt="p")
    cache = ResponseCache(tmp_path / "c.sqlite")
    cache.put("k1", spec, req, GenerationResponse(text="a", usage=Usage(1, 2)))
    cache.put("k2", spec, req, GenerationResponse.failure(ErrorInfo(ErrorKind.SERVER, "x")))
    cache.close()
    again = ResponseCache(tmp_path / "c.sqlite")
    hit = again.get("k1")
    assert hit is not None and hit.cached and hit.text == "a" and hit.usage.output_tokens == 2
    assert again.get("k2") is None and len(again) == 1


def test_cache_rejects_non_database(tmp_path: Path) -> None:
    bad = tmp_path / "notdb.sqlite"
    bad.write_text("hello, this is not sqlite" * 100)
    with pytest.raises(InputError, match=r"notdb\.sqlite"):
        ResponseCache(bad)


def test_retry_delays_backoff_jitter_and_retry_after() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=8.0, max_retry_after_s=30.0)
    for attempt, cap in ((1, 1.0), (2, 2.0), (3, 4.0), (6, 8.0)):
        delays = [policy.delay(attempt) for _ in range(200)]
        assert min(delays) >= 0.0 and max(delays) <= cap
        assert max(delays) > cap / 2  # jitter spreads over the range
    assert 5.0 <= policy.delay(1, retry_after=5.0) <= 5.5
    assert policy.delay(1, retry_after=3600) <= 33.0


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"Retry-After": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert parse_retry_after({}) is None and parse_retry_after({"Retry-After": "soon"}) is None


def test_rate_limiter_spaces_requests() -> None:
    async def main() -> float:
        limiter = RateLimiter(per_minute=600)  # 10/s, bucket of 100
        for _ in range(100):
            await limiter.acquire()
        t0 = time.monotonic()
        for _ in range(5):
            await limiter.acquire()
        return time.monotonic() - t0

    assert 0.4 <= asyncio.run(main()) < 1.5


def test_price_table_matching_and_override(tmp_path: Path) -> None:
    table = PriceTable.load()
    assert table.price("openai", "gpt-4o-mini-2024-07-18") == table.price("openai", "gpt-4o-mini")
    assert table.price("openrouter", "openai/gpt-4o-mini") == table.price("openai", "gpt-4o-mini")
    assert table.price("gemini", "models/gemini-2.0-flash-001") is not None
    assert table.cost("llamacpp", "anything", Usage(10**6, 10**6)) == 0.0
    assert table.cost("openai", "unknown-model", Usage(1, 1)) is None
    override = tmp_path / "prices.toml"
    override.write_text('["gpt-4o-mini"]\ninput = 1.0\noutput = 2.0\n')
    mine = PriceTable.load(override)
    assert mine.cost("openai", "gpt-4o-mini", Usage(10**6, 10**6)) == pytest.approx(3.0)
    bad = tmp_path / "bad.toml"
    bad.write_text('["m"]\ninput = "cheap"\noutput = 1\n')
    with pytest.raises(InputError, match=r"bad\.toml: entry 'm'"):
        PriceTable.load(bad)


def test_model_spec_is_hashable_and_equal_by_value() -> None:
    a = ModelSpec("openai", "m", params={"extra_body": {"x": 1}})
    b = ModelSpec("openai", "m", params={"extra_body": {"x": 1}})
    c = ModelSpec("openai", "m", params={"extra_body": {"x": 2}})
    assert a == b and hash(a) == hash(b) and len({a, b, c}) == 2
