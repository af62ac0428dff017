"""Rules for the documents a customer may request: which periods, and when they are ready."""

from __future__ import annotations

import datetime as dt
import re

from risk_hooks.pii import mask_pii
from wealth_backend.interface import BackendError

__all__ = ["DOCUMENT_KINDS", "add_business_days", "check_period", "mask_phone", "ready_by"]

DOCUMENT_KINDS = ("statement", "certificate")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
# business days until a request is done: a statement is compiled overnight, a certificate at
# once; the complaints team calls back within one business day
_READY_DAYS = {"statement": 1, "certificate": 0, "complaint": 1}


def check_period(kind: str, period: str, today: dt.date) -> None:
    """Refuse a malformed period, or one that has not ended yet (a certificate: not after today).

    Raises:
        BackendError: ``bad_kind`` or ``bad_period``, with a Chinese message.
    """
    if kind not in DOCUMENT_KINDS:
        raise BackendError("bad_kind", f"不支持的单据类型：{kind}。")
    if kind == "certificate":
        try:
            day = dt.date.fromisoformat(period)
        except ValueError:
            raise BackendError("bad_period", "资产证明的日期格式不正确。") from None
        if day > today:
            raise BackendError("bad_period", "资产证明只能开具今天及以前的日期。")
        return
    if _last_day(period) >= today:
        raise BackendError("bad_period", "对账单只能申请已经结束的月份、季度或年度。")


def _last_day(period: str) -> dt.date:
    if match := _MONTH.match(period):
        year, month = int(match.group(1)), int(match.group(2))
        first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
        return first_of_next - dt.timedelta(days=1)
    if match := _QUARTER.match(period):
        year, quarter = int(match.group(1)), int(match.group(2))
        return _last_day(f"{year}-{quarter * 3:02d}")
    if _YEAR.match(period):
        return dt.date(int(period), 12, 31)
    raise BackendError("bad_period", "对账单期间的格式不正确（月份、季度或年度）。")


def add_business_days(start: dt.date, days: int) -> dt.date:
    """``start`` plus ``days`` business days (weekends skipped; holidays not modelled)."""
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def ready_by(kind: str, today: dt.date) -> dt.date:
    """The day a request of ``kind`` is done: ``today`` plus its business days."""
    return add_business_days(today, _READY_DAYS.get(kind, 1))


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678`` (the PII masker's rule); no recognisable number → ``****``."""
    masked = mask_pii(phone)
    return masked if masked != phone else "****"
