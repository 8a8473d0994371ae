"""The generation engine: concurrency, rate limits, retries, timeouts, cache and cost.

:class:`Engine` drives any :class:`~seccal.models.base.Provider`. ``await engine.generate(spec,
request)`` answers one request; ``await engine.run(jobs, on_result=...)`` answers many, calling
``on_result`` as each finishes so the caller can persist it at once (a killed run loses nothing;
the next run finds every paid answer in the cache). Failures never raise: they come back as
responses whose ``error`` records the cause and the number of attempts.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from seccal.models.base import Provider, ProviderError
from seccal.models.cache import CacheWriter, ResponseCache, cache_key
from seccal.models.pricing import PriceTable
from seccal.models.ratelimit import RateLimiter
from seccal.models.registry import create_provider
from seccal.models.request import GenerationRequest
from seccal.models.response import ErrorInfo, ErrorKind, GenerationResponse
from seccal.models.retry import RetryPolicy
from seccal.models.secrets import redact
from seccal.models.spec import ModelSpec

log = logging.getLogger(__name__)
_MAX_ERROR_CHARS = 600


@dataclass(frozen=True, slots=True)
class Job:
    """One request for one model; ``tag`` is the caller's own reference (e.g. a row id)."""

    spec: ModelSpec
    request: GenerationRequest
    tag: Any = None


ResultCallback = Callable[[int, Job, GenerationResponse], Awaitable[None] | None]


@dataclass(slots=True)
class ModelTotals:
    """Running totals for one model in this engine's lifetime."""

    calls: int = 0  # answered by a call made now
    cached: int = 0  # answered from the cache (no call, no cost)
    failed: int = 0
    attempts: int = 0  # calls made, retries included
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0  # spent now (cached answers cost nothing again)
    unpriced_calls: int = 0  # answered calls whose model has no price entry

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


class _ModelState:
    """Provider and limiters shared by all calls to one model."""

    def __init__(self, spec: ModelSpec, provider: Provider) -> None:
        lim = spec.limits
        self.provider = provider
        # A provider that serves one call at a time must queue here, outside the
        # per-attempt timeout, or waiting in line would count as a timeout.
        cap = provider.capabilities.max_concurrency
        self.semaphore = asyncio.Semaphore(min(lim.concurrency, cap or lim.concurrency))
        self.rpm = RateLimiter(lim.requests_per_minute) if lim.requests_per_minute else None
        self.tpm = RateLimiter(lim.tokens_per_minute) if lim.tokens_per_minute else None


def _estimate_tokens(request: GenerationRequest) -> int:
    chars = len(request.prompt or "") + sum(len(m.content) for m in request.messages)
    return chars // 4 + request.max_tokens


class Engine:
    """Answers generation requests through providers, never paying twice for one answer.

    Parameters
    ----------
    cache:
        A :class:`ResponseCache`, a path to one, or ``None`` for no persistence.
    prices:
        Price table for cost (default: :meth:`PriceTable.load`, i.e. defaults plus
        ``$SECCAL_PRICES``).
    cost_limit_usd:
        Once this much has been spent in this engine, no further calls are issued; the
        remaining requests come back with ``error.kind == "cost_limit"`` and
        :attr:`stop_reason` says why. Calls already in flight finish, so the final spend
        may exceed the limit by at most their cost.
    retry:
        Backoff policy; the number of retries is per model (``spec.limits.max_retries``).
    provider_factory:
        Builds a provider from a spec (default: the registry).
    read_cache:
        ``False`` to ignore cached answers (new answers are still written).
    """

    def __init__(
        self,
        *,
        cache: ResponseCache | str | Path | None = None,
        prices: PriceTable | None = None,
        cost_limit_usd: float | None = None,
        retry: RetryPolicy | None = None,
        provider_factory: Callable[[ModelSpec], Provider] = create_provider,
        read_cache: bool = True,
    ) -> None:
        self.cache = ResponseCache(cache) if isinstance(cache, str | Path) else cache
        self.prices = prices if prices is not None else PriceTable.load()
        self.cost_limit_usd = cost_limit_usd
        self.retry = retry or RetryPolicy()
        self.read_cache = read_cache
        self.stop_reason: str | None = None
        self._factory = provider_factory
        self._states: dict[str, _ModelState] = {}
        self._totals: dict[str, ModelTotals] = {}
        self._inflight: dict[str, asyncio.Future[GenerationResponse]] = {}
        self._spent = 0.0
        self._writer = CacheWriter(self.cache) if self.cache is not None else None

    # -- public API ---------------------------------------------------------------------

    @property
    def spent_usd(self) -> float:
        """Money spent on calls made by this engine."""
        return self._spent

    def totals(self) -> dict[str, ModelTotals]:
        """Totals per model label (``provider:model``)."""
        return {k: replace(v) for k, v in self._totals.items()}

    def prepare(self, spec: ModelSpec) -> Provider:
        """Create (once) the provider for ``spec``; raises ``ConfigError`` on bad config."""
        key = spec.engine_key
        state = self._states.get(key)
        if state is None:
            state = _ModelState(spec, self._factory(spec))
            self._states[key] = state
        return state.provider

    async def generate(self, spec: ModelSpec, request: GenerationRequest) -> GenerationResponse:
        """Answer one request: from the cache, from an identical call in flight, or by calling.

        Raises
        ------
        ConfigError
            The provider cannot be created (unknown name, missing SDK or API key).
        """
        self.prepare(spec)
        totals = self._totals.setdefault(spec.label, ModelTotals())
        key = cache_key(spec, request)
        if self.cache is not None and self.read_cache:
            hit = self.cache.get(key)  # a WAL read by primary key: cheaper inline than a thread hop
            if hit is not None:
                totals.cached += 1
                return hit
        pending = self._inflight.get(key)
        if pending is not None:
            # Same request already being paid for: share its answer.
            shared = await asyncio.shield(pending)
            totals.cached += 1
            return replace(shared, cached=True)
        future: asyncio.Future[GenerationResponse] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            response = await self._call(spec, request, totals)
            if response.ok and self._writer is not None:
                await self._writer.store((key, spec, request, response))
            future.set_result(response)
            return response
        except BaseException:
            future.cancel()
            raise
        finally:
            del self._inflight[key]

    async def run(
        self,
        jobs: Iterable[Job],
        *,
        on_result: ResultCallback | None = None,
        max_pending: int = 1024,
    ) -> list[GenerationResponse]:
        """Answer every job; returns responses in job order.

        ``on_result(index, job, response)`` (sync or async) is called as each job finishes.
        An exception from it stops the run and propagates (the caller's store failed, so
        continuing would lose work). Per-model concurrency comes from ``spec.limits``;
        ``max_pending`` bounds how many jobs wait at once (memory for huge runs).
        """
        job_list = list(jobs)
        for job in job_list:  # fail fast on configuration before any call is made
            self.prepare(job.spec)
        results: list[GenerationResponse | None] = [None] * len(job_list)
        window = asyncio.Semaphore(max_pending)
        failures: list[BaseException] = []

        async def one(index: int, job: Job) -> None:
            try:
                response = await self.generate(job.spec, job.request)
                results[index] = response
                if on_result is not None:
                    maybe = on_result(index, job, response)
                    if inspect.isawaitable(maybe):
                        await maybe
            except Exception as exc:
                failures.append(exc)  # stops the scheduling loop below
                raise
            finally:
                window.release()

        tasks: list[asyncio.Task[None]] = []
        try:
            for index, job in enumerate(job_list):
                await window.acquire()
                if failures:  # do not start new calls once the caller's store has failed
                    break
                tasks.append(asyncio.create_task(one(index, job)))
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return [r for r in results if r is not None]

    def run_sync(
        self, jobs: Iterable[Job], *, on_result: ResultCallback | None = None
    ) -> list[GenerationResponse]:
        """Blocking :meth:`run` in a fresh event loop; closes the engine afterwards."""

        async def main() -> list[GenerationResponse]:
            try:
                return await self.run(jobs, on_result=on_result)
            finally:
                await self.aclose()

        return asyncio.run(main())

    async def aclose(self) -> None:
        """Close providers and the cache."""
        for state in self._states.values():
            await state.provider.aclose()
        self._states.clear()
        if self._writer is not None:
            await self._writer.aclose()

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- internals -----------------------------------------------------------------------

    def _cost_exhausted(self) -> bool:
        if self.cost_limit_usd is None or self._spent < self.cost_limit_usd:
            return False
        if self.stop_reason is None:
            self.stop_reason = (
                f"cost limit ${self.cost_limit_usd:.4f} reached (spent ${self._spent:.4f}); "
                "no further calls issued"
            )
            log.warning("%s", self.stop_reason)
        return True

    async def _call(
        self, spec: ModelSpec, request: GenerationRequest, totals: ModelTotals
    ) -> GenerationResponse:
        state = self._states[spec.engine_key]
        limits = spec.limits
        attempt = 0
        while True:
            attempt += 1
            error = await self._attempt(state, spec, request, totals, attempt)
            if isinstance(error, GenerationResponse):
                return error
            if error.kind is ErrorKind.COST_LIMIT:
                totals.failed += 1
                info = ErrorInfo(ErrorKind.COST_LIMIT, error.message, None, attempt - 1)
                return GenerationResponse.failure(info)
            message = redact(error.message, (spec.api_key_env or "",))[:_MAX_ERROR_CHARS]
            if not error.retryable or attempt > limits.max_retries:
                totals.failed += 1
                bound = " (retries exhausted)" if error.retryable else ""
                log.warning(
                    "%s: failed after %d attempt(s): %s: %s",
                    spec.label,
                    attempt,
                    error.kind.value,
                    message + bound,
                )
                info = ErrorInfo(error.kind, message + bound, error.status, attempt)
                return GenerationResponse.failure(info)
            delay = self.retry.delay(attempt, error.retry_after)
            log.info(
                "%s: attempt %d failed (%s: %s); retrying in %.2f s",
                spec.label,
                attempt,
                error.kind.value,
                message,
                delay,
            )
            await asyncio.sleep(delay)

    async def _attempt(
        self,
        state: _ModelState,
        spec: ModelSpec,
        request: GenerationRequest,
        totals: ModelTotals,
        attempt: int,
    ) -> GenerationResponse | ProviderError:
        """One call under the model's limits: the answer, or the error to judge for retry."""
        timeout = spec.limits.timeout_s
        async with state.semaphore:
            # Checked once a slot is ours: calls queued behind the limit must not slip through.
            if self._cost_exhausted():
                return ProviderError(ErrorKind.COST_LIMIT, self.stop_reason or "cost limit")
            if state.rpm is not None:
                await state.rpm.acquire(1)
            estimate = _estimate_tokens(request)
            if state.tpm is not None:
                await state.tpm.acquire(estimate)
            totals.attempts += 1
            started = time.monotonic()
            try:
                # asyncio.timeout, not wait_for: no extra task per call.
                async with asyncio.timeout(timeout):
                    response = await state.provider.generate(request, timeout_s=timeout)
            except ProviderError as exc:
                return exc
            except TimeoutError:
                return ProviderError(ErrorKind.TIMEOUT, f"no answer within {timeout:g} s")
            except Exception as exc:  # a provider bug or SDK surprise must not end the run
                return ProviderError(ErrorKind.UNKNOWN, f"{type(exc).__name__}: {exc}")
            latency = time.monotonic() - started
        if state.tpm is not None:
            state.tpm.adjust(estimate - response.usage.total_tokens)
        cost = self.prices.cost(spec.provider, spec.model, response.usage)
        notes = response.notes
        if cost is None:
            totals.unpriced_calls += 1
            notes = (*notes, f"no price for {spec.model}: cost not counted")
        else:
            self._spent += cost
            totals.cost_usd += cost
        totals.calls += 1
        totals.input_tokens += response.usage.input_tokens
        totals.output_tokens += response.usage.output_tokens
        return replace(
            response, cost_usd=cost, cached=False, notes=notes, latency_s=latency, attempts=attempt
        )
