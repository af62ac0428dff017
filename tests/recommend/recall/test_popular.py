from __future__ import annotations

import dataclasses

import numpy as np

from recommend.recall import ColdStartRecall, HotRecall, PolicyRecall


def test_hot_recall_ranks_by_recent_sales_among_allowed(context_for, rows, recommender) -> None:
    ctx = context_for(rows[0])
    products, scores = HotRecall().recall(ctx, 5)
    usable = ctx.usable()
    assert products[0] == int(np.argmax(np.where(usable, recommender.index.hot, -1)))
    assert np.all(np.diff(scores) <= 0) and usable[products].all()


def test_policy_recall_keeps_the_configured_order_and_only_suitable_codes(context_for, rows, dataset) -> None:
    row = next(r for r in rows if dataset.customers.risk_level[r] == 2)
    codes = dataset.product_arrays.codes
    risk = dataset.product_arrays.risk
    high = next(c for c, r in zip(codes, risk, strict=True) if r == 5)
    low = [c for c, r in zip(codes, risk, strict=True) if r <= 2][:2]
    products, _ = PolicyRecall((high, *low)).recall(context_for(row), 5)
    assert [codes[p] for p in products] == [c for c in low if context_for(row).usable()[codes.index(c)]]


def test_cold_start_recall_only_serves_new_customers(context_for, rows) -> None:
    ctx = context_for(rows[0])
    new = dataclasses.replace(ctx, is_new=True, row=None)
    products, _ = ColdStartRecall().recall(new, 5)
    assert len(products) == 5 and ctx.allowed[products].all()
    assert ColdStartRecall().recall(dataclasses.replace(ctx, is_new=False), 5)[0].size == 0
