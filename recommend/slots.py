"""Read the recommendation slots as customers and the NLU fill them: "C3"/"稳健型", "5万", "半年"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nlu.normalize import find_quantities

__all__ = ["parse_amount", "parse_date", "parse_risk_level", "parse_term_days"]

# risk tolerance names in assessments (C1–C5)
_RISK_NAMES = {"保守": 1, "谨慎": 2, "稳健": 3, "积极": 4, "激进": 5, "进取": 5, "平衡": 3}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def parse_risk_level(value: Any) -> int | None:
    """``3``, ``"3"``, ``"C3"``, ``"R3"``, ``"稳健型"`` → 3; anything else → None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        level = int(value)
        return level if 1 <= level <= 5 else None
    text = str(value).strip().upper().removeprefix("C").removeprefix("R")
    if text.isdigit():
        return parse_risk_level(int(text))
    for name, level in _RISK_NAMES.items():
        if name in str(value):
            return level
    return None


def parse_amount(value: Any) -> float | None:
    """``50000``, ``"5万"``, ``"五万元"`` → 50000.0; None when no positive amount is found."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    spans = [s for s in find_quantities(str(value)) if s.kind.value in ("amount", "number") and s.value > 0]
    return float(spans[0].value) if spans else None


def parse_term_days(value: Any) -> int | None:
    """``90``, ``"三个月"``, ``"半年"``, ``"1年"`` → days; ``"活期"``/``"随时"`` → 0."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if value >= 0 else None
    text = str(value)
    if any(word in text for word in ("活期", "随时", "随存随取", "开放")):
        return 0
    for span in find_quantities(text):
        if span.kind.value == "duration" and span.unit in _UNIT_DAYS:
            return int(round(span.value * _UNIT_DAYS[span.unit]))
    return None


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (or date) → date; None otherwise."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
