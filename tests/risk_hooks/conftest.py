"""Fixtures of the risk hooks tests: fictional products of every risk level, a fake clock."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass(frozen=True)
class FakeProduct:
    """Has the ``risk_hooks.profile.ProductFacts`` attributes (like ``knowledge.catalogue.Product``)."""

    code: str
    name: str
    type: str
    risk_level: int
    term_days: int = 0
    min_amount: float = 1.0
    aliases: tuple[str, ...] = field(default_factory=tuple)


# invented names: one or more per risk level, with aliases and codes
PRODUCTS = (
    FakeProduct("TST001", "示例现金宝1号", "货币", 1, aliases=("现金宝",)),
    FakeProduct("TST002", "示例安盈短债A", "债券", 2, min_amount=100.0, aliases=("安盈短债",)),
    FakeProduct("TST003", "示例均衡配置混合", "混合", 3, min_amount=1000.0, aliases=("均衡配置",)),
    FakeProduct("TST004", "示例成长精选股票", "股票", 4, min_amount=1000.0, aliases=("成长精选",)),
    FakeProduct("TST005", "示例科技先锋指数增强", "指数基金", 5, min_amount=10000.0, aliases=("科技先锋",)),
    FakeProduct("880123", "示例周周享7天", "银行理财", 2, term_days=7, aliases=("周周享",)),
)


class FakeClock:
    """Seconds that only move when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def products() -> tuple[FakeProduct, ...]:
    return PRODUCTS


def product_names(products: tuple[FakeProduct, ...] = PRODUCTS) -> list[str]:
    """Every name, alias and code."""
    return [text for p in products for text in (p.name, p.code, *p.aliases)]


@pytest.fixture(scope="session")
def fake_product() -> type[FakeProduct]:
    """The product class, to build more products in a test."""
    return FakeProduct


@pytest.fixture(scope="session")
def all_product_names() -> list[str]:
    """Names, aliases and codes of the fixture products plus the demo catalogue where it exists."""
    names = product_names()
    try:
        from knowledge.catalogue import DEFAULT_PRODUCTS_FILE, load_catalogue
    except ImportError:
        return names
    if DEFAULT_PRODUCTS_FILE.exists():
        names += [text for p in load_catalogue() for text in (p.name, p.code, *p.aliases)]
    return names
