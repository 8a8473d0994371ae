"""One :class:`~seccal.models.engine.Engine` on its own event-loop thread, for sync callers.

:meth:`Engine.run_sync` runs a fresh event loop per call and closes the engine after
it, so every call pays for new provider clients (an SSL context each, ~0.3 s here).
A stage that makes many small synchronous batches of calls — repair, one batch per
model, temperature, variant and round — shares one engine instead: its providers,
response cache, rate limits and cost limit live for the whole stage.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

from seccal.models.engine import Engine, Job
from seccal.models.response import GenerationResponse


class EngineLoop:
    """An engine running on a background event loop; :meth:`run` blocks until answered.

    Parameters
    ----------
    **engine_options:
        :class:`~seccal.models.engine.Engine` arguments (``cache``, ``cost_limit_usd``, ...).
    """

    def __init__(self, **engine_options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="seccal-engine", daemon=True
        )
        self._thread.start()
        self.engine = self._call(self._make(engine_options))

    @staticmethod
    async def _make(options: dict[str, Any]) -> Engine:
        return Engine(**options)

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def run(self, jobs: Sequence[Job]) -> list[GenerationResponse]:
        """Answer ``jobs`` (in order) on the shared engine."""
        if not jobs:
            return []
        result: list[GenerationResponse] = self._call(self.engine.run(jobs))
        return result

    def close(self) -> None:
        """Close the engine (providers, cache) and stop the loop (idempotent)."""
        if self._loop.is_closed():
            return
        try:
            self._call(self.engine.aclose())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> EngineLoop:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
