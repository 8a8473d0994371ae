"""Retry policy: bounded exponential backoff with full jitter that honours ``Retry-After``."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait before retry number ``attempt`` (1-based).

    Attributes
    ----------
    base_delay_s:
        Backoff scale: the cap for retry *k* is ``base_delay_s * 2**(k-1)``.
    max_delay_s:
        Upper bound on any backoff delay.
    max_retry_after_s:
        Upper bound on a server's ``Retry-After`` (a server asking for an hour should not
        stall a study for an hour; the retry then simply fails again and is recorded).
    """

    base_delay_s: float = 1.0
    max_delay_s: float = 60.0
    max_retry_after_s: float = 120.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to sleep before retry ``attempt``.

        With ``Retry-After`` the wait is at least what the server asked (plus up to 10 %
        jitter so that many clients do not return at once); otherwise "full jitter"
        backoff: uniform in ``[0, min(max, base * 2**(attempt-1))]``, which spreads
        retries of concurrent calls best.
        """
        if retry_after is not None:
            wait = min(max(retry_after, 0.0), self.max_retry_after_s)
            return wait * (1.0 + 0.1 * random.random())
        cap = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        return random.uniform(0.0, cap)


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    if not headers:
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    ms = lower.get("retry-after-ms")
    if ms is not None:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = lower.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # neither seconds nor an HTTP date: ignore rather than fail the call
    return max(parsed.timestamp() - time.time(), 0.0)
