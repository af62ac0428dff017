from __future__ import annotations

import numpy as np
import pytest

from recommend.recall import AmountTermRecall, KypRecall, goal_assets
from recommend.schema import ASSET_CLASSES


@pytest.mark.parametrize(
    ("goal", "expected"),
    [("给孩子存教育金", ("固收", "混合")), ("养老", ("固收", "保障", "混合")), ("随便看看", ())],
    ids=["education", "pension", "none"],
)
def test_goal_assets_maps_goal_phrases(goal, expected) -> None:
    assert goal_assets(goal) == expected


def test_kyp_recall_returns_preferred_asset_classes_within_level(context_for, rows, dataset) -> None:
    row = next(r for r in rows if dataset.customers.risk_level[r] >= 3)
    ctx = context_for(row, assets=("固收",))
    products, scores = KypRecall().recall(ctx, 10)
    assert len(products) > 0 and np.all(np.diff(scores) <= 0)
    assert all(ASSET_CLASSES[dataset.product_arrays.asset[p]] == "固收" for p in products)
    assert np.all(dataset.product_arrays.risk[products] <= dataset.customers.risk_level[row])


def test_amount_term_recall_respects_amount_and_prefers_the_term(context_for, rows, dataset) -> None:
    ctx = context_for(rows[0], amount=5000, term_days=180)
    products, _ = AmountTermRecall().recall(ctx, 10)
    assert len(products) > 0
    assert np.all(dataset.product_arrays.min_amount[products] <= 5000)
    assert dataset.product_arrays.term_days[products[0]] == 180
    assert AmountTermRecall().recall(context_for(rows[0]), 10)[0].size == 0  # nothing asked: nothing proposed
