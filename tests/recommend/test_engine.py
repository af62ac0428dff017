from __future__ import annotations

import dataclasses
import datetime as dt

from recommend.engine import Request
from recommend.schema import MISSING_DAY
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.suitability import check_suitability


def test_recommend_returns_explained_suitable_products(recommender, dataset, rows, today) -> None:
    row = rows[0]
    profile = dataset.profile(row, recommender.index.holdings_of(row, dataset.product_arrays.codes))
    result = recommender.recommend(profile, Request(n=4, goal="养老"), today)
    assert result.status == "ok" and 0 < len(result.items) <= 4 and result.notice == RISK_NOTICE
    for item in result.items:
        e = item.explanation
        assert e.sources and e.suitability.startswith("适当性校验通过")
        assert e.text().startswith("推荐理由：") and e.product_code == item.product.code
        assert item.product.code not in profile.holdings


def test_recommend_over_every_simulated_customer_is_always_suitable(recommender, dataset, today) -> None:
    """Every customer of the seeded population, not a sample: zero products above their level."""
    c = dataset.customers
    today_day = (today - dataset.start_date).days
    offered = assess_first = 0
    for row in range(len(c)):
        profile = dataset.profile(row)
        for request in (Request(n=5), Request(n=5, amount=20000, term_days=90, goal="增值")):
            result = recommender.recommend(profile, request, today)
            no_valid = c.risk_level[row] == 0 or c.valid_until_day[row] < today_day
            if no_valid:
                assert result.status == "assess_first" and not result.items
                assess_first += 1
                continue
            for item in result.items:
                assert item.product.risk_level <= c.risk_level[row]
                assert check_suitability(profile, item.product, amount=request.amount, today=today).allowed
                offered += 1
    assert offered > 1000 and assess_first > 0
    assert (c.valid_until_day == MISSING_DAY).any()


def test_recommend_serves_cold_start_and_unknown_customers(recommender, today) -> None:
    from risk_hooks.profile import CustomerProfile

    profile = CustomerProfile("新客户", 2, today + dt.timedelta(days=300))
    result = recommender.recommend(profile, Request(n=3), today)
    assert result.status == "ok" and len(result.items) == 3
    assert any("新客入门精选" in item.explanation.sources for item in result.items)
    assert all(item.product.risk_level <= 2 for item in result.items)


def test_recommend_feedback_suppresses_and_then_expires(fresh_recommender, dataset, rows, today) -> None:
    profile = dataset.profile(rows[1])
    first = fresh_recommender.recommend(profile, Request(n=3), today).items[0].product
    assert fresh_recommender.feedback(profile, first.code, interested=False, today=today)
    again = fresh_recommender.recommend(profile, Request(n=10), today)
    assert first.code not in [i.product.code for i in again.items]
    later = today + dt.timedelta(days=fresh_recommender.feedback_store.config.product_days + 1)
    profile_later = dataclasses.replace(profile, assessment_valid_until=later + dt.timedelta(days=365))
    codes_later = [
        i.product.code for i in fresh_recommender.recommend(profile_later, Request(n=10), later).items
    ]
    assert first.code in codes_later
    assert not fresh_recommender.feedback(profile, "不存在", interested=False, today=today)


def test_recommend_respects_rules_the_prefilter_does_not_know(recommender, today) -> None:
    """The elderly rule of check_suitability (no R4+ from 65 on) holds through the whole pipeline."""
    from risk_hooks.profile import CustomerProfile

    elderly = CustomerProfile("老客户", 5, today + dt.timedelta(days=300), birth_date=dt.date(1950, 1, 1))
    result = recommender.recommend(elderly, Request(n=5), today)
    assert result.status == "ok" and result.items
    for item in result.items:
        assert check_suitability(elderly, item.product, today=today).allowed


def test_recommend_reports_empty_when_nothing_fits_the_amount(recommender, today) -> None:
    from risk_hooks.profile import CustomerProfile

    profile = CustomerProfile("小额", 3, today + dt.timedelta(days=300))
    result = recommender.recommend(profile, Request(amount=0.5), today)
    assert result.status == "empty" and not result.items and "暂无" in result.reason
