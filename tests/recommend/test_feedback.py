from __future__ import annotations

import datetime as dt

from recommend.feedback import FeedbackConfig, FeedbackStore

DAY = dt.date(2026, 3, 1)


def test_feedback_not_interested_suppresses_until_expiry() -> None:
    store = FeedbackStore(FeedbackConfig(product_days=10, type_days=3))
    store.record("甲", "P001", "股票", interested=False, today=DAY)
    on = store.suppressed("甲", DAY + dt.timedelta(days=3))
    assert "P001" in on.products and "股票" in on.types
    later = store.suppressed("甲", DAY + dt.timedelta(days=4))
    assert "P001" in later.products and not later.types  # the type damping expired first
    assert not store.suppressed("甲", DAY + dt.timedelta(days=11)).products
    assert not store.suppressed("乙", DAY).products  # per customer


def test_feedback_interested_lifts_a_product_suppression() -> None:
    store = FeedbackStore()
    store.record("甲", "P001", "股票", interested=False, today=DAY)
    store.record("甲", "P001", "股票", interested=True, today=DAY)
    assert "P001" not in store.suppressed("甲", DAY).products
    assert store.interested("甲") == {"P001"}
