"""Suitability (适当性): may this product be offered to, or bought by, this customer?

Rules, checked in this order; the first that fails decides, with a reason in Chinese:

1. ``assessment_missing`` / ``assessment_expired``: no valid risk assessment (风险测评);
2. ``invalid_product``: the product's risk level is not R1–R5 (bad data never passes);
3. ``risk_above_customer``: product risk level above the customer's (C1–C5 vs R1–R5);
4. ``elderly_high_risk``: customers aged ``elderly_age`` or more may not be offered products
   of ``elderly_blocked_from_level`` or above, unless they are professional investors;
5. ``below_min_amount``: a purchase ``amount`` below the product's minimum;
6. ``concentration``: after the purchase, one product would exceed ``concentration_limit``
   of the customer's total assets (R1 products, cash-like, are exempt by default).

Any error (missing attribute, bad type) blocks the offer: suitability fails closed.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

from risk_hooks.profile import CustomerProfile, ProductFacts

__all__ = ["SuitabilityPolicy", "SuitabilityResult", "check_suitability"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SuitabilityPolicy:
    """The configurable limits (``suitability:`` in a bot's ``risk.yml``).

    Attributes:
        elderly_age: from this age on the elderly rule applies.
        elderly_blocked_from_level: products of this risk level or above are blocked for the elderly.
        concentration_limit: the largest share (0–1] of total assets one product may reach.
        concentration_exempt_up_to_level: products up to this risk level are exempt (0: none).
        require_assessment_date: an assessment without ``assessment_valid_until`` counts as
            expired (off by default: profiles from systems that do not track expiry stay usable).
    """

    elderly_age: int = 65
    elderly_blocked_from_level: int = 4
    concentration_limit: float = 0.5
    concentration_exempt_up_to_level: int = 1
    require_assessment_date: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.concentration_limit <= 1:
            raise ValueError(f"concentration_limit must be in (0, 1], got {self.concentration_limit}")
        if not 1 <= self.elderly_blocked_from_level <= 6:
            raise ValueError(f"elderly_blocked_from_level must be 1-6, got {self.elderly_blocked_from_level}")


@dataclass(frozen=True)
class SuitabilityResult:
    """``allowed`` plus, when blocked, the rule and a reason in Chinese for the customer."""

    allowed: bool
    rule: str = "ok"
    reason: str = ""


def check_suitability(
    customer: CustomerProfile,
    product: ProductFacts,
    *,
    amount: float | None = None,
    today: dt.date | None = None,
    policy: SuitabilityPolicy | None = None,
) -> SuitabilityResult:
    """Check one offer (``amount`` None) or purchase; fails closed (any error blocks).

    Args:
        customer: the customer as suitability sees them.
        product: anything with the ``ProductFacts`` attributes (``knowledge.catalogue.Product``).
        amount: the purchase amount in yuan; None for an offer without an amount.
        today: the day to judge expiry and age on (today by default).
        policy: the limits (defaults: age 65 / R4, 50% concentration).

    Returns:
        ``SuitabilityResult``; ``allowed`` False carries the rule and a Chinese reason.
    """
    try:
        return _check(customer, product, amount, today or dt.date.today(), policy or SuitabilityPolicy())
    except Exception as exc:  # fail closed for offers, and say so in the log
        logger.exception("suitability check failed for %r", getattr(customer, "customer_id", customer))
        return SuitabilityResult(
            False, "error", f"适当性检查暂时无法完成（{type(exc).__name__}），为保护您的权益，暂不能办理。"
        )


def _check(
    customer: CustomerProfile,
    product: ProductFacts,
    amount: float | None,
    today: dt.date,
    policy: SuitabilityPolicy,
) -> SuitabilityResult:
    level = customer.risk_level
    if level is None:
        return SuitabilityResult(
            False, "assessment_missing", "您还没有完成风险测评，请先完成风险测评后再了解或购买产品。"
        )
    if not _is_level(level):
        raise ValueError(f"customer risk level {level!r} is not 1-5")
    valid_until = customer.assessment_valid_until
    if (valid_until is None and policy.require_assessment_date) or (
        valid_until is not None and valid_until < today
    ):
        return SuitabilityResult(
            False, "assessment_expired", "您的风险测评已过期或缺少有效期，请重新测评后再办理。"
        )
    product_level = product.risk_level
    if not _is_level(product_level):
        return SuitabilityResult(False, "invalid_product", "该产品的风险等级信息不完整，暂不能办理。")
    if product_level > level:
        return SuitabilityResult(
            False,
            "risk_above_customer",
            f"该产品风险等级为R{product_level}，高于您的风险承受能力等级C{level}，暂不能为您推荐或办理。",
        )
    elderly = _check_elderly(customer, product_level, today, policy)
    if elderly is not None:
        return elderly
    if amount is not None:
        return _check_amount(customer, product, float(amount), policy)
    return SuitabilityResult(True)


def _check_elderly(
    customer: CustomerProfile, product_level: int, today: dt.date, policy: SuitabilityPolicy
) -> SuitabilityResult | None:
    age = customer.age(today)
    if (
        age is not None
        and age >= policy.elderly_age
        and product_level >= policy.elderly_blocked_from_level
        and not customer.is_professional
    ):
        return SuitabilityResult(
            False,
            "elderly_high_risk",
            f"为保护{policy.elderly_age}岁及以上投资者，R{policy.elderly_blocked_from_level}及以上风险等级的产品"
            "暂不向您推荐；如您是专业投资者，请联系理财经理办理认定。",
        )
    return None


def _check_amount(
    customer: CustomerProfile, product: ProductFacts, amount: float, policy: SuitabilityPolicy
) -> SuitabilityResult:
    if not math.isfinite(amount) or amount <= 0:
        raise ValueError(f"purchase amount must be a positive number, got {amount!r}")
    if amount < float(product.min_amount):
        return SuitabilityResult(
            False,
            "below_min_amount",
            f"该产品起购金额为{product.min_amount:,.0f}元，您输入的金额低于起购金额。",
        )
    if product.risk_level <= policy.concentration_exempt_up_to_level or customer.total_assets <= 0:
        return SuitabilityResult(True)
    held = sum(float(v) for v in customer.holdings.values())
    # total assets include what the customer holds; new money from outside adds to them
    total_after = max(float(customer.total_assets), held + amount)
    share = (float(customer.holdings.get(product.code, 0.0)) + amount) / total_after
    if share > policy.concentration_limit:
        return SuitabilityResult(
            False,
            "concentration",
            f"购买后该产品将占您总资产的{share:.0%}，超过单一产品{policy.concentration_limit:.0%}的集中度上限，"
            "建议分散配置或降低金额。",
        )
    return SuitabilityResult(True)


def _is_level(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
