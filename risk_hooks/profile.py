"""What the risk hooks know of a customer and of a product, independent of where they live.

``ProductFacts`` is a protocol so that ``knowledge.catalogue.Product`` (a layer above)
satisfies it without ``risk_hooks`` importing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["CustomerProfile", "ProductFacts"]


class ProductFacts(Protocol):
    code: str
    name: str
    type: str
    risk_level: int
    term_days: int
    min_amount: float


@dataclass(frozen=True)
class CustomerProfile:
    """A customer as suitability sees them.

    Attributes:
        risk_level: 1–5 (C1–C5 in the assessment, matched against R1–R5); None: never assessed.
        assessment_valid_until: the assessment expires after this day.
        holdings: amount held per product code (yuan).
    """

    customer_id: str
    risk_level: int | None = None
    assessment_valid_until: dt.date | None = None
    birth_date: dt.date | None = None
    total_assets: float = 0.0
    holdings: dict[str, float] = field(default_factory=dict)
    is_professional: bool = False

    def age(self, today: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - int(before_birthday)
