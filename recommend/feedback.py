"""Negative feedback: "不感兴趣" hides that product, and damps its type, for a configurable time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["FeedbackConfig", "FeedbackStore", "Suppression"]


@dataclass(frozen=True)
class FeedbackConfig:
    """``product_days``: the product is hidden; ``type_days``: its type is down-weighted."""

    product_days: int = 30
    type_days: int = 7


@dataclass
class Suppression:
    """What is suppressed for one customer today."""

    products: dict[str, dt.date] = field(default_factory=dict)  # code → suppressed until (inclusive)
    types: dict[str, dt.date] = field(default_factory=dict)  # product type → until (inclusive)


class FeedbackStore:
    """In-memory feedback per customer (one process; a deployment persists the events elsewhere)."""

    def __init__(self, config: FeedbackConfig | None = None) -> None:
        self.config = config or FeedbackConfig()
        self._negative: dict[str, Suppression] = {}
        self._positive: dict[str, set[str]] = {}

    def record(
        self, customer_id: str, code: str, product_type: str, *, interested: bool, today: dt.date
    ) -> None:
        """Store "感兴趣" (``interested``) or "不感兴趣" for a product on ``today``."""
        if interested:
            self._positive.setdefault(customer_id, set()).add(code)
            entry = self._negative.get(customer_id)
            if entry:
                entry.products.pop(code, None)
            return
        entry = self._negative.setdefault(customer_id, Suppression())
        entry.products[code] = today + dt.timedelta(days=self.config.product_days)
        entry.types[product_type] = today + dt.timedelta(days=self.config.type_days)
        self._positive.get(customer_id, set()).discard(code)

    def suppressed(self, customer_id: str, today: dt.date) -> Suppression:
        """Products and types still suppressed on ``today`` (expired entries are dropped)."""
        entry = self._negative.get(customer_id)
        if entry is None:
            return Suppression()
        entry.products = {c: d for c, d in entry.products.items() if d >= today}
        entry.types = {t: d for t, d in entry.types.items() if d >= today}
        return Suppression(dict(entry.products), dict(entry.types))

    def interested(self, customer_id: str) -> set[str]:
        """Codes the customer said they are interested in."""
        return set(self._positive.get(customer_id, set()))
