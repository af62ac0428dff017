"""The KYC hard filter: only products the customer may buy, and "assess first" when unknown.

A vectorised pre-filter removes products above the customer's level (and not on sale, or
above the amount) so recall never looks at them; every surviving candidate is then checked
with :func:`risk_hooks.suitability.check_suitability`, the single authority.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from knowledge.catalogue import Product
from recommend.schema import MISSING_DAY, ProductArrays
from risk_hooks.profile import CustomerProfile
from risk_hooks.suitability import SuitabilityResult, check_suitability

__all__ = ["ASSESS_FIRST_RULES", "SuitabilityFilter"]

ASSESS_FIRST_RULES = ("assessment_missing", "assessment_expired")


@dataclass(frozen=True)
class SuitabilityFilter:
    """KYC suitability as a hard filter (适当性校验)."""

    name: str = "kyc_suitability"
    display_name: str = "适当性校验"

    def assess_first(self, profile: CustomerProfile, today: dt.date) -> SuitabilityResult | None:
        """The blocking result when the assessment is missing or expired, else None."""
        if profile.risk_level is None:
            return check_suitability(profile, _PROBE, today=today)
        if profile.assessment_valid_until is not None and profile.assessment_valid_until < today:
            return check_suitability(profile, _PROBE, today=today)
        return None

    def allowed(
        self, profile: CustomerProfile, products: ProductArrays, today_day: int, amount: float | None
    ) -> np.ndarray:
        """Pre-filter: on sale, launched, risk level ≤ the customer's, minimum ≤ amount."""
        if profile.risk_level is None:
            return np.zeros(len(products.codes), dtype=bool)
        mask = products.on_sale & (products.risk <= profile.risk_level)
        mask &= (products.launch_day == MISSING_DAY) | (products.launch_day <= today_day)
        if amount is not None:
            mask &= products.min_amount <= amount
        return mask

    def confirm(
        self, profile: CustomerProfile, product: Product, amount: float | None, today: dt.date
    ) -> SuitabilityResult:
        """The authoritative check for one product (fails closed)."""
        return check_suitability(profile, product, amount=amount, today=today)


@dataclass(frozen=True)
class _Probe:
    code: str = "probe"
    name: str = "probe"
    type: str = "货币"
    risk_level: int = 1
    term_days: int = 0
    min_amount: float = 0.0


_PROBE = _Probe()
