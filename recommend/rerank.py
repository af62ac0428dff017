"""Rerank: market view, step-up, business weights, explore/exploit, negative feedback, diversity.

Every rule multiplies the ranked score and, when it changes something, adds a Chinese
line to the item's ``rules`` (shown in the explanation). Order: negative feedback →
explore/exploit → market view → step-up → business weights → MMR diversity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommend.feedback import Suppression
from recommend.schema import ASSET_CLASSES, PRODUCT_TYPES, ProductArrays

__all__ = ["RerankConfig", "RerankItem", "Reranker", "step_up_target"]

_TERM_LEVELS = (0, 90, 180, 365, 730, 1095)


@dataclass(frozen=True)
class RerankConfig:
    """Rule parameters.

    Attributes:
        market_view: multiplier per asset class (the house's market view; 1.0 = neutral).
        step_up_bonus: bonus for the next risk level above what the customer holds (never above
            their own level); half of it for the next term level.
        business_weights: multiplier per product code (campaigns, shelf priorities).
        explore_impressions: products with fewer impressions are scored by Thompson sampling.
        type_damping: multiplier for a product type the customer marked "不感兴趣".
        diversity: MMR trade-off λ (1.0 = relevance only, lower = more asset-class variety).
    """

    market_view: dict[str, float] = field(
        default_factory=lambda: {
            "现金": 1.0,
            "固收": 1.05,
            "混合": 1.0,
            "权益": 0.95,
            "另类": 1.0,
            "保障": 1.0,
        }
    )
    step_up_bonus: float = 0.15
    business_weights: dict[str, float] = field(default_factory=dict)
    explore_impressions: int = 30
    type_damping: float = 0.2
    diversity: float = 0.65


@dataclass
class RerankItem:
    """A ranked candidate going through the rules."""

    product: int
    p_click: float
    p_convert: float
    score: float
    rules: list[str] = field(default_factory=list)


def step_up_target(customer_level: int, held_levels: list[int]) -> int | None:
    """The risk level to guide toward: one above the highest held, capped at the customer's level."""
    current = max(held_levels) if held_levels else 1
    target = min(current + 1, customer_level)
    return target if target > current else None


class Reranker:
    """Applies :class:`RerankConfig`'s rules; Thompson sampling uses its own seeded generator.

    Rules run vectorised over the candidates; the Chinese rule lines are written only for
    the items finally chosen.
    """

    def __init__(self, config: RerankConfig | None = None, seed: int = 0) -> None:
        self.config = config or RerankConfig()
        self.rng = np.random.default_rng(seed)
        market = self.config.market_view
        self._market = np.array([market.get(name, 1.0) for name in ASSET_CLASSES] + [1.0])

    def rerank(
        self,
        items: list[RerankItem],
        products: ProductArrays,
        *,
        n: int,
        customer_level: int,
        held: list[int],
        suppression: Suppression,
        impressions: np.ndarray,
        clicks: np.ndarray,
        similarity: np.ndarray,
    ) -> list[RerankItem]:
        """Apply every rule and return the best ``n`` items, diversified."""
        items = [i for i in items if products.codes[i.product] not in suppression.products]
        if not items:
            return []
        items.sort(key=lambda i: -i.score)
        prod = np.array([i.product for i in items], dtype=np.int64)
        p_click = np.array([i.p_click for i in items])
        p_convert = np.array([i.p_convert for i in items])
        base = np.array([i.score for i in items])
        factors = self._factors(prod, products, p_click, p_convert, base, suppression, impressions, clicks)
        factors.update(self._step_up(prod, products, customer_level, held))
        multipliers = ("damping", "explore", "market", "business", "step_up_risk", "step_up_term")
        score = base * np.prod([factors[k] for k in multipliers if factors[k] is not None], axis=0)
        order = np.argsort(-score, kind="stable")
        chosen, diversified = self._diversify(prod[order], score[order], similarity, n)
        out = []
        for k, moved in zip(chosen, diversified, strict=True):
            i = int(order[k])
            item = items[i]
            item.score = float(score[i])
            item.rules.extend(self._rule_lines(i, prod[i], products, factors, customer_level))
            if moved:
                item.rules.append(f"分散配置：补充{_asset_name(products, int(prod[i]))}类资产")
            out.append(item)
        return out

    def _factors(self, prod, products, p_click, p_convert, base, suppression, impressions, clicks) -> dict:
        c = self.config
        damped_types = [PRODUCT_TYPES.index(t) for t in suppression.types if t in PRODUCT_TYPES]
        damping = np.where(np.isin(products.type[prod], damped_types), c.type_damping, 1.0)
        explore = np.ones(len(prod))
        new = impressions[prod] < c.explore_impressions
        if new.any():
            shown, clicked = impressions[prod[new]], clicks[prod[new]]
            # Beta prior centred on the model's estimate, worth 10 impressions
            alpha = 1 + p_click[new] * 10 + clicked
            beta = 1 + (1 - p_click[new]) * 10 + np.maximum(shown - clicked, 0)
            explore[new] = self.rng.beta(alpha, beta) / np.maximum(p_click[new], 1e-12)
        business = (
            np.array([c.business_weights.get(products.codes[p], 1.0) for p in prod])
            if c.business_weights
            else None
        )
        return {
            "damping": damping,
            "explore": np.where(new, explore, 1.0),
            "market": self._market[np.minimum(products.asset[prod], len(ASSET_CLASSES))],
            "business": business,
        }

    def _step_up(self, prod, products: ProductArrays, customer_level: int, held: list[int]) -> dict:
        held_levels = [int(products.risk[p]) for p in held]
        target = step_up_target(customer_level, held_levels)
        held_term = max((int(products.term_days[p]) for p in held), default=0)
        next_term = next((t for t in _TERM_LEVELS if t > held_term), None)
        bonus = self.config.step_up_bonus
        risk = np.where(products.risk[prod] == (target or -1), 1 + bonus, 1.0)
        term = products.term_days[prod]
        longer = (held_term < term) & (term <= (next_term or -1)) if held else np.zeros(len(prod), dtype=bool)
        return {"step_up_risk": risk, "step_up_term": np.where(longer, 1 + bonus / 2, 1.0), "target": target}

    def _rule_lines(self, i: int, p: int, products: ProductArrays, factors: dict, level: int) -> list[str]:
        lines = []
        if factors["damping"][i] != 1.0:
            type_name = PRODUCT_TYPES[int(products.type[p])]
            lines.append(f"您近期对{type_name}类产品表示不感兴趣，已降低推荐权重")
        if factors["explore"][i] != 1.0:
            lines.append("新品探索：曝光较少，给予试探性展示机会")
        market = factors["market"][i]
        if market != 1.0:
            verdict = "看好" if market > 1 else "谨慎"
            lines.append(f"市场观点：当前对{_asset_name(products, p)}类资产{verdict}（权重×{market:g}）")
        if factors["business"] is not None and factors["business"][i] != 1.0:
            lines.append(f"业务权重×{factors['business'][i]:g}")
        if factors["step_up_risk"][i] != 1.0:
            target = factors["target"]
            lines.append(f"稳步进阶：R{target}在您的风险承受能力C{level}范围内，可适度尝试")
        if factors["step_up_term"][i] != 1.0:
            lines.append(f"期限进阶：{int(products.term_days[p])}天期限略长于您目前持有的产品")
        return lines

    def _diversify(self, prod: np.ndarray, score: np.ndarray, similarity: np.ndarray, n: int):
        """Maximal marginal relevance; returns positions chosen and whether diversity moved each."""
        lam = self.config.diversity
        relevance = lam * score / max(float(score[0]), 1e-12)
        sim = similarity[np.ix_(prod, prod)]
        redundancy = np.zeros(len(prod))
        available = np.ones(len(prod), dtype=bool)
        chosen, moved = [], []
        while available.any() and len(chosen) < n:
            value = np.where(available, relevance - (1 - lam) * redundancy, -np.inf)
            k = int(np.argmax(value))
            moved.append(bool(chosen) and k != int(np.argmax(available)))
            chosen.append(k)
            available[k] = False
            redundancy = np.maximum(redundancy, sim[:, k])
        return chosen, moved


def _asset_name(products: ProductArrays, product: int) -> str:
    asset = int(products.asset[product])
    return ASSET_CLASSES[asset] if asset < len(ASSET_CLASSES) else "其他"
