"""What every recall source sees and returns, and how their candidates merge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from recommend.interactions import InteractionIndex
from recommend.schema import ProductArrays
from risk_hooks.profile import CustomerProfile

__all__ = ["Candidate", "RecallContext", "RecallSource", "merge_candidates", "top_k"]


@dataclass
class RecallContext:
    """One request as recall sees it.

    Attributes:
        profile: the customer (suitability view).
        row: the customer's row in ``index`` (None: unknown to the logs).
        today: the request's date.
        allowed: products that passed the KYC pre-filter (risk level, on sale, amount).
        amount: the amount the customer wants to invest (yuan), if known.
        term_days: the term the customer wants (0 = open-ended), if known.
        assets_mask: preferred asset classes (bit mask over ``ASSET_CLASSES``).
        is_new: a new customer with (almost) no history: cold start applies.
        index: the interaction state.
        products: per-product columns.
    """

    profile: CustomerProfile
    row: int | None
    today: dt.date
    allowed: np.ndarray
    amount: float | None
    term_days: int | None
    assets_mask: int
    is_new: bool
    index: InteractionIndex
    products: ProductArrays
    exclude: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def usable(self) -> np.ndarray:
        """``allowed`` minus the excluded products (held ones)."""
        mask = self.allowed.copy()
        mask[self.exclude] = False
        return mask


class RecallSource(Protocol):
    """A recall source: ``name`` (audit id) and ``display_name`` (Chinese, shown in explanations)."""

    name: str
    display_name: str

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``k`` (product indices, scores), only among ``ctx.usable()``."""
        ...


@dataclass
class Candidate:
    """A product some sources proposed, with each source's score."""

    product: int
    sources: dict[str, float] = field(default_factory=dict)


def top_k(scores: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best positive-scoring products within ``mask``."""
    scores = np.where(mask, scores, 0.0)
    positive = np.flatnonzero(scores > 0)
    if positive.size > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    order = positive[np.argsort(-scores[positive], kind="stable")]
    return order, scores[order]


def merge_candidates(results: list[tuple[str, np.ndarray, np.ndarray]]) -> dict[int, Candidate]:
    """Union of every source's products, keeping each source's score."""
    merged: dict[int, Candidate] = {}
    for name, products, scores in results:
        for p, s in zip(products.tolist(), scores.tolist(), strict=True):
            merged.setdefault(p, Candidate(p)).sources[name] = s
    return merged
