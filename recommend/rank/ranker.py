"""Ranking: P(click) × P(convert | click), two FTRL logistic models trained on the logs.

The click model learns from ``view`` events (label: clicked the same day), the conversion
model from ``click`` events (label: bought the same day). Both keep learning online from
feedback (:meth:`Ranker.feedback`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommend.interactions import InteractionIndex
from recommend.rank.features import FIELDS, CustomerBlock, pair_features
from recommend.rank.ftrl import FtrlConfig, FtrlModel
from recommend.schema import Dataset, EventKind, ProductArrays

__all__ = ["RankScores", "Ranker", "customer_block", "popularity_rank"]


@dataclass
class RankScores:
    """Scores of candidate products for one customer."""

    p_click: np.ndarray
    p_convert: np.ndarray
    features: np.ndarray  # feature indices, one row per candidate
    contributions: np.ndarray  # click + conversion weight of each feature (candidates × fields)

    @property
    def score(self) -> np.ndarray:
        """Expected conversions per impression."""
        return self.p_click * self.p_convert


def popularity_rank(index: InteractionIndex) -> np.ndarray:
    """Per-product popularity decile 0–9 (9 = hottest)."""
    hot = index.hot
    if hot.size == 0:
        return np.zeros(0, dtype=np.int64)
    ranks = np.argsort(np.argsort(hot, kind="stable"), kind="stable")
    return (ranks * 10 // max(hot.size, 1)).astype(np.int64)


def customer_block(
    dataset: Dataset, index: InteractionIndex, rows: np.ndarray, prod: np.ndarray
) -> CustomerBlock:
    """Customer columns of logged customers ``rows``, aligned with products ``prod``."""
    c = dataset.customers
    return CustomerBlock(
        risk=c.risk_level[rows],
        age=c.age[rows],
        aum=c.aum[rows],
        pref_assets=c.pref_assets[rows],
        pref_term=c.pref_term_days[rows],
        pref_amount=c.pref_amount[rows],
        asset_clicks=index.asset_clicks[rows, dataset.product_arrays.asset[prod]],
    )


class Ranker:
    """Two FTRL models and the feature hashing they share."""

    def __init__(self, config: FtrlConfig | None = None) -> None:
        self.config = config or FtrlConfig()
        self.click = FtrlModel(self.config)
        self.convert = FtrlModel(self.config)

    def fit(
        self, dataset: Dataset, index: InteractionIndex, first_day: int, end_day: int, epochs: int = 1
    ) -> dict:
        """Train on the views and clicks of days ``[first_day, end_day)``.

        ``index`` should be built at ``first_day`` so features never see the labels.

        Returns:
            Sample counts and positive rates of both models.
        """
        events = dataset.events.between(first_day, end_day)
        pop = popularity_rank(index)
        stats = {}
        for model, source, target, name in (
            (self.click, EventKind.VIEW, EventKind.CLICK, "click"),
            (self.convert, EventKind.CLICK, EventKind.PURCHASE, "convert"),
        ):
            rows, prod, labels = _samples(
                events, source, target, len(dataset.products), len(dataset.customers)
            )
            block = customer_block(dataset, index, rows, prod)
            idx = pair_features(block, prod, dataset.product_arrays, pop, self.config.bits)
            model.fit(idx, labels, epochs=epochs)
            stats[name] = {
                "samples": int(labels.size),
                "positive_rate": float(labels.mean()) if labels.size else 0.0,
            }
        return stats

    def score(
        self, block: CustomerBlock, prod: np.ndarray, products: ProductArrays, pop: np.ndarray
    ) -> RankScores:
        """Click and conversion probabilities of products ``prod`` (block rows align with them)."""
        idx = pair_features(block, prod, products, pop, self.config.bits)
        click, convert = self.click.weights(idx), self.convert.weights(idx)
        return RankScores(_sigmoid(click.sum(axis=1)), _sigmoid(convert.sum(axis=1)), idx, click + convert)

    def feedback(self, features: np.ndarray, clicked: bool, converted: bool | None = None) -> None:
        """Online update from one impression's outcome (``converted`` only for a click)."""
        row = features.reshape(1, -1)
        self.click.update(row, np.array([float(clicked)]))
        if clicked and converted is not None:
            self.convert.update(row, np.array([float(converted)]))

    @staticmethod
    def top_fields(contribution: np.ndarray, k: int = 3) -> list[str]:
        """The ``k`` fields that raise a pair's score most (a row of ``RankScores.contributions``)."""
        order = np.argsort(-contribution)
        return [FIELDS[i] for i in order[:k] if contribution[i] > 0 and FIELDS[i] != "bias"]


def _sigmoid(margin: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(margin, -35, 35)))


def _samples(events, source: int, target: int, n_products: int, n_customers: int):
    """(customer rows, products, labels): ``source`` events labelled by a same-day ``target`` event."""
    src = events.kind == source
    tgt = events.kind == target

    def key(mask: np.ndarray) -> np.ndarray:
        return (
            events.day[mask].astype(np.int64) * n_customers + events.customer[mask]
        ) * n_products + events.product[mask]

    labels = np.isin(key(src), key(tgt)).astype(np.float64)
    return events.customer[src], events.product[src], labels
