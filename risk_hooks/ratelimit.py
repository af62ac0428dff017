"""In-process token buckets: at most ``capacity`` messages at once, refilled at a steady rate.

One bucket per key (sender id, device id); the least recently used keys are forgotten
past ``max_keys`` so a flood of new ids cannot exhaust memory. The clock is injectable,
so tests step time instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Clock", "RateLimit", "RateLimiter"]

Clock = Callable[[], float]


@dataclass(frozen=True)
class RateLimit:
    """``capacity`` messages in a burst, refilled at ``per_minute`` messages per minute."""

    capacity: int = 10
    per_minute: float = 20.0

    def __post_init__(self) -> None:
        if self.capacity < 1 or self.per_minute <= 0:
            raise ValueError(f"rate limit needs capacity >= 1 and per_minute > 0, got {self}")


class RateLimiter:
    """Token buckets keyed by any string.

    Args:
        limit: capacity and refill rate of every bucket.
        clock: seconds, monotonic (``time.monotonic`` by default).
        max_keys: buckets kept; the least recently used go first.
    """

    def __init__(self, limit: RateLimit, clock: Clock = time.monotonic, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        now = self.clock()
        rate = self.limit.per_minute / 60.0
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.limit.capacity), now))
            tokens = min(float(self.limit.capacity), tokens + max(0.0, now - at) * rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return allowed
