"""``SqlWealthBackend``: the demo core system on SQLAlchemy (SQLite file by default)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from knowledge.catalogue import Catalogue, Product, load_catalogue
from nlu.entities._rules_ids import luhn_valid
from risk_hooks.profile import CustomerProfile
from wealth_backend.assessment import level_for_score, score_answers, valid_until
from wealth_backend.documents import add_business_days, check_period, mask_phone, ready_by
from wealth_backend.interface import BackendError
from wealth_backend.models import (
    BankCard,
    Customer,
    Holding,
    Order,
    RedeemPreview,
    RiskAssessment,
    ServiceRequest,
    ServiceRequestKind,
    Transaction,
)
from wealth_backend.tables import (
    METADATA,
    assessments,
    bank_cards,
    customers,
    holdings,
    orders,
    service_requests,
    transactions,
)

__all__ = ["SqlWealthBackend", "arrival_date"]

# business days until redeemed money reaches the card, by product type
_ARRIVAL_DAYS = {"货币": 1, "银行理财": 1, "债券": 3, "指数基金": 3, "混合": 4, "股票": 4, "保险": 5}


def arrival_date(product_type: str, start: dt.date) -> dt.date:
    """The day redeemed money arrives: T+n business days."""
    return add_business_days(start, _ARRIVAL_DAYS.get(product_type, 3))


class SqlWealthBackend:
    """The ``WealthBackend`` on a database URL (``sqlite:///…``, ``postgresql+psycopg://…``).

    Args:
        url: the database; its tables are created when missing.
        catalogue: products for NAVs, fees and terms (the shipped demo catalogue by default).
        today: the clock (injectable for tests).
    """

    def __init__(
        self,
        url: str = "sqlite:///.data/wealth.db",
        catalogue: Catalogue | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        self.catalogue = catalogue or load_catalogue()
        self.today = today
        METADATA.create_all(self.engine)

    # reads -----------------------------------------------------------------------------------------

    def get_customer(self, customer_id: str) -> Customer | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(customers).where(customers.c.customer_id == customer_id))
                .mappings()
                .first()
            )
        return _customer(row) if row else None

    def list_customers(self, limit: int | None = None) -> list[Customer]:
        query = select(customers).order_by(customers.c.customer_id).limit(limit)
        with self.engine.connect() as conn:
            return [_customer(r) for r in conn.execute(query).mappings()]

    def get_profile(self, customer_id: str, today: dt.date | None = None) -> CustomerProfile | None:
        customer = self.get_customer(customer_id)
        if customer is None:
            return None
        held = {h.product_code: h.amount for h in self.list_holdings(customer_id)}
        return CustomerProfile(
            customer_id=customer_id,
            risk_level=customer.risk_level,
            assessment_valid_until=customer.assessment_valid_until,
            birth_date=customer.birth_date,
            total_assets=round(sum(held.values()), 2),
            holdings=held,
            is_professional=customer.is_professional,
        )

    def list_holdings(self, customer_id: str) -> list[Holding]:
        query = (
            select(holdings).where(holdings.c.customer_id == customer_id).order_by(holdings.c.product_code)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        return [self._holding(r) for r in rows]

    def list_orders(self, customer_id: str, limit: int = 20) -> list[Order]:
        query = (
            select(orders)
            .where(orders.c.customer_id == customer_id)
            .order_by(orders.c.created_at.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_order(r) for r in conn.execute(query).mappings()]

    def get_order(self, customer_id: str, order_id: str) -> Order | None:
        query = select(orders).where(orders.c.customer_id == customer_id, orders.c.order_id == order_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return _order(row) if row else None

    def list_transactions(self, customer_id: str, since: dt.datetime | None = None) -> list[Transaction]:
        query = select(transactions).where(transactions.c.customer_id == customer_id)
        if since is not None:
            query = query.where(transactions.c.at >= since)
        with self.engine.connect() as conn:
            return [_transaction(r) for r in conn.execute(query.order_by(transactions.c.at)).mappings()]

    def list_bank_cards(self, customer_id: str) -> list[BankCard]:
        query = select(bank_cards).where(bank_cards.c.customer_id == customer_id)
        with self.engine.connect() as conn:
            return [_card(r) for r in conn.execute(query.order_by(bank_cards.c.bound_on)).mappings()]

    # writes (idempotent by request id) --------------------------------------------------------------

    def record_assessment(
        self, customer_id: str, answers: list[int], request_id: str, today: dt.date | None = None
    ) -> RiskAssessment:
        self._require_customer(customer_id)
        with self.engine.begin() as conn:
            done = conn.execute(select(assessments).where(assessments.c.request_id == request_id)).mappings()
            row = done.first()
            if row is not None:
                return _assessment(row)
            try:
                score = score_answers(answers)
            except ValueError as exc:
                raise BackendError("bad_answers", f"测评答案不完整：{exc}") from exc
            day = today or self.today()
            record = RiskAssessment(
                customer_id, level_for_score(score), day, valid_until(day), score, tuple(answers)
            )
            conn.execute(
                insert(assessments).values(
                    request_id=request_id,
                    customer_id=customer_id,
                    level=record.level,
                    score=score,
                    answers=json.dumps(answers),
                    assessed_on=day,
                    valid_until=record.valid_until,
                )
            )
            conn.execute(
                update(customers)
                .where(customers.c.customer_id == customer_id)
                .values(risk_level=record.level, assessed_on=day, assessment_valid_until=record.valid_until)
            )
        return record

    def preview_redeem(
        self, customer_id: str, product_code: str, *, shares: float | None = None, amount: float | None = None
    ) -> RedeemPreview:
        holding = next((h for h in self.list_holdings(customer_id) if h.product_code == product_code), None)
        if holding is None:
            raise BackendError("not_held", "您没有持有这只产品。")
        product = self._product(product_code)
        nav = _latest_nav(product)
        if shares is None:
            shares = holding.shares if amount is None else amount / nav
        if shares <= 0:
            raise BackendError("bad_amount", "赎回份额或金额需要大于零。")
        if shares > holding.shares + 1e-6:
            raise BackendError("over_holding", f"赎回份额超过持有份额（{holding.shares:,.2f}份）。")
        today = self.today()
        held_days = (today - holding.acquired_on).days
        if product.term_days and held_days < product.term_days:
            opens = holding.acquired_on + dt.timedelta(days=product.term_days)
            raise BackendError("closed_period", f"该产品在封闭期内，{opens:%Y年%m月%d日}后才能赎回。")
        gross = round(shares * nav, 2)
        rate = product.fees.redemption_rate(held_days)
        fee = round(gross * rate, 2)
        return RedeemPreview(
            product_code,
            round(shares, 2),
            gross,
            fee,
            rate,
            round(gross - fee, 2),
            arrival_date(product.type, today),
            held_days,
        )

    def redeem(
        self,
        customer_id: str,
        product_code: str,
        request_id: str,
        *,
        shares: float | None = None,
        amount: float | None = None,
    ) -> Order:
        existing = self._order_by_request(request_id)
        if existing is not None:
            if (existing.customer_id, existing.product_code) != (customer_id, product_code):
                raise BackendError("request_conflict", "这个请求号已用于另一笔交易。")
            return existing
        preview = self.preview_redeem(customer_id, product_code, shares=shares, amount=amount)
        card = next((c for c in self.list_bank_cards(customer_id) if c.is_default), None)
        now = dt.datetime.combine(self.today(), dt.datetime.now().time())
        order = Order(
            order_id=f"R{uuid.uuid4().hex[:12].upper()}",
            request_id=request_id,
            customer_id=customer_id,
            product_code=product_code,
            kind="redeem",
            amount=preview.net_amount,
            shares=preview.shares,
            fee=preview.fee,
            status="accepted",
            created_at=now,
            expected_arrival=preview.expected_arrival,
            bank_card_id=card.card_id if card else None,
        )
        with self.engine.begin() as conn:
            self._take_shares(conn, customer_id, product_code, preview.shares)
            conn.execute(insert(orders).values(**order.__dict__))
            conn.execute(
                insert(transactions).values(
                    txn_id=f"T{uuid.uuid4().hex[:12].upper()}",
                    customer_id=customer_id,
                    kind="redemption",
                    amount=preview.net_amount,
                    at=now,
                    counterparty=product_code,
                )
            )
        return order

    def change_bank_card(self, customer_id: str, bank: str, card_number: str, request_id: str) -> BankCard:
        self._require_customer(customer_id)
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(bank_cards).where(bank_cards.c.request_id == request_id))
                .mappings()
                .first()
            )
        if row is not None:
            return _card(row)
        digits = "".join(ch for ch in card_number if ch.isdigit())
        if not 16 <= len(digits) <= 19 or not luhn_valid(digits):
            raise BackendError("bad_card", "银行卡号不正确，请核对后重新输入。")
        card = BankCard(
            f"C{uuid.uuid4().hex[:10].upper()}", customer_id, bank, digits[-4:], True, self.today()
        )
        with self.engine.begin() as conn:
            conn.execute(
                update(bank_cards).where(bank_cards.c.customer_id == customer_id).values(is_default=False)
            )
            conn.execute(insert(bank_cards).values(**card.__dict__, request_id=request_id))
        return card

    def request_document(self, customer_id: str, kind: str, period: str, request_id: str) -> ServiceRequest:
        existing = self._service_request(request_id, customer_id)
        if existing is not None:
            return existing
        check_period(kind, period, self.today())
        return self._file(customer_id, kind, period, request_id, "")  # type: ignore[arg-type]

    def record_complaint(self, customer_id: str, text: str, severity: str, request_id: str) -> ServiceRequest:
        existing = self._service_request(request_id, customer_id)
        if existing is not None:
            return existing
        if severity not in ("mild", "angry"):
            raise BackendError("bad_severity", f"投诉的紧急程度不正确：{severity}。")
        return self._file(customer_id, "complaint", "", request_id, f"[{severity}] {text}")

    def list_service_requests(self, customer_id: str) -> list[ServiceRequest]:
        query = (
            select(service_requests)
            .where(service_requests.c.customer_id == customer_id)
            .order_by(service_requests.c.created_at.desc())
        )
        with self.engine.connect() as conn:
            return [ServiceRequest(**dict(r)) for r in conn.execute(query).mappings()]

    # helpers -----------------------------------------------------------------------------------------

    def _service_request(self, request_id: str, customer_id: str) -> ServiceRequest | None:
        query = select(service_requests).where(service_requests.c.request_id == request_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        if row["customer_id"] != customer_id:
            raise BackendError("request_conflict", "这个请求号已用于另一位客户的申请。")
        return ServiceRequest(**dict(row))

    def _file(
        self, customer_id: str, kind: ServiceRequestKind, period: str, request_id: str, detail: str
    ) -> ServiceRequest:
        customer = self.get_customer(customer_id)
        if customer is None:
            raise BackendError("unknown_customer", "没有找到这位客户。")
        today = self.today()
        record = ServiceRequest(
            ticket=f"{'T' if kind == 'complaint' else 'D'}{uuid.uuid4().hex[:12].upper()}",
            request_id=request_id,
            customer_id=customer_id,
            kind=kind,
            period=period,
            status="accepted",
            created_at=dt.datetime.combine(today, dt.datetime.now().time()),
            ready_by=ready_by(kind, today),
            notify_phone=mask_phone(customer.phone),
            detail=detail,
        )
        with self.engine.begin() as conn:
            conn.execute(insert(service_requests).values(**record.__dict__))
        return record

    def _require_customer(self, customer_id: str) -> None:
        if self.get_customer(customer_id) is None:
            raise BackendError("unknown_customer", "没有找到这位客户。")

    def _product(self, code: str) -> Product:
        product = self.catalogue.get(code)
        if product is None:
            raise BackendError("unknown_product", f"没有代码为{code}的产品。")
        return product

    def _holding(self, row: RowMapping) -> Holding:
        product = self.catalogue.get(row["product_code"])
        nav = _latest_nav(product) if product else 1.0
        return Holding(
            row["customer_id"],
            row["product_code"],
            row["shares"],
            round(row["shares"] * nav, 2),
            row["cost"],
            row["acquired_on"],
        )

    def _order_by_request(self, request_id: str) -> Order | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(orders).where(orders.c.request_id == request_id)).mappings().first()
        return _order(row) if row else None

    @staticmethod
    def _take_shares(conn: Connection, customer_id: str, product_code: str, shares: float) -> None:
        key = (holdings.c.customer_id == customer_id) & (holdings.c.product_code == product_code)
        held = conn.execute(select(holdings.c.shares, holdings.c.cost).where(key)).first()
        if held is None or held.shares < shares - 1e-6:
            raise BackendError("over_holding", "持有份额不足。")
        left = held.shares - shares
        if left <= 1e-6:
            conn.execute(delete(holdings).where(key))
        else:
            conn.execute(update(holdings).where(key).values(shares=left, cost=held.cost * left / held.shares))


def _latest_nav(product: Product) -> float:
    latest = product.latest_nav
    return latest.nav if latest else 1.0


def _customer(row: RowMapping) -> Customer:
    return Customer(**dict(row))


def _order(row: RowMapping) -> Order:
    return Order(**dict(row))


def _transaction(row: RowMapping) -> Transaction:
    return Transaction(**dict(row))


def _card(row: RowMapping) -> BankCard:
    values: dict[str, Any] = dict(row)
    values.pop("request_id", None)
    return BankCard(**values)


def _assessment(row: RowMapping) -> RiskAssessment:
    return RiskAssessment(
        row["customer_id"],
        row["level"],
        row["assessed_on"],
        row["valid_until"],
        row["score"],
        tuple(json.loads(row["answers"])),
    )
