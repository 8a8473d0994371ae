"""Async token-bucket limiter for requests per minute and tokens per minute."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """A token bucket refilled at ``per_minute / 60`` units per second.

    The bucket holds at most ten seconds' worth (at least one request's worth), so a
    fresh run does not burst a whole minute's quota at once. Waiters are served in
    arrival order. ``acquire`` of more than the capacity waits for a full bucket and
    drives it negative, so a single large request is never blocked forever.
    """

    def __init__(self, per_minute: float) -> None:
        if per_minute <= 0:
            raise ValueError(f"rate limit must be > 0 per minute, got {per_minute}")
        self.rate = per_minute / 60.0
        self.capacity = max(per_minute / 6.0, 1.0)
        self._level = self.capacity
        self._stamp = time.monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        self._level = min(self.capacity, self._level + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self, amount: float = 1.0) -> None:
        """Wait until ``amount`` units are available and take them."""
        async with self._lock:
            need = min(amount, self.capacity)
            while True:
                self._refill()
                if self._level >= need:
                    self._level -= amount
                    return
                await asyncio.sleep((need - self._level) / self.rate)

    def adjust(self, delta: float) -> None:
        """Give back (``delta > 0``) or take (``< 0``) units once the real cost is known."""
        self._refill()
        self._level = min(self.capacity, self._level + delta)
