"""The SQL schema of the demo backend (SQLAlchemy Core; SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "METADATA",
    "assessments",
    "bank_cards",
    "customers",
    "holdings",
    "orders",
    "service_requests",
    "transactions",
]

METADATA = MetaData()

customers = Table(
    "wb_customers",
    METADATA,
    Column("customer_id", String(32), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("phone", String(32), nullable=False),
    Column("city", String(32), nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("risk_level", Integer),
    Column("assessed_on", Date),
    Column("assessment_valid_until", Date),
    Column("vip_tier", String(16), nullable=False),
    Column("is_professional", Boolean, nullable=False, default=False),
)

assessments = Table(
    "wb_assessments",
    METADATA,
    Column("request_id", String(64), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("level", Integer, nullable=False),
    Column("score", Integer, nullable=False),
    Column("answers", Text, nullable=False),
    Column("assessed_on", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
)

holdings = Table(
    "wb_holdings",
    METADATA,
    Column("customer_id", String(32), primary_key=True),
    Column("product_code", String(32), primary_key=True),
    Column("shares", Float, nullable=False),
    Column("cost", Float, nullable=False),
    Column("acquired_on", Date, nullable=False),
)

orders = Table(
    "wb_orders",
    METADATA,
    Column("order_id", String(32), primary_key=True),
    Column("request_id", String(64), nullable=False, unique=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("product_code", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", Float, nullable=False),
    Column("shares", Float, nullable=False),
    Column("fee", Float, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expected_arrival", Date),
    Column("bank_card_id", String(32)),
)

transactions = Table(
    "wb_transactions",
    METADATA,
    Column("txn_id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("amount", Float, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("counterparty", String(64), nullable=False, default=""),
)

bank_cards = Table(
    "wb_bank_cards",
    METADATA,
    Column("card_id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("bank", String(32), nullable=False),
    Column("last4", String(4), nullable=False),
    Column("is_default", Boolean, nullable=False),
    Column("bound_on", Date, nullable=False),
    Column("request_id", String(64), unique=True),
)

service_requests = Table(
    "wb_service_requests",
    METADATA,
    Column("ticket", String(32), primary_key=True),
    Column("request_id", String(64), nullable=False, unique=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("period", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("ready_by", Date, nullable=False),
    Column("notify_phone", String(32), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
)
