from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from recommend.recall import SuitabilityFilter
from risk_hooks.profile import CustomerProfile


@pytest.mark.parametrize(
    ("profile", "rule"),
    [
        (CustomerProfile("c1"), "assessment_missing"),
        (CustomerProfile("c2", 3, dt.date(2026, 1, 1)), "assessment_expired"),
    ],
    ids=["missing", "expired"],
)
def test_suitability_filter_asks_to_assess_first(profile, rule) -> None:
    blocked = SuitabilityFilter().assess_first(profile, dt.date(2026, 2, 1))
    assert blocked is not None and blocked.rule == rule and "测评" in blocked.reason


def test_suitability_filter_drops_products_above_level_and_amount(dataset) -> None:
    kyc = SuitabilityFilter()
    profile = CustomerProfile("c3", 2, dt.date(2027, 1, 1))
    assert kyc.assess_first(profile, dt.date(2026, 2, 1)) is None
    allowed = kyc.allowed(profile, dataset.product_arrays, 30, amount=5000)
    p = dataset.product_arrays
    assert allowed.any()
    assert np.all(p.risk[allowed] <= 2) and np.all(p.min_amount[allowed] <= 5000)
    assert not kyc.allowed(dataclasses.replace(profile, risk_level=None), p, 30, None).any()
    high = next(prod for prod in dataset.products if prod.risk_level == 4)
    assert not kyc.confirm(profile, high, None, dt.date(2026, 2, 1)).allowed
