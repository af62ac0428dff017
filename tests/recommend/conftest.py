"""Shared fixtures: a small product list built from the dataclass and a seeded population."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.catalogue import Product
from recommend.simulate import SimConfig, simulate

# (type, asset class, risk levels, terms): the shapes of the demo catalogue
_SHAPES = (
    ("货币", "现金", (1,), (0,)),
    ("债券", "固收", (2,), (0, 180)),
    ("银行理财", "固收", (1, 2, 3), (90, 180, 365)),
    ("混合", "混合", (3, 4), (0,)),
    ("股票", "权益", (4, 5), (0,)),
    ("指数基金", "权益", (4,), (0,)),
    ("保险", "保障", (1, 2), (365,)),
)


def make_products() -> list[Product]:
    """32 fictional products across every type, risk level R1–R5 and term."""
    products: list[Product] = []
    for type_, asset, levels, terms in _SHAPES:
        for level in levels:
            for term in terms:
                for k in range(2 if len(products) < 30 else 1):
                    i = len(products)
                    products.append(
                        Product(
                            code=f"P{i:03d}",
                            name=f"示例{type_}{i}号",
                            type=type_,
                            risk_level=level,
                            asset_class=asset,
                            company="示例资管",
                            term_days=term,
                            min_amount=(1.0, 1000.0, 10000.0, 50000.0)[(i + k) % 4],
                            launch_date=dt.date(2025, 6, 1) + dt.timedelta(days=7 * i),
                        )
                    )
    return products


@pytest.fixture(scope="session")
def products() -> list[Product]:
    return make_products()


@pytest.fixture(scope="session")
def dataset(products):
    return simulate(products, SimConfig(n_customers=600, n_days=40, seed=3))


@pytest.fixture(scope="session")
def recommender(dataset):
    from recommend.engine import Recommender

    return Recommender.train(dataset, 30)


@pytest.fixture()
def fresh_recommender(dataset):
    """A recommender of its own (feedback and online updates change it)."""
    from recommend.engine import Recommender

    return Recommender.train(dataset, 30)


@pytest.fixture(scope="session")
def today(dataset) -> dt.date:
    return dataset.date_of(30)


def valid_rows(dataset, day: int = 30) -> list[int]:
    """Customers with a valid assessment at ``day``."""
    c = dataset.customers
    return [i for i in range(len(c)) if c.risk_level[i] > 0 and c.valid_until_day[i] >= day + 10]


@pytest.fixture(scope="session")
def context_for(recommender, dataset, today):
    """Build a recall context for customer ``row`` with request overrides."""
    from recommend.engine import Request

    def build(row: int, **request):
        profile = dataset.profile(row, recommender.index.holdings_of(row, dataset.product_arrays.codes))
        return recommender.context(profile, Request(**request), today)

    return build


@pytest.fixture(scope="session")
def rows(dataset) -> list[int]:
    return valid_rows(dataset)


@pytest.fixture(scope="session")
def churn_dataset(products):
    """A population large enough to hold a few hundred churners."""
    return simulate(products, SimConfig(n_customers=4000, n_days=60, seed=5))


@pytest.fixture(scope="session")
def churn_model(churn_dataset):
    from recommend.churn_batch import train_model

    return train_model(churn_dataset, 45, horizon=30)
