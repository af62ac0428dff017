"""The recommender: KYC filter → recall → rank → rerank → explanations, for one customer.

``Recommender.train(dataset, day)`` builds everything from logs before ``day``;
``recommend(profile, ...)`` answers one request and never returns a product that fails
:func:`risk_hooks.suitability.check_suitability`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from knowledge.catalogue import Product
from recommend.explain import Explanation
from recommend.feedback import FeedbackStore
from recommend.interactions import InteractionIndex
from recommend.rank import CustomerBlock, Ranker, describe_field, popularity_rank
from recommend.recall import (
    RecallContext,
    RecallSource,
    SuitabilityFilter,
    default_sources,
    goal_assets,
    merge_candidates,
)
from recommend.rerank import Reranker, RerankItem
from recommend.schema import Customers, Dataset, ProductArrays, assets_to_mask
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.profile import CustomerProfile

__all__ = ["Recommendation", "RecommendationResult", "Recommender", "Request"]


@dataclass(frozen=True)
class Request:
    """What the customer asked for (all optional): amount (yuan), term (days), goal, asset classes."""

    amount: float | None = None
    term_days: int | None = None
    goal: str | None = None
    assets: tuple[str, ...] = ()
    n: int = 5


@dataclass
class Recommendation:
    """One suitable product with its scores and its Chinese explanation."""

    product: Product
    score: float
    p_click: float
    p_convert: float
    explanation: Explanation


@dataclass
class RecommendationResult:
    """``status``: ``ok``, ``assess_first`` (no valid assessment: no products) or ``empty``."""

    status: str
    items: list[Recommendation] = field(default_factory=list)
    reason: str = ""
    notice: str = RISK_NOTICE
    blocked: int = 0  # candidates the final suitability check removed (audit)


class Recommender:
    """Holds the trained state; cheap to call (a few ms with 1,000 products)."""

    def __init__(
        self,
        products: list[Product],
        arrays: ProductArrays,
        index: InteractionIndex,
        ranker: Ranker,
        *,
        customers: Customers | None = None,
        start_date: dt.date,
        sources: list[RecallSource] | None = None,
        reranker: Reranker | None = None,
        feedback: FeedbackStore | None = None,
        recall_k: int = 40,
        pool_size: int = 30,
        explore_pool: int = 5,
        per_class: int = 2,
    ) -> None:
        self.products, self.arrays, self.index, self.ranker = products, arrays, index, ranker
        self.customers = customers
        self.rows = customers.index_of() if customers is not None else {}
        self.start_date = start_date
        self.sources = sources if sources is not None else default_sources()
        self.reranker = reranker or Reranker()
        self.feedback_store = feedback or FeedbackStore()
        self.kyc = SuitabilityFilter()
        self.recall_k, self.pool_size, self.explore_pool = recall_k, pool_size, explore_pool
        self.per_class = per_class
        self.source_names = {s.name: s.display_name for s in self.sources}
        self.by_code = {p.code: i for i, p in enumerate(products)}
        self.popularity = popularity_rank(index)

    @classmethod
    def train(
        cls, dataset: Dataset, day: int | None = None, *, train_days: int = 21, **kwargs
    ) -> Recommender:
        """Build the index at ``day`` and train the ranker on ``[day - train_days, day)``.

        The ranker's features come from an index built at the start of its training window,
        so no label leaks into them.
        """
        day = dataset.n_days if day is None else day
        first = max(0, day - train_days)
        ranker = Ranker()
        ranker.fit(dataset, InteractionIndex.build(dataset, first), first, day)
        index = InteractionIndex.build(dataset, day)
        return cls(
            dataset.products, dataset.product_arrays, index, ranker,
            customers=dataset.customers, start_date=dataset.start_date, **kwargs,
        )  # fmt: skip

    def recommend(
        self, profile: CustomerProfile, request: Request | None = None, today: dt.date | None = None
    ) -> RecommendationResult:
        """Up to ``request.n`` suitable products with explanations (or "assess first")."""
        request = request or Request()
        today = today or dt.date.today()
        blocked = self.kyc.assess_first(profile, today)
        if blocked is not None:
            return RecommendationResult("assess_first", reason=blocked.reason)
        ctx = self.context(profile, request, today)
        candidates = merge_candidates([(s.name, *s.recall(ctx, self.recall_k)) for s in self.sources])
        prod = np.array(sorted(candidates), dtype=np.int64)
        block = self._block(profile, request, ctx.row, prod, today)
        scores = self.ranker.score(block, prod, self.arrays, self.popularity)
        pool, blocked_count = self._checked_pool(profile, request, today, prod, scores.score, request.n)
        if not pool:
            return RecommendationResult(
                "empty", reason="暂无符合您风险承受能力和需求的产品。", blocked=blocked_count
            )
        items = [
            RerankItem(
                int(prod[i]), float(scores.p_click[i]), float(scores.p_convert[i]), float(scores.score[i])
            )
            for i in pool
        ]
        chosen = self.reranker.rerank(
            items, self.arrays, n=request.n, customer_level=int(profile.risk_level or 1),
            held=ctx.exclude.tolist(), suppression=self.feedback_store.suppressed(profile.customer_id, today),
            impressions=self.index.impressions, clicks=self.index.clicks, similarity=self.index.content_sim,
        )  # fmt: skip
        position = {int(prod[i]): i for i in pool}
        out = []
        for item in chosen:
            i = position[item.product]
            fields = self.ranker.top_fields(scores.contributions[i])
            explanation = Explanation(
                self.arrays.codes[item.product],
                sources=[self.source_names[s] for s in candidates[item.product].sources],
                features=[describe_field(f, block, i, item.product, self.arrays) for f in fields],
                rules=item.rules,
                suitability=f"适当性校验通过：产品R{self.arrays.risk[item.product]}≤您的C{profile.risk_level}",
            )
            product = self.products[item.product]
            out.append(Recommendation(product, item.score, item.p_click, item.p_convert, explanation))
        return RecommendationResult("ok", out, blocked=blocked_count)

    def _checked_pool(
        self,
        profile: CustomerProfile,
        request: Request,
        today: dt.date,
        prod: np.ndarray,
        score: np.ndarray,
        n: int,
    ) -> tuple[list[int], int]:
        """Best-ranked candidates passing the authoritative :func:`check_suitability`.

        Walks down the ranking taking the top ``max(pool_size, 3n)`` that pass, the best
        ``per_class`` of every asset class (so diversity has something to choose from) and a
        few little-shown ones (for exploration). Rules the pre-filter does not know (age,
        concentration) only cost extra checks. Returns positions and how many failed.
        """
        order = np.argsort(-score, kind="stable")
        want = max(self.pool_size, 3 * n)
        little_shown = self.index.impressions[prod] < self.reranker.config.explore_impressions
        asset = self.arrays.asset[prod]
        per_class: dict[int, int] = {}
        pool: list[int] = []
        blocked = explored = 0
        for i in order.tolist():
            in_top = len(pool) < want
            in_class = per_class.get(int(asset[i]), 0) < self.per_class
            in_explore = bool(little_shown[i]) and explored < self.explore_pool
            if not (in_top or in_class or in_explore):
                continue
            if not self.kyc.confirm(profile, self.products[prod[i]], request.amount, today).allowed:
                blocked += 1
                continue
            pool.append(i)
            per_class[int(asset[i])] = per_class.get(int(asset[i]), 0) + 1
            explored += int(not (in_top or in_class))
        return pool, blocked

    def feedback(
        self, profile: CustomerProfile, code: str, *, interested: bool, today: dt.date | None = None
    ) -> bool:
        """Record "感兴趣"/"不感兴趣" and update the ranker online; False for an unknown code."""
        today = today or dt.date.today()
        p = self.by_code.get(code)
        if p is None:
            return False
        self.feedback_store.record(
            profile.customer_id, code, self.products[p].type, interested=interested, today=today
        )
        row = self.rows.get(profile.customer_id)
        prod = np.array([p], dtype=np.int64)
        block = self._block(profile, Request(), row, prod, today)
        scores = self.ranker.score(block, prod, self.arrays, self.popularity)
        self.ranker.feedback(scores.features[0], clicked=interested)
        return True

    def context(self, profile: CustomerProfile, request: Request, today: dt.date) -> RecallContext:
        """What recall sees for this request: the KYC pre-filter, preferences, held products."""
        row = self.rows.get(profile.customer_id)
        day = (today - self.start_date).days
        assets = tuple(request.assets) + goal_assets(request.goal)
        mask = assets_to_mask(assets)
        if not mask and row is not None and self.customers is not None:
            mask = int(self.customers.pref_assets[row])
        held = {self.by_code[c] for c in profile.holdings if c in self.by_code}
        if row is not None:
            held |= set(
                self.index.held.indices[
                    self.index.held.indptr[row] : self.index.held.indptr[row + 1]
                ].tolist()
            )
        is_new = row is None or (self.index.activity[row] < 2 and not held)
        return RecallContext(
            profile=profile, row=row, today=today,
            allowed=self.kyc.allowed(profile, self.arrays, day, request.amount),
            amount=request.amount, term_days=request.term_days, assets_mask=mask, is_new=is_new,
            index=self.index, products=self.arrays, exclude=np.array(sorted(held), dtype=np.int64),
        )  # fmt: skip

    def _block(
        self, profile: CustomerProfile, request: Request, row: int | None, prod: np.ndarray, today: dt.date
    ) -> CustomerBlock:
        n = len(prod)
        c = self.customers
        known = row is not None and c is not None
        age = profile.age(today) or (int(c.age[row]) if known else 40)
        mask = assets_to_mask(tuple(request.assets) + goal_assets(request.goal))
        if not mask and known:
            mask = int(c.pref_assets[row])
        pref_term = (
            request.term_days
            if request.term_days is not None
            else (int(c.pref_term_days[row]) if known else 0)
        )
        amount = (
            request.amount if request.amount is not None else (float(c.pref_amount[row]) if known else 1e4)
        )
        clicks = self.index.asset_clicks[row, self.arrays.asset[prod]] if known else np.zeros(n)
        return CustomerBlock(
            risk=np.full(n, profile.risk_level or 0),
            age=np.full(n, age),
            aum=np.full(n, profile.total_assets or (float(c.aum[row]) if known else 0.0)),
            pref_assets=np.full(n, mask),
            pref_term=np.full(n, pref_term),
            pref_amount=np.full(n, amount),
            asset_clicks=clicks,
        )
