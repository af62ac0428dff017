"""What the logs say up to a day: holdings, recent views, co-holding and popularity matrices.

Built once per batch (nightly in production) from :class:`recommend.schema.Events`; recall
sources and ranking features read it. Matrices are scipy sparse (customers × products).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommend.schema import ASSET_CLASSES, Dataset, EventKind

__all__ = ["InteractionIndex"]


@dataclass
class InteractionIndex:
    """Interaction state at ``day`` (exclusive): everything recall and ranking read.

    Attributes:
        held: net amount held (customers × products, > 0 only).
        bought: 1 where the customer ever bought the product.
        recent: last day + 1 of a view/click within ``recent_days`` (0 = none).
        hot: purchases + 0.2 × clicks per product over the last ``hot_days``.
        impressions, clicks: per-product totals (for explore/exploit).
        item_sim: cosine similarity of co-holding/co-purchase (products × products).
        content_sim: attribute similarity (same asset class, type, risk, term).
        user_vectors: normalised customer embeddings (truncated SVD of ``bought``).
        asset_clicks: clicks per customer and asset class (customers × asset classes).
        activity: clicks + purchases per customer.
    """

    day: int
    held: sp.csr_matrix
    bought: sp.csr_matrix
    recent: sp.csr_matrix
    hot: np.ndarray
    impressions: np.ndarray
    clicks: np.ndarray
    item_sim: np.ndarray
    content_sim: np.ndarray
    user_vectors: np.ndarray
    asset_clicks: np.ndarray
    activity: np.ndarray

    @classmethod
    def build(
        cls, dataset: Dataset, day: int, *, recent_days: int = 14, hot_days: int = 14, factors: int = 24
    ) -> InteractionIndex:
        """Index the events before ``day``.

        Args:
            dataset: the population and its log.
            day: first day NOT included.
            recent_days: how far back "recently viewed" reaches.
            hot_days: how far back "hot" counts.
            factors: size of the customer embedding for user-based CF.
        """
        n_c, n_p = len(dataset.customers), len(dataset.products)
        past = dataset.events.between(-(10**6), day)
        kind, cust, prod = past.kind, past.customer, past.product

        def matrix(mask: np.ndarray, data: np.ndarray | None = None) -> sp.csr_matrix:
            values = np.ones(int(mask.sum())) if data is None else data[mask]
            return sp.csr_matrix((values, (cust[mask], prod[mask])), shape=(n_c, n_p))

        buys, redeems = kind == EventKind.PURCHASE, kind == EventKind.REDEEM
        net = matrix(buys, past.amount.astype(np.float64)) - matrix(redeems, past.amount.astype(np.float64))
        net.data = np.where(net.data > 1e-6, net.data, 0.0)
        net.eliminate_zeros()
        bought = matrix(buys)
        bought.data[:] = 1.0
        touched = ((kind == EventKind.VIEW) | (kind == EventKind.CLICK)) & (past.day >= day - recent_days)
        recent = _max_matrix(
            cust[touched], prod[touched], past.day[touched] - (day - recent_days) + 1, n_c, n_p
        )
        clicks_all = kind == EventKind.CLICK
        hot_window = past.day >= day - hot_days
        hot = np.bincount(prod[buys & hot_window], minlength=n_p) + 0.2 * np.bincount(
            prod[clicks_all & hot_window], minlength=n_p
        )
        asset = dataset.product_arrays.asset
        asset_clicks = np.zeros((n_c, len(ASSET_CLASSES) + 1), dtype=np.float32)
        np.add.at(asset_clicks, (cust[clicks_all], asset[prod[clicks_all]]), 1.0)
        basket = (bought + (net > 0)).astype(bool).astype(np.float64)
        return cls(
            day=day,
            held=net,
            bought=bought,
            recent=recent,
            hot=hot.astype(np.float64),
            impressions=np.bincount(prod[kind == EventKind.VIEW], minlength=n_p).astype(np.float64),
            clicks=np.bincount(prod[clicks_all], minlength=n_p).astype(np.float64),
            item_sim=_cosine_items(basket),
            content_sim=_content_similarity(dataset),
            user_vectors=_user_vectors(basket, factors),
            asset_clicks=asset_clicks,
            activity=np.bincount(cust[clicks_all | buys], minlength=n_c).astype(np.float64),
        )

    def holdings_of(self, row: int, codes: list[str]) -> dict[str, float]:
        """Product code → amount held by customer ``row``."""
        start, end = self.held.indptr[row], self.held.indptr[row + 1]
        return {
            codes[j]: float(v)
            for j, v in zip(self.held.indices[start:end], self.held.data[start:end], strict=True)
        }


def _max_matrix(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_r: int, n_c: int) -> sp.csr_matrix:
    """Sparse matrix keeping the largest value per cell (scipy sums duplicates; sort first)."""
    if rows.size == 0:
        return sp.csr_matrix((n_r, n_c))
    key = rows.astype(np.int64) * n_c + cols
    order = np.lexsort((values, key))
    key, values = key[order], values[order]
    last = np.r_[key[1:] != key[:-1], True]
    key, values = key[last], values[last]
    return sp.csr_matrix((values.astype(np.float64), (key // n_c, key % n_c)), shape=(n_r, n_c))


def _cosine_items(basket: sp.csr_matrix) -> np.ndarray:
    co = (basket.T @ basket).toarray().astype(np.float32)
    norms = np.sqrt(np.diag(co)) + 1e-9
    sim = co / norms[:, None] / norms[None, :]
    np.fill_diagonal(sim, 0.0)
    return sim


def _content_similarity(dataset: Dataset) -> np.ndarray:
    a = dataset.product_arrays
    same_asset = (a.asset[:, None] == a.asset[None, :]).astype(np.float32)
    same_type = (a.type[:, None] == a.type[None, :]).astype(np.float32)
    risk_gap = np.abs(a.risk[:, None].astype(np.float32) - a.risk[None, :]) / 4
    term = np.log1p(a.term_days.astype(np.float32))
    term_gap = np.minimum(np.abs(term[:, None] - term[None, :]) / 6, 1)
    sim = 0.4 * same_asset + 0.3 * same_type + 0.2 * (1 - risk_gap) + 0.1 * (1 - term_gap)
    np.fill_diagonal(sim, 0.0)
    return sim


def _user_vectors(basket: sp.csr_matrix, factors: int) -> np.ndarray:
    n_c, n_p = basket.shape
    k = max(1, min(factors, n_p - 1, n_c - 1))
    if basket.nnz == 0 or k < 1:
        return np.zeros((n_c, 1), dtype=np.float32)
    from scipy.sparse.linalg import svds

    u, s, _ = svds(basket.astype(np.float64), k=k, random_state=0)
    vectors = (u * s).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
