from __future__ import annotations

import pytest

from recommend.slots import parse_amount, parse_risk_level, parse_term_days


@pytest.mark.parametrize(
    ("value", "level"),
    [(3, 3), ("C4", 4), ("r2", 2), ("稳健型", 3), ("激进", 5), ("C9", None), (None, None), ("不知道", None)],
    ids=["int", "c4", "r2", "steady", "aggressive", "out_of_range", "none", "unknown"],
)
def test_parse_risk_level(value, level) -> None:
    assert parse_risk_level(value) == level


@pytest.mark.parametrize(
    ("value", "amount"), [(50000, 50000.0), ("5万", 50000.0), ("五万元", 50000.0), ("没想好", None)],
    ids=["int", "wan", "chinese", "none"],
)  # fmt: skip
def test_parse_amount(value, amount) -> None:
    assert parse_amount(value) == amount


@pytest.mark.parametrize(
    ("value", "days"), [(90, 90), ("三个月", 90), ("半年", 180), ("1年", 365), ("活期", 0), ("随便", None)],
    ids=["int", "three_months", "half_year", "one_year", "demand", "none"],
)  # fmt: skip
def test_parse_term_days(value, days) -> None:
    assert parse_term_days(value) == days
