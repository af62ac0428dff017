"""Suitability: may this product be offered to this customer? (first cut: risk level and validity)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from risk_hooks.profile import CustomerProfile, ProductFacts

__all__ = ["SuitabilityResult", "check_suitability"]


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
) -> SuitabilityResult:
    """Check one offer; fails closed (any error blocks)."""
    today = today or dt.date.today()
    try:
        if customer.risk_level is None:
            return SuitabilityResult(False, "assessment_missing", "您还没有做风险测评，请先完成风险测评。")
        if customer.assessment_valid_until is not None and customer.assessment_valid_until < today:
            return SuitabilityResult(False, "assessment_expired", "您的风险测评已过期，请重新测评。")
        if product.risk_level > customer.risk_level:
            return SuitabilityResult(
                False,
                "risk_above_customer",
                f"该产品风险等级R{product.risk_level}高于您的风险承受能力C{customer.risk_level}，暂不能为您推荐。",
            )
    except Exception as exc:  # fail closed for offers
        return SuitabilityResult(False, "error", f"适当性检查失败：{type(exc).__name__}")
    return SuitabilityResult(True)
