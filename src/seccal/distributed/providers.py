"""Model calls on a Ray cluster: provider actors behind a driver-side proxy provider.

The driver's :class:`~seccal.models.Engine` keeps doing what it does for a local
run — cache, deduplication of identical calls in flight, retries, per-model
concurrency, requests- and tokens-per-minute limits, the cost limit — and only
the provider's single attempt runs on a worker. Every call of the run passes
through that one engine before it is dispatched, so the limits hold for the
whole cluster by construction, with no limiter state that a lost node could
take with it.

:class:`ProviderWorker` actors build the real provider once (a local GGUF model
is loaded once per actor, an HTTP client is reused); :class:`RayProvider` is the
driver's stand-in that sends each attempt to the least busy actor. A lost actor
becomes a retryable ``connection`` error, so the engine's retry policy applies.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from types import ModuleType
from typing import Any

from seccal.distributed.cluster import error_line
from seccal.errors import ConfigError, InputError
from seccal.models import (
    Capabilities,
    ErrorKind,
    GenerationRequest,
    GenerationResponse,
    ModelSpec,
    ProviderError,
    create_provider,
)


class ProviderWorker:
    """Actor body: one real provider for one model spec (wrapped by ``ray.remote``).

    A provider that cannot be built (missing API key on this worker, unknown
    provider, unreadable replay file) does not kill the actor: the error is kept
    and reported to the driver by :meth:`capabilities`.
    """

    def __init__(self, spec: ModelSpec) -> None:
        self.error: tuple[str, str] | None = None
        try:
            self.provider = create_provider(spec)
        except (ConfigError, InputError) as exc:
            self.error = (type(exc).__name__, str(exc))

    def capabilities(self) -> Capabilities | tuple[str, str]:
        """The provider's capabilities, or ``(error type, message)``."""
        if self.error is not None:
            return self.error
        return self.provider.capabilities

    async def generate(
        self, request: GenerationRequest, timeout_s: float
    ) -> GenerationResponse | tuple[str, str, int | None, float | None]:
        """One attempt; a :class:`ProviderError` comes back as plain data."""
        if self.error is not None:
            return (str(ErrorKind.UNSUPPORTED), self.error[1], None, None)
        try:
            return await self.provider.generate(request, timeout_s=timeout_s)
        except ProviderError as exc:
            return (str(exc.kind), exc.message, exc.status, exc.retry_after)

    async def aclose(self) -> None:
        """Close the provider."""
        if self.error is None:
            await self.provider.aclose()


class RayProvider:
    """A :class:`~seccal.models.Provider` whose attempts run on :class:`ProviderWorker` actors.

    Parameters
    ----------
    ray:
        The connected ``ray`` module.
    spec:
        The model.
    actors:
        How many actors serve this model (spread over the nodes).
    cpus_per_actor:
        CPUs each actor reserves (0 for HTTP APIs; 1 or more for a local model).

    Raises
    ------
    ConfigError, InputError
        When the provider cannot be built on the workers (the worker's message).
    """

    def __init__(
        self, ray: ModuleType, spec: ModelSpec, *, actors: int, cpus_per_actor: float = 0.0
    ) -> None:
        self.spec = spec
        self._ray = ray
        remote = ray.remote(ProviderWorker).options(
            num_cpus=cpus_per_actor,
            max_restarts=-1,
            max_task_retries=0,  # the engine retries, under its limits and backoff
            max_concurrency=max(1, spec.limits.concurrency),
            scheduling_strategy="SPREAD",
        )
        self._actors = [remote.remote(spec) for _ in range(max(1, actors))]
        self._busy = [0] * len(self._actors)
        self._rr = itertools.count()
        caps = ray.get(self._actors[0].capabilities.remote())
        if isinstance(caps, tuple):
            self.close()
            kind, message = caps
            raise (InputError if kind == "InputError" else ConfigError)(
                f"{spec.label} on the Ray workers: {message}"
            )
        self._caps: Capabilities = caps

    @property
    def capabilities(self) -> Capabilities:
        """What the provider on the workers supports."""
        return self._caps

    @property
    def actors(self) -> tuple[Any, ...]:
        """Handles of the provider actors (for inspection and fault drills)."""
        return tuple(self._actors)

    def _pick(self) -> int:
        start = next(self._rr)
        n = len(self._actors)
        return min(((start + k) % n for k in range(n)), key=lambda i: self._busy[i])

    async def generate(self, request: GenerationRequest, *, timeout_s: float) -> GenerationResponse:
        """Make one attempt on a worker."""
        ray = self._ray
        slot = self._pick()
        self._busy[slot] += 1
        ref = self._actors[slot].generate.remote(request, timeout_s)
        try:
            result: Any = await ref
        except asyncio.CancelledError:
            ray.cancel(ref)  # the engine's timeout fired: stop the attempt on the worker
            raise
        except ray.exceptions.RayActorError as exc:
            raise ProviderError(
                ErrorKind.CONNECTION, f"Ray worker lost during the call: {error_line(exc)}"
            ) from None
        except ray.exceptions.RayError as exc:
            raise ProviderError(ErrorKind.UNKNOWN, f"Ray call failed: {error_line(exc)}") from None
        finally:
            self._busy[slot] -= 1
        if isinstance(result, GenerationResponse):
            return result
        kind, message, status, retry_after = result
        raise ProviderError(ErrorKind(kind), message, status=status, retry_after=retry_after)

    async def aclose(self) -> None:
        """Close the workers' providers and stop the actors."""
        refs = [a.aclose.remote() for a in self._actors]
        # An actor already gone has nothing to close.
        with contextlib.suppress(Exception):
            await asyncio.gather(*refs)
        self.close()

    def close(self) -> None:
        """Stop the actors without closing their providers."""
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors.clear()
