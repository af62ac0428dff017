"""Fictional demo customers for the demo backend: seeded, so every run has the same people.

The population is spread over risk levels (with never-assessed and expired assessments),
ages (young to over 70), asset sizes and activity. Holdings respect each customer's risk
level. A few customers carry transaction patterns the AML screen should flag (many
deposits just under 50,000 yuan; a purchase redeemed and transferred out within days).
Names, phone and card numbers are invented.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, insert, select

from knowledge.catalogue import Product
from wealth_backend.sql_backend import SqlWealthBackend
from wealth_backend.tables import bank_cards, customers, holdings, transactions

__all__ = ["DEMO_CUSTOMER_COUNT", "seed_demo"]

DEMO_CUSTOMER_COUNT = 240
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉琳雪梅晨浩宇欣怡子涵思远嘉懿"
_CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州", "重庆", "长沙")
_BANKS = ("工商银行", "建设银行", "农业银行", "中国银行", "招商银行", "交通银行")
_TIERS = ("普通", "普通", "普通", "黄金", "黄金", "铂金", "钻石")


def seed_demo(backend: SqlWealthBackend, count: int = DEMO_CUSTOMER_COUNT, seed: int = 20261125) -> int:
    """Fill an empty backend with ``count`` demo customers; returns how many were added (0 if not empty)."""
    with backend.engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(customers)).scalar_one():
            return 0
    rng = random.Random(seed)
    today = backend.today()
    products = [p for p in backend.catalogue if p.status == "on_sale"] or list(backend.catalogue)
    with backend.engine.begin() as conn:
        for index in range(count):
            row = _customer_row(rng, index, today)
            conn.execute(insert(customers).values(**row))
            level = row["risk_level"] or 1
            for holding in _holdings(rng, row["customer_id"], level, products, today):
                conn.execute(insert(holdings).values(**holding))
            conn.execute(insert(bank_cards).values(**_card(rng, row["customer_id"], row["registered_on"])))
            for txn in _transactions(rng, row["customer_id"], index, today):
                conn.execute(insert(transactions).values(**txn))
    return count


def _customer_row(rng: random.Random, index: int, today: dt.date) -> dict[str, object]:
    age = rng.choice((rng.randint(20, 35), rng.randint(36, 55), rng.randint(56, 64), rng.randint(65, 82)))
    birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    registered = today - dt.timedelta(days=rng.randint(10, 2500))
    # one in twelve never assessed; about one in eight assessed more than a year ago (expired)
    roll = rng.random()
    level: int | None = None if roll < 0.08 else rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
    assessed = (
        None
        if level is None
        else today - dt.timedelta(days=rng.randint(400, 900) if roll > 0.87 else rng.randint(1, 360))
    )
    return {
        "customer_id": f"C{10001 + index}",
        "name": rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2)))),
        "birth_date": birth,
        "phone": f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        "city": rng.choice(_CITIES),
        "registered_on": registered,
        "risk_level": level,
        "assessed_on": assessed,
        "assessment_valid_until": None if assessed is None else assessed + dt.timedelta(days=365),
        "vip_tier": rng.choice(_TIERS),
        "is_professional": rng.random() < 0.05,
    }


def _holdings(
    rng: random.Random, customer_id: str, level: int, products: list[Product], today: dt.date
) -> list[dict[str, object]]:
    suitable = [p for p in products if p.risk_level <= level]
    picks = rng.sample(suitable, k=min(len(suitable), rng.choice((0, 1, 2, 2, 3, 4, 5))))
    rows = []
    for product in picks:
        amount = float(max(product.min_amount, rng.choice((1_000, 5_000, 20_000, 50_000, 200_000, 800_000))))
        acquired = today - dt.timedelta(days=rng.randint(3, 700))
        nav = _nav_on(product, acquired)
        rows.append(
            {
                "customer_id": customer_id,
                "product_code": product.code,
                "shares": round(amount / nav, 2),
                "cost": amount,
                "acquired_on": acquired,
            }
        )
    return rows


def _nav_on(product: Product, day: dt.date) -> float:
    """The NAV on ``day`` (the last one before it), so holdings carry real gains and losses."""
    before = [p for p in product.nav_history if p.date <= day]
    point = before[-1] if before else (product.nav_history[0] if product.nav_history else None)
    return point.nav if point else 1.0


def _card(rng: random.Random, customer_id: str, bound_on: dt.date) -> dict[str, object]:
    number = _luhn_number(rng, "622" + "".join(str(rng.randint(0, 9)) for _ in range(12)))
    return {
        "card_id": f"K{customer_id[1:]}",
        "customer_id": customer_id,
        "bank": rng.choice(_BANKS),
        "last4": number[-4:],
        "is_default": True,
        "bound_on": bound_on,
        "request_id": None,
    }


def _luhn_number(rng: random.Random, prefix: str) -> str:
    """A card number with a valid Luhn check digit (never a real card: invented prefix + random)."""
    digits = [int(d) for d in prefix]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return prefix + str((10 - total % 10) % 10)


def _transactions(
    rng: random.Random, customer_id: str, index: int, today: dt.date
) -> list[dict[str, object]]:
    start = dt.datetime.combine(today - dt.timedelta(days=60), dt.time(10))
    rows = [
        _txn(customer_id, n, "deposit", rng.choice((2_000, 10_000, 30_000)), start + dt.timedelta(days=7 * n))
        for n in range(rng.randint(1, 4))
    ]
    if index % 40 == 7:  # structuring: several deposits just under 50,000 within a few days
        rows += [
            _txn(customer_id, 10 + n, "deposit", 49_000 + 100 * n, start + dt.timedelta(days=30, hours=n))
            for n in range(5)
        ]
    if index % 40 == 19:  # rapid in and out: buy, redeem, transfer to a new payee within days
        moment = start + dt.timedelta(days=40)
        rows += [
            _txn(customer_id, 20, "purchase", 300_000, moment),
            _txn(customer_id, 21, "redemption", 299_000, moment + dt.timedelta(days=2)),
            _txn(
                customer_id, 22, "transfer_out", 299_000, moment + dt.timedelta(days=2, hours=1), "新收款人"
            ),
        ]
    return rows


def _txn(
    customer_id: str, n: int, kind: str, amount: float, at: dt.datetime, counterparty: str = ""
) -> dict[str, object]:
    return {
        "txn_id": f"T{customer_id[1:]}{n:03d}",
        "customer_id": customer_id,
        "kind": kind,
        "amount": float(amount),
        "at": at,
        "counterparty": counterparty,
    }
