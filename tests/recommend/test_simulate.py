from __future__ import annotations

import numpy as np

from recommend.schema import MISSING_DAY, EventKind
from recommend.simulate import SimConfig, simulate, synthesize_products


def test_simulate_is_deterministic_for_a_seed(products) -> None:
    a = simulate(products, SimConfig(n_customers=200, n_days=15, seed=11))
    b = simulate(products, SimConfig(n_customers=200, n_days=15, seed=11))
    c = simulate(products, SimConfig(n_customers=200, n_days=15, seed=12))
    assert np.array_equal(a.events.kind, b.events.kind) and np.array_equal(a.events.product, b.events.product)
    assert len(a.events) != len(c.events) or not np.array_equal(a.events.product, c.events.product)


def test_simulate_draws_every_kind_of_customer_and_event(dataset) -> None:
    c = dataset.customers
    assert set(np.unique(c.risk_level)) == {0, 1, 2, 3, 4, 5}  # 0: never assessed
    assert (c.valid_until_day[c.risk_level > 0] < 0).any()  # expired before day 0
    assert (c.valid_until_day[c.risk_level == 0] == MISSING_DAY).all()
    assert (c.signup_day >= 0).any()  # new customers during the window
    assert set(np.unique(dataset.events.kind)) == {int(k) for k in EventKind}
    assert np.all(np.diff(dataset.events.day) >= 0)


def test_simulate_never_logs_an_unsuitable_purchase(dataset) -> None:
    e = dataset.events.select((dataset.events.kind == EventKind.PURCHASE) & (dataset.events.day >= 0))
    c, p = dataset.customers, dataset.product_arrays
    assert len(e) > 0
    assert np.all(p.risk[e.product] <= c.risk_level[e.customer])
    assert np.all(c.valid_until_day[e.customer] >= e.day)


def test_simulate_churners_go_silent_after_churning(dataset) -> None:
    e = dataset.events
    churn = e.select(e.kind == EventKind.CHURN)
    assert len(churn) > 0
    for row, day in zip(churn.customer[:20], churn.day[:20], strict=True):
        later = e.select((e.customer == row) & (e.day > day))
        assert len(later) == 0


def test_synthesize_products_keeps_the_catalogue_distribution(products) -> None:
    many = synthesize_products(products, 300, seed=1)
    assert len(many) == 300 and many[: len(products)] == products
    assert len({p.code for p in many}) == 300
    base_levels = {(p.type, p.risk_level, p.asset_class) for p in products}
    assert {(p.type, p.risk_level, p.asset_class) for p in many} <= base_levels
