"""Anti-bonus-hunting signals from a message's metadata (薅羊毛: farming sign-up bonuses).

The channel passes what it knows in ``UserMessage.metadata``:

- ``device_id``: the device the message came from;
- ``accounts_per_device``: how many accounts the device has logged in to;
- ``coupon_only``: the account only ever claims coupons and never holds a product;
- ``sent_at``: when the client sent the message (epoch seconds; the guard's clock otherwise);
- ``inter_message_ms``: the client's own list of gaps between messages, if it measures them.

Scripted clients give themselves away by their timing: gaps far shorter than a person
types, or nearly identical gaps one after another.
"""

from __future__ import annotations

import statistics
import threading
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BonusHuntingConfig", "BonusHuntingDetector", "BonusSignal"]


@dataclass(frozen=True)
class BonusHuntingConfig:
    """Thresholds; a signal fires at or past them."""

    max_accounts_per_device: int = 3
    flag_coupon_only: bool = True
    timing_window: int = 6  # gaps looked at
    min_human_gap_s: float = 1.0  # mean gap below this: no person types that fast
    max_gap_variation: float = 0.08  # coefficient of variation below this: metronome timing
    max_regular_gap_s: float = 30.0  # regular timing only counts for gaps this short
    block_at_signals: int = 3  # this many signals at once: block instead of warn


@dataclass(frozen=True)
class BonusSignal:
    """One signal: the rule id and why (English, for the audit trail)."""

    rule: str
    reason: str


class BonusHuntingDetector:
    """Keeps recent arrival times per sender and reads the metadata of each message."""

    def __init__(self, config: BonusHuntingConfig | None = None, max_senders: int = 100_000) -> None:
        self.config = config or BonusHuntingConfig()
        self.max_senders = max_senders
        self._arrivals: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def signals(self, sender_id: str, metadata: Mapping[str, Any], now: float) -> list[BonusSignal]:
        """The signals this message raises (none for ordinary customers).

        Args:
            sender_id: the conversation's sender.
            metadata: the message's metadata (see the module docstring); bad values are ignored.
            now: the guard's clock, used when the metadata has no ``sent_at``.
        """
        found: list[BonusSignal] = []
        accounts = _number(metadata.get("accounts_per_device"))
        if accounts is not None and accounts >= self.config.max_accounts_per_device:
            found.append(BonusSignal("bonus_multi_account", f"{int(accounts)} accounts on one device"))
        if self.config.flag_coupon_only and metadata.get("coupon_only") is True:
            found.append(BonusSignal("bonus_coupon_only", "account only claims coupons"))
        gaps = self._gaps(sender_id, metadata, now)
        reason = self._scripted(gaps)
        if reason:
            found.append(BonusSignal("bonus_scripted_timing", reason))
        return found

    def _gaps(self, sender_id: str, metadata: Mapping[str, Any], now: float) -> list[float]:
        given = metadata.get("inter_message_ms")
        if isinstance(given, list) and given and all(_number(g) is not None for g in given):
            return [float(g) / 1000.0 for g in given][-self.config.timing_window :]
        sent_at = _number(metadata.get("sent_at"))
        at = sent_at if sent_at is not None else now
        with self._lock:
            times = self._arrivals.pop(sender_id, None) or deque(maxlen=self.config.timing_window + 1)
            times.append(at)
            self._arrivals[sender_id] = times
            while len(self._arrivals) > self.max_senders:
                self._arrivals.popitem(last=False)
            points = list(times)
        return [b - a for a, b in zip(points, points[1:], strict=False)]

    def _scripted(self, gaps: list[float]) -> str | None:
        if len(gaps) < self.config.timing_window:
            return None
        mean = statistics.fmean(gaps)
        if mean < self.config.min_human_gap_s:
            return f"mean gap {mean:.2f}s over {len(gaps)} messages"
        variation = statistics.pstdev(gaps) / mean if mean > 0 else 0.0
        if mean <= self.config.max_regular_gap_s and variation < self.config.max_gap_variation:
            return f"metronome timing: gap {mean:.2f}s, variation {variation:.3f}"
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
