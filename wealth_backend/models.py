"""The records a wealth-management core system keeps about a customer (fictional demo data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BankCard",
    "Customer",
    "Holding",
    "Order",
    "OrderKind",
    "OrderStatus",
    "RedeemPreview",
    "RiskAssessment",
    "ServiceRequest",
    "ServiceRequestKind",
    "Transaction",
]

OrderKind = Literal["purchase", "redeem"]
OrderStatus = Literal["accepted", "confirmed", "paid_out", "cancelled", "failed"]
# 对账单 / 资产证明 / 投诉
ServiceRequestKind = Literal["statement", "certificate", "complaint"]


@dataclass(frozen=True)
class Customer:
    """A customer. ``risk_level`` is the latest assessment's 1–5 (C1–C5); None: never assessed."""

    customer_id: str
    name: str
    birth_date: dt.date
    phone: str
    city: str
    registered_on: dt.date
    risk_level: int | None = None
    assessed_on: dt.date | None = None
    assessment_valid_until: dt.date | None = None
    vip_tier: str = "普通"
    is_professional: bool = False


@dataclass(frozen=True)
class RiskAssessment:
    customer_id: str
    level: int
    assessed_on: dt.date
    valid_until: dt.date
    score: int
    answers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Holding:
    """Shares of one product; ``amount`` is their value at the latest NAV (yuan)."""

    customer_id: str
    product_code: str
    shares: float
    amount: float
    cost: float
    acquired_on: dt.date


@dataclass(frozen=True)
class Order:
    """A purchase or redemption; ``request_id`` makes the write idempotent."""

    order_id: str
    request_id: str
    customer_id: str
    product_code: str
    kind: OrderKind
    amount: float
    shares: float
    fee: float
    status: OrderStatus
    created_at: dt.datetime
    expected_arrival: dt.date | None = None
    bank_card_id: str | None = None


@dataclass(frozen=True)
class Transaction:
    """Money moving in or out of the customer's account (the AML screen reads these)."""

    txn_id: str
    customer_id: str
    kind: Literal["deposit", "withdrawal", "purchase", "redemption", "transfer_out", "transfer_in"]
    amount: float
    at: dt.datetime
    counterparty: str = ""


@dataclass(frozen=True)
class BankCard:
    """A linked card; only the masked number and the last four digits are ever kept."""

    card_id: str
    customer_id: str
    bank: str
    last4: str
    is_default: bool = True
    bound_on: dt.date = field(default_factory=dt.date.today)

    @property
    def masked(self) -> str:
        return f"{self.bank}（尾号{self.last4}）"


@dataclass(frozen=True)
class RedeemPreview:
    """What a redemption would pay, before the customer confirms."""

    product_code: str
    shares: float
    gross_amount: float
    fee: float
    fee_rate: float
    net_amount: float
    expected_arrival: dt.date
    held_days: int


@dataclass(frozen=True)
class ServiceRequest:
    """A statement, asset certificate or complaint the service robot filed for the customer.

    Attributes:
        ticket: the number the customer is given (``D…`` documents, ``T…`` complaints).
        request_id: makes the write idempotent.
        period: a statement's month ``2026-10``, quarter ``2026-Q3`` or year ``2025``; a
            certificate's as-of day ``2026-11-25``; empty for a complaint.
        notify_phone: where the customer is told it is ready, masked (``138****5678``).
        ready_by: the day the document is ready (the reply deadline for a complaint).
        detail: a complaint's words and severity (``mild`` / ``angry``).
    """

    ticket: str
    request_id: str
    customer_id: str
    kind: ServiceRequestKind
    period: str
    status: Literal["accepted", "done"]
    created_at: dt.datetime
    ready_by: dt.date
    notify_phone: str = ""
    detail: str = ""
