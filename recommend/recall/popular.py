"""Recall without personal history: hot products, policy/priority products, cold start."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommend.recall.base import RecallContext, top_k
from recommend.schema import ASSET_CLASSES

__all__ = ["ColdStartRecall", "HotRecall", "PolicyRecall"]


@dataclass(frozen=True)
class HotRecall:
    """The best sellers of the last days (热销产品)."""

    name: str = "hot"
    display_name: str = "近期热销"

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: recent purchases + 0.2 × recent clicks."""
        return top_k(ctx.index.hot, ctx.usable(), k)


@dataclass(frozen=True)
class PolicyRecall:
    """Products the business promotes, in a configured order (重点推荐)."""

    codes: tuple[str, ...] = ()
    name: str = "policy"
    display_name: str = "平台重点推荐"

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: 1 for the first configured code, decreasing down the list."""
        position = {code: i for i, code in enumerate(self.codes)}
        score = np.array([1.0 / (1 + position[c]) if c in position else 0.0 for c in ctx.products.codes])
        return top_k(score, ctx.usable(), k)


@dataclass(frozen=True)
class ColdStartRecall:
    """For new customers: popular, low-threshold products in their preferred asset classes (新客精选)."""

    name: str = "cold_start"
    display_name: str = "新客入门精选"

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: (1 + hot share) × preference bonus × low-minimum bonus; only for new customers."""
        if not ctx.is_new:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        p = ctx.products
        hot = ctx.index.hot / max(ctx.index.hot.max(), 1.0)
        preferred = (ctx.assets_mask >> np.minimum(p.asset, len(ASSET_CLASSES))) & 1
        low_minimum = 1 / (1 + np.log10(np.maximum(p.min_amount, 1.0)))
        return top_k((1 + hot) * (1 + preferred) * (0.5 + low_minimum), ctx.usable(), k)
