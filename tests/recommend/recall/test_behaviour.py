from __future__ import annotations

import dataclasses

import numpy as np

from recommend.recall import ItemCfRecall, RecentSimilarRecall, UserCfRecall


def _row_items(matrix, row: int) -> set[int]:
    return set(matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]].tolist())


def test_recent_similar_recall_proposes_viewed_and_similar_products(context_for, rows, recommender) -> None:
    index = recommender.index
    row = next(r for r in rows if _row_items(index.recent, r) - _row_items(index.held, r))
    ctx = context_for(row)
    products, scores = RecentSimilarRecall().recall(ctx, 10)
    viewed = _row_items(index.recent, row)
    assert len(products) > 0 and scores[0] > 0
    assert set(products.tolist()) & viewed or any(
        index.content_sim[list(viewed), p].max() > 0.5 for p in products
    )
    assert RecentSimilarRecall().recall(dataclasses.replace(ctx, row=None), 10)[0].size == 0


def test_item_cf_recall_follows_the_co_holding_matrix(context_for, rows, recommender) -> None:
    index = recommender.index
    row = next(r for r in rows if _row_items(index.bought, r))
    products, scores = ItemCfRecall().recall(context_for(row), 10)
    seeds = sorted(_row_items(index.bought, row) | _row_items(index.held, row))
    expected = index.item_sim[seeds].sum(axis=0)
    assert len(products) > 0
    assert np.allclose(scores, expected[products])
    assert not set(products.tolist()) & _row_items(index.held, row)  # held products are not re-proposed


def test_user_cf_recall_proposes_what_similar_customers_bought(context_for, rows, recommender) -> None:
    index = recommender.index
    row = next(r for r in rows if index.user_vectors[r].any())
    products, _ = UserCfRecall(neighbours=20).recall(context_for(row), 10)
    sims = index.user_vectors @ index.user_vectors[row]
    sims[row] = -1
    near = np.argsort(-sims)[:20]
    bought_by_near = set(index.bought[near].indices.tolist())
    assert len(products) > 0 and set(products.tolist()) <= bought_by_near
