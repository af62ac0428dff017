from __future__ import annotations

import numpy as np
import pytest

from recommend.feedback import Suppression
from recommend.rerank import RerankConfig, Reranker, RerankItem, step_up_target


def _items(products, codes) -> list[RerankItem]:
    return [RerankItem(products.codes.index(c), 0.2, 0.1, 0.02) for c in codes]


def _run(reranker, items, dataset, *, n=10, level=5, held=(), suppression=None, impressions=None):
    p = dataset.product_arrays
    shown = np.full(len(p.codes), 1000.0) if impressions is None else impressions
    return reranker.rerank(
        items, p, n=n, customer_level=level, held=list(held), suppression=suppression or Suppression(),
        impressions=shown, clicks=shown * 0.2, similarity=np.zeros((len(p.codes), len(p.codes))),
    )  # fmt: skip


def _by_asset(dataset, asset: str) -> str:
    from recommend.schema import ASSET_CLASSES

    p = dataset.product_arrays
    return next(c for c, a in zip(p.codes, p.asset, strict=True) if ASSET_CLASSES[a] == asset)


@pytest.mark.parametrize(
    ("held", "level", "target"), [([], 3, 2), ([2], 3, 3), ([3], 3, None), ([1], 1, None)]
)
def test_step_up_target_never_exceeds_the_customer_level(held, level, target) -> None:
    assert step_up_target(level, held) == target


def test_rerank_market_view_scales_by_asset_class(dataset) -> None:
    good, bad = _by_asset(dataset, "固收"), _by_asset(dataset, "权益")
    out = _run(
        Reranker(RerankConfig(market_view={"固收": 1.5, "权益": 0.5}, diversity=1.0)),
        _items(dataset.product_arrays, [bad, good]),
        dataset,
        level=1,
    )
    assert [dataset.product_arrays.codes[i.product] for i in out] == [good, bad]
    assert "市场观点" in out[0].rules[0] and out[0].score == pytest.approx(0.03)


def test_rerank_step_up_boosts_only_the_next_suitable_level(dataset) -> None:
    p = dataset.product_arrays
    by_level = {int(r): c for c, r in zip(p.codes, p.risk, strict=True) if p.term_days[p.codes.index(c)] == 0}
    held = [p.codes.index(by_level[1])]
    items = _items(p, [by_level[1], by_level[2], by_level[3]])
    out = {
        p.codes[i.product]: i
        for i in _run(
            Reranker(RerankConfig(market_view={}, diversity=1.0)), items, dataset, level=3, held=held
        )
    }
    assert out[by_level[2]].score == pytest.approx(0.02 * 1.15)
    assert any("稳步进阶" in r for r in out[by_level[2]].rules)
    assert out[by_level[3]].score == pytest.approx(0.02) and out[by_level[1]].score == pytest.approx(0.02)


def test_rerank_business_weights_apply_per_code(dataset) -> None:
    code = dataset.product_arrays.codes[0]
    out = _run(
        Reranker(RerankConfig(market_view={}, business_weights={code: 2.0})),
        _items(dataset.product_arrays, [code]),
        dataset,
        level=1,
    )
    assert out[0].score == pytest.approx(0.04) and "业务权重×2" in out[0].rules


def test_rerank_diversity_mixes_asset_classes(dataset) -> None:
    p = dataset.product_arrays
    fixed = [c for c, a in zip(p.codes, p.asset, strict=True) if a == 1][:3]
    cash = _by_asset(dataset, "现金")
    items = _items(p, [*fixed, cash])
    for i, item in enumerate(items):
        item.score = 0.1 - 0.01 * i  # the cash product is last by relevance
    sim = (p.asset[:, None] == p.asset[None, :]).astype(float)
    out = Reranker(RerankConfig(market_view={}, diversity=0.5)).rerank(
        items, p, n=2, customer_level=5, held=[], suppression=Suppression(),
        impressions=np.full(len(p.codes), 1000.0), clicks=np.zeros(len(p.codes)), similarity=sim,
    )  # fmt: skip
    assert [p.codes[i.product] for i in out] == [fixed[0], cash]
    assert any("分散配置" in r for r in out[1].rules)


def test_rerank_thompson_sampling_explores_new_products_reproducibly(dataset) -> None:
    p = dataset.product_arrays
    impressions = np.full(len(p.codes), 1000.0)
    impressions[0] = 2
    scores = []
    for seed in (1, 1, 2):
        out = _run(
            Reranker(RerankConfig(market_view={}), seed=seed),
            _items(p, [p.codes[0], p.codes[1]]),
            dataset,
            impressions=impressions,
        )
        new = next(i for i in out if i.product == 0)
        old = next(i for i in out if i.product == 1)
        assert any("新品探索" in r for r in new.rules) and old.score == pytest.approx(0.02)
        scores.append(new.score)
    assert scores[0] == scores[1] != scores[2]


def test_rerank_negative_feedback_hides_product_and_damps_type(dataset) -> None:
    from recommend.schema import PRODUCT_TYPES

    p = dataset.product_arrays
    hidden, same_type = [c for c, t in zip(p.codes, p.type, strict=True) if t == p.type[0]][:2]
    suppression = Suppression(products={hidden: None}, types={PRODUCT_TYPES[p.type[0]]: None})
    out = _run(
        Reranker(RerankConfig(market_view={})),
        _items(p, [hidden, same_type]),
        dataset,
        suppression=suppression,
    )
    assert [p.codes[i.product] for i in out] == [same_type]
    assert out[0].score == pytest.approx(0.02 * 0.2) and "不感兴趣" in out[0].rules[0]
