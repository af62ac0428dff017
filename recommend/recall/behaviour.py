"""Recall by behaviour: recently viewed/held, item-based and user-based collaborative filtering."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommend.recall.base import RecallContext, top_k

__all__ = ["ItemCfRecall", "RecentSimilarRecall", "UserCfRecall"]

_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0))


def _row(matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:end], matrix.data[start:end]


@dataclass(frozen=True)
class RecentSimilarRecall:
    """Products recently viewed, and products like the ones recently viewed or held."""

    name: str = "recent_similar"
    display_name: str = "近期浏览/持有相似"

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: recency of a view (itself) + attribute similarity to viewed and held products."""
        if ctx.row is None:
            return _EMPTY
        viewed, recency = _row(ctx.index.recent, ctx.row)
        held, _ = _row(ctx.index.held, ctx.row)
        if viewed.size == 0 and held.size == 0:
            return _EMPTY
        weights = np.zeros(len(ctx.products.codes))
        weights[viewed] = recency / (recency.max() if recency.size else 1)
        weights[held] = np.maximum(weights[held], 0.5)
        seeds = np.flatnonzero(weights)
        score = (weights[seeds] @ ctx.index.content_sim[seeds]) / max(weights.sum(), 1e-9)
        score[viewed] += 0.5 * weights[viewed]
        return top_k(score, ctx.usable(), k)


@dataclass(frozen=True)
class ItemCfRecall:
    """Products co-held / co-bought with the customer's own (item-based CF)."""

    name: str = "item_cf"
    display_name: str = "持有相似产品的客户也买了"

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: summed cosine similarity of co-holding to every product the customer bought or holds."""
        if ctx.row is None:
            return _EMPTY
        seeds = np.union1d(_row(ctx.index.bought, ctx.row)[0], _row(ctx.index.held, ctx.row)[0])
        if seeds.size == 0:
            return _EMPTY
        return top_k(ctx.index.item_sim[seeds].sum(axis=0), ctx.usable(), k)


@dataclass(frozen=True)
class UserCfRecall:
    """Products bought by the most similar customers (user-based CF on SVD embeddings)."""

    name: str = "user_cf"
    display_name: str = "相似客户在买"
    neighbours: int = 50

    def recall(self, ctx: RecallContext, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Score: similarity-weighted purchases of the ``neighbours`` nearest customers."""
        vectors = ctx.index.user_vectors
        if ctx.row is None or not vectors[ctx.row].any():
            return _EMPTY
        sims = vectors @ vectors[ctx.row]
        sims[ctx.row] = -1.0
        n = min(self.neighbours, sims.size - 1)
        if n <= 0:
            return _EMPTY
        near = np.argpartition(-sims, n - 1)[:n]
        near = near[sims[near] > 0]
        if near.size == 0:
            return _EMPTY
        score = np.asarray(ctx.index.bought[near].T @ sims[near]).ravel()
        return top_k(score, ctx.usable(), k)
