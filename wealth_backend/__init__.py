"""The demo wealth backend: customers, assessments, holdings, orders, transactions, bank cards,
statement / certificate requests and complaints.

Robots' actions use the ``WealthBackend`` interface; ``open_demo_backend`` gives the
seeded SQLite demo, ``HttpWealthBackend`` a real core system over HTTP.
"""

from __future__ import annotations

from wealth_backend.http_backend import HttpWealthBackend
from wealth_backend.interface import BackendError, WealthBackend
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
from wealth_backend.sql_backend import SqlWealthBackend

__all__ = [
    "BackendError",
    "BankCard",
    "Customer",
    "Holding",
    "HttpWealthBackend",
    "Order",
    "RedeemPreview",
    "RiskAssessment",
    "ServiceRequest",
    "SqlWealthBackend",
    "Transaction",
    "WealthBackend",
    "open_demo_backend",
]


def open_demo_backend(url: str = "sqlite:///.data/wealth.db") -> SqlWealthBackend:
    """The SQL backend at ``url``, seeded with the fictional demo customers when empty."""
    from wealth_backend.seed import seed_demo

    backend = SqlWealthBackend(url)
    seed_demo(backend)
    return backend
