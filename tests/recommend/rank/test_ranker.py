from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from recommend.interactions import InteractionIndex
from recommend.rank import FIELDS, Ranker, customer_block, pair_features, popularity_rank
from recommend.rank.ranker import _samples


def test_pair_features_are_stable_and_one_per_field(dataset, recommender) -> None:
    prod = np.arange(5)
    rows = np.zeros(5, dtype=np.int64)
    block = customer_block(dataset, recommender.index, rows, prod)
    pop = popularity_rank(recommender.index)
    a = pair_features(block, prod, dataset.product_arrays, pop, 18)
    b = pair_features(block, prod, dataset.product_arrays, pop, 18)
    assert a.shape == (5, len(FIELDS)) and np.array_equal(a, b)
    assert a.min() >= 0 and a.max() < 1 << 18


def test_ranker_beats_chance_on_later_days(dataset) -> None:
    ranker = Ranker()
    ranker.fit(dataset, InteractionIndex.build(dataset, 10), 10, 30)
    index = InteractionIndex.build(dataset, 30)
    events = dataset.events.between(30, 40)
    rows, prod, labels = _samples(events, 1, 2, len(dataset.products), len(dataset.customers))
    scores = ranker.score(
        customer_block(dataset, index, rows, prod), prod, dataset.product_arrays, popularity_rank(index)
    )
    assert roc_auc_score(labels, scores.p_click) > 0.6


def test_ranker_feedback_updates_online_and_names_top_fields(fresh_recommender, dataset) -> None:
    ranker = fresh_recommender.ranker
    prod = np.array([3])
    block = customer_block(dataset, fresh_recommender.index, np.array([0]), prod)
    before = ranker.score(block, prod, dataset.product_arrays, fresh_recommender.popularity)
    for _ in range(3):
        ranker.feedback(before.features[0], clicked=True, converted=True)
    after = ranker.score(block, prod, dataset.product_arrays, fresh_recommender.popularity)
    assert after.p_click[0] > before.p_click[0] and after.p_convert[0] > before.p_convert[0]
    assert set(ranker.top_fields(after.contributions[0])) <= set(FIELDS) - {"bias"}
