"""The shipped defaults: a recommender and a churn model trained on a seeded simulated population.

Built lazily on first use and cached (a few seconds); a deployment replaces it with models
trained on its own logs (:mod:`recommend.loaders`) and a real profile provider.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from knowledge.catalogue import Product, load_catalogue
from recommend.churn import ChurnAssessment, ChurnFeatures, ChurnModel, churn_features
from recommend.churn.touch import TouchPolicy, choose_channel
from recommend.churn_batch import train_model
from recommend.engine import Recommender
from recommend.schema import Dataset
from recommend.simulate import SimConfig, simulate
from risk_hooks.profile import CustomerProfile

__all__ = ["RecommendService", "build_service", "default_service"]


@dataclass
class RecommendService:
    """A recommender, a churn model and the population they were trained on."""

    dataset: Dataset
    recommender: Recommender
    churn_model: ChurnModel
    churn_snapshot: ChurnFeatures
    policy: TouchPolicy

    def profile(self, customer_id: str) -> CustomerProfile | None:
        """The simulated customer's profile with current holdings (None if unknown)."""
        row = self.recommender.rows.get(customer_id)
        if row is None:
            return None
        return self.dataset.profile(
            row, self.recommender.index.holdings_of(row, self.dataset.product_arrays.codes)
        )

    def churn(self, customer_id: str) -> ChurnAssessment | None:
        """Churn score, reasons, win-back and suggested channel for a known customer."""
        row = self.recommender.rows.get(customer_id)
        if row is None or not self.churn_snapshot.active[row]:
            return None
        values = self.churn_snapshot.values[row]
        assessment = self.churn_model.assess(customer_id, values)
        c = self.dataset.customers
        channel, why = choose_channel(
            float(c.aum[row]), bool(c.phone_reachable[row]), bool(c.app_reachable[row]),
            float(self.churn_snapshot.column("days_since_login")[row]), self.policy,
        )  # fmt: skip
        assessment.channel, assessment.channel_reason = channel.value, why
        return assessment


def build_service(
    products: list[Product], config: SimConfig | None = None, policy: TouchPolicy | None = None
) -> RecommendService:
    """Simulate a population ending yesterday, train the recommender and the churn model on it."""
    if config is None:
        days = 60
        config = SimConfig(
            n_customers=3000, n_days=days, start_date=dt.date.today() - dt.timedelta(days=days)
        )
    dataset = simulate(products, config)
    recommender = Recommender.train(dataset, dataset.n_days)
    model = train_model(dataset, dataset.n_days)
    snapshot = churn_features(dataset, dataset.n_days)
    np.nan_to_num(snapshot.values, copy=False)
    return RecommendService(dataset, recommender, model, snapshot, policy or TouchPolicy())


@functools.lru_cache(maxsize=1)
def default_service() -> RecommendService:
    """The shipped service over the demo catalogue (``knowledge/data/products.yml``), cached."""
    return build_service(load_catalogue().on_sale() or list(load_catalogue()))
