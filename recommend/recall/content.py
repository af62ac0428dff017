"""Recall by what the product is: KYP attributes, and amount and term preference."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommend.recall.base import RecallContext, top_k
from recommend.schema import ASSET_CLASSES

__all__ = ["GOAL_ASSETS", "AmountTermRecall", "KypRecall", "goal_assets"]

# investment goal (the ``goal`` slot, as customers say it) → asset classes that serve it
GOAL_ASSETS: dict[str, tuple[str, ...]] = {
    "养老": ("固收", "保障", "混合"),
    "教育": ("固收", "混合"),
    "子女教育": ("固收", "混合"),
    "买房": ("固收", "现金"),
    "零钱": ("现金",),
    "流动性": ("现金",),
    "短期": ("现金", "固收"),
    "稳健": ("固收", "现金"),
    "保值": ("固收", "现金"),
    "增值": ("权益", "混合"),
    "进取": ("权益", "混合"),
    "长期增值": ("权益", "混合"),
    "保障": ("保障",),
}


def goal_assets(goal: str | None) -> tuple[str, ...]:
    """Asset classes for a goal phrase (substring match: "给孩子存教育金" → 教育)."""
    if not goal:
        return ()
    for key in sorted(GOAL_ASSETS, key=len, reverse=True):
        if key in goal:
            return GOAL_ASSETS[key]
    return ()


@dataclass(frozen=True)
class KypRecall:
    """Products whose asset class matches the preference, closest to the customer's risk level."""

    name: str = "kyp"
    display_name: str = "产品属性匹配"

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: 1 for a preferred asset class, plus up to 0.5 for a risk level near the customer's."""
        p = ctx.products
        preferred = ((ctx.assets_mask >> np.minimum(p.asset, len(ASSET_CLASSES))) & 1).astype(np.float64)
        if ctx.assets_mask == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        level = ctx.profile.risk_level or 1
        closeness = 0.5 * (1 - (level - p.risk) / 4)
        return top_k(preferred * (1 + closeness), ctx.usable(), k)


@dataclass(frozen=True)
class AmountTermRecall:
    """Products whose minimum fits the amount and whose term is close to the wanted one."""

    name: str = "amount_term"
    display_name: str = "金额期限匹配"

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: term closeness × (the amount covers the minimum); nothing when neither is known."""
        if ctx.amount is None and ctx.term_days is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        p = ctx.products
        score = np.ones(len(p.codes))
        if ctx.term_days is not None:
            gap = np.abs(np.log((p.term_days + 30) / (ctx.term_days + 30)))
            score = np.exp(-2 * gap)
        if ctx.amount is not None:
            score = score * (p.min_amount <= ctx.amount) * (1 + 0.1 * (p.min_amount / max(ctx.amount, 1)))
        return top_k(score, ctx.usable(), k)
