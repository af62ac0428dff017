"""Suitability over a generated grid of customers × products of every risk level: zero violations."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from risk_hooks.profile import CustomerProfile
from risk_hooks.suitability import SuitabilityPolicy, check_suitability

TODAY = dt.date(2026, 6, 30)
RULES = {
    "assessment_missing",
    "assessment_expired",
    "invalid_product",
    "risk_above_customer",
    "elderly_high_risk",
    "below_min_amount",
    "concentration",
    "error",
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _customers() -> list[CustomerProfile]:
    levels = [None, 1, 2, 3, 4, 5]
    validity = [TODAY + dt.timedelta(days=200), TODAY, TODAY - dt.timedelta(days=1), None]
    ages = [None, 18, 40, 64, 65, 66, 80]
    out = []
    for n, (level, valid, age, pro) in enumerate(itertools.product(levels, validity, ages, (False, True))):
        birth = None if age is None else dt.date(TODAY.year - age, TODAY.month, TODAY.day)
        out.append(CustomerProfile(f"c{n}", level, valid, birth, 1_000_000.0, {}, pro))
    return out


def _all_products(products: tuple, fake_product: type) -> list[object]:
    products = [*products]
    products += [fake_product(f"G{level}", f"网格产品R{level}", "混合", level) for level in range(1, 6)]
    try:  # the demo catalogue, where it exists
        from knowledge.catalogue import DEFAULT_PRODUCTS_FILE, load_catalogue

        if DEFAULT_PRODUCTS_FILE.exists():
            products += list(load_catalogue())
    except ImportError:
        pass
    return products


def test_suitability_grid_has_zero_violations(products, fake_product) -> None:
    policy = SuitabilityPolicy()
    checked = allowed_count = 0
    for customer, product in itertools.product(_customers(), _all_products(products, fake_product)):
        result = check_suitability(customer, product, today=TODAY, policy=policy)  # type: ignore[arg-type]
        checked += 1
        age = customer.age(TODAY)
        expired = customer.assessment_valid_until is not None and customer.assessment_valid_until < TODAY
        elderly_blocked = (
            age is not None and age >= 65 and product.risk_level >= 4 and not customer.is_professional  # type: ignore[attr-defined]
        )
        must_block = (
            customer.risk_level is None
            or expired
            or product.risk_level > customer.risk_level  # type: ignore[attr-defined]
            or elderly_blocked
        )
        assert result.allowed is not must_block, (customer, product, result)
        if result.allowed:
            allowed_count += 1
            assert product.risk_level <= customer.risk_level  # type: ignore[attr-defined,operator]
        else:
            assert result.rule in RULES and CHINESE.search(result.reason), result
    assert checked >= 336 * 10 and allowed_count > 0


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"risk_level": None}, "assessment_missing"),
        ({"assessment_valid_until": TODAY - dt.timedelta(days=1)}, "assessment_expired"),
        ({"risk_level": 2}, "risk_above_customer"),
        ({"birth_date": dt.date(1950, 1, 1)}, "elderly_high_risk"),
    ],
    ids=["missing", "expired", "above_level", "elderly"],
)
def test_suitability_blocks_with_rule_and_chinese_reason(products, kwargs: dict, rule: str) -> None:
    base = {"customer_id": "c1", "risk_level": 5, "assessment_valid_until": TODAY, "total_assets": 1e6}
    customer = CustomerProfile(**{**base, **kwargs})
    result = check_suitability(customer, products[3], today=TODAY)
    assert (result.allowed, result.rule) == (False, rule)
    assert CHINESE.search(result.reason)


def test_suitability_elderly_professional_and_configurable_age(products) -> None:
    old = CustomerProfile("c1", 5, TODAY, dt.date(1950, 1, 1), 1e6, {}, is_professional=True)
    assert check_suitability(old, products[4], today=TODAY).allowed
    sixty = CustomerProfile("c2", 5, TODAY, dt.date(1965, 1, 1), 1e6)
    assert check_suitability(sixty, products[4], today=TODAY).allowed
    strict = SuitabilityPolicy(elderly_age=60, elderly_blocked_from_level=3)
    assert check_suitability(sixty, products[2], today=TODAY, policy=strict).rule == "elderly_high_risk"


def test_suitability_min_amount(products) -> None:
    customer = CustomerProfile("c1", 5, TODAY, total_assets=1e6)
    assert check_suitability(customer, products[4], amount=5000, today=TODAY).rule == "below_min_amount"
    assert check_suitability(customer, products[4], amount=10000, today=TODAY).allowed


def test_suitability_concentration_after_purchase(products) -> None:
    customer = CustomerProfile(
        "c1", 5, TODAY, total_assets=100_000, holdings={"TST004": 30_000, "TST002": 20_000}
    )
    assert check_suitability(customer, products[3], amount=20_000, today=TODAY).allowed  # 50% exactly
    blocked = check_suitability(customer, products[3], amount=20_001, today=TODAY)
    assert blocked.rule == "concentration" and "集中度" in blocked.reason
    looser = SuitabilityPolicy(concentration_limit=0.8)
    assert check_suitability(customer, products[3], amount=40_000, today=TODAY, policy=looser).allowed
    # cash-like R1 products are exempt; unknown assets skip the rule
    assert check_suitability(customer, products[0], amount=90_000, today=TODAY).allowed
    unknown = CustomerProfile("c2", 5, TODAY)
    assert check_suitability(unknown, products[3], amount=90_000, today=TODAY).allowed


def test_suitability_assessment_date_can_be_required(products) -> None:
    customer = CustomerProfile("c1", 5, None, total_assets=1e6)
    assert check_suitability(customer, products[1], today=TODAY).allowed
    policy = SuitabilityPolicy(require_assessment_date=True)
    assert check_suitability(customer, products[1], today=TODAY, policy=policy).rule == "assessment_expired"


@pytest.mark.parametrize(
    ("customer", "product_index", "amount"),
    [
        (CustomerProfile("c1", "3", TODAY), 0, None),  # type: ignore[arg-type]
        (CustomerProfile("c1", 9, TODAY), 0, None),
        (CustomerProfile("c1", 5, TODAY, total_assets=1e6), None, None),
        (CustomerProfile("c1", 5, TODAY, total_assets=1e6), 1, float("nan")),
        (CustomerProfile("c1", 5, TODAY, total_assets=1e6), 1, -100.0),
        (CustomerProfile("c1", 5, TODAY, birth_date="1950-01-01"), 4, None),  # type: ignore[arg-type]
    ],
    ids=["level_str", "level_9", "not_a_product", "nan_amount", "negative_amount", "birth_date_str"],
)
def test_suitability_fails_closed_on_bad_input(products, customer, product_index, amount) -> None:
    product = object() if product_index is None else products[product_index]
    result = check_suitability(customer, product, amount=amount, today=TODAY)
    assert not result.allowed and result.rule in {"error", "invalid_product"}
    assert CHINESE.search(result.reason)


def test_suitability_bad_product_level_is_blocked(fake_product) -> None:
    customer = CustomerProfile("c1", 5, TODAY)
    for level in (0, 6, None, 3.5):
        result = check_suitability(customer, fake_product("X", "坏数据", "混合", level), today=TODAY)  # type: ignore[arg-type]
        assert (result.allowed, result.rule) == (False, "invalid_product")
