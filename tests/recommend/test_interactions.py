from __future__ import annotations

import numpy as np

from recommend.interactions import InteractionIndex
from recommend.schema import EventKind


def test_interaction_index_holdings_are_net_purchases(dataset) -> None:
    index = InteractionIndex.build(dataset, 30)
    e = dataset.events.between(-(10**6), 30)
    row = int(np.bincount(e.customer[e.kind == EventKind.PURCHASE]).argmax())
    mine = e.select(e.customer == row)
    net: dict[int, float] = {}
    for kind, prod, amount in zip(mine.kind, mine.product, mine.amount, strict=True):
        if kind in (EventKind.PURCHASE, EventKind.REDEEM):
            net[int(prod)] = net.get(int(prod), 0.0) + (amount if kind == EventKind.PURCHASE else -amount)
    expected = {dataset.product_arrays.codes[p]: v for p, v in net.items() if v > 1e-6}
    got = index.holdings_of(row, dataset.product_arrays.codes)
    assert got.keys() == expected.keys()
    assert all(abs(got[c] - expected[c]) < 1 for c in got)


def test_interaction_index_matrices_are_consistent(dataset) -> None:
    index = InteractionIndex.build(dataset, 30)
    n = len(dataset.products)
    assert index.item_sim.shape == (n, n) and np.allclose(index.item_sim, index.item_sim.T, atol=1e-5)
    assert np.all(np.diag(index.content_sim) == 0) and index.content_sim.max() <= 1.0 + 1e-6
    e = dataset.events.between(16, 30)
    assert index.hot.sum() == (e.kind == EventKind.PURCHASE).sum() + 0.2 * (e.kind == EventKind.CLICK).sum()
    norms = np.linalg.norm(index.user_vectors, axis=1)
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-4)
