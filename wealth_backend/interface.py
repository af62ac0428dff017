"""``WealthBackend``: what the robots' actions may ask of a core system, and its errors.

Actions call this interface, never a database: the demo runs on ``SqlWealthBackend``
(seeded fictional customers), a bank plugs in ``HttpWealthBackend`` against its core.
Writes (redeem, change card, record an assessment, request a document, file a complaint)
take a ``request_id``: sending the same request twice returns the first result instead of
doing it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from risk_hooks.profile import CustomerProfile
from wealth_backend.models import (
    BankCard,
    Customer,
    Holding,
    Order,
    RedeemPreview,
    RiskAssessment,
    ServiceRequest,
    Transaction,
)

__all__ = ["BackendError", "WealthBackend"]


class BackendError(Exception):
    """A request the backend refuses; ``code`` is stable, ``message`` is Chinese for the customer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class WealthBackend(Protocol):
    def get_customer(self, customer_id: str) -> Customer | None: ...

    def get_profile(self, customer_id: str, today: dt.date | None = None) -> CustomerProfile | None:
        """The customer as the risk hooks and the recommender see them (holdings included)."""
        ...

    def list_customers(self, limit: int | None = None) -> list[Customer]: ...

    def list_holdings(self, customer_id: str) -> list[Holding]: ...

    def list_orders(self, customer_id: str, limit: int = 20) -> list[Order]: ...

    def get_order(self, customer_id: str, order_id: str) -> Order | None: ...

    def list_transactions(self, customer_id: str, since: dt.datetime | None = None) -> list[Transaction]: ...

    def list_bank_cards(self, customer_id: str) -> list[BankCard]: ...

    def record_assessment(
        self, customer_id: str, answers: list[int], request_id: str, today: dt.date | None = None
    ) -> RiskAssessment: ...

    def preview_redeem(
        self, customer_id: str, product_code: str, *, shares: float | None = None, amount: float | None = None
    ) -> RedeemPreview: ...

    def redeem(
        self,
        customer_id: str,
        product_code: str,
        request_id: str,
        *,
        shares: float | None = None,
        amount: float | None = None,
    ) -> Order: ...

    def change_bank_card(
        self, customer_id: str, bank: str, card_number: str, request_id: str
    ) -> BankCard: ...

    def request_document(self, customer_id: str, kind: str, period: str, request_id: str) -> ServiceRequest:
        """File a statement (``kind`` ``statement``, ``period`` ``2026-10`` / ``2026-Q3`` / ``2025``)
        or an asset certificate (``certificate``, ``period`` the as-of day ``2026-11-25``).

        Raises:
            BackendError: ``bad_kind``, ``bad_period`` (malformed or in the future), ``unknown_customer``.
        """
        ...

    def record_complaint(self, customer_id: str, text: str, severity: str, request_id: str) -> ServiceRequest:
        """File a complaint (``severity`` ``mild`` or ``angry``) for the complaints team."""
        ...

    def list_service_requests(self, customer_id: str) -> list[ServiceRequest]:
        """The customer's document requests and complaints, newest first."""
        ...
