"""The shipped demo catalogue: enough fictional products at every level and type, with NAVs."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from knowledge.catalogue import (
    DATA_DIR,
    DEFAULT_PRODUCTS_FILE,
    PRODUCT_TYPES,
    Catalogue,
    CatalogueError,
    Product,
    load_catalogue,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_catalogue_ships_at_least_56_fictional_products(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 56
    assert all(p.fictional for p in catalogue)
    assert "FICTIONAL" in DEFAULT_PRODUCTS_FILE.read_text(encoding="utf-8").splitlines()[0]


def test_catalogue_covers_every_risk_level(catalogue: Catalogue) -> None:
    levels = Counter(p.risk_level for p in catalogue)
    assert all(levels[level] >= 6 for level in range(1, 6)), levels


def test_catalogue_covers_every_type(catalogue: Catalogue) -> None:
    types = Counter(p.type for p in catalogue)
    assert set(types) == set(PRODUCT_TYPES)
    assert all(count >= 5 for count in types.values()), types


def test_catalogue_codes_follow_the_formats(catalogue: Catalogue) -> None:
    for product in catalogue:
        if product.type == "银行理财":
            assert re.fullmatch(r"LC\d{2}[A-Z]\d{3}", product.code), product.code
        elif product.type == "保险":
            assert re.fullmatch(r"BX\d{2}[A-Z]\d{3}", product.code), product.code
        else:
            assert re.fullmatch(r"\d{6}", product.code), product.code


def test_catalogue_names_and_aliases_are_unique(catalogue: Catalogue) -> None:
    surfaces = [p.name for p in catalogue] + [a for p in catalogue for a in p.aliases]
    assert len(surfaces) == len(set(surfaces)), [s for s, n in Counter(surfaces).items() if n > 1]


def test_catalogue_has_terms_amounts_and_statuses(catalogue: Catalogue) -> None:
    assert {0, 7, 30, 90, 180, 365, 730} <= {p.term_days for p in catalogue}
    amounts = {p.min_amount for p in catalogue}
    assert min(amounts) == 1 and max(amounts) == 1_000_000
    assert {"on_sale", "closed", "suspended"} == {p.status for p in catalogue}
    assert all(p.benchmark for p in catalogue if p.type == "银行理财")


def test_catalogue_nav_history_is_present_and_recent(catalogue: Catalogue) -> None:
    with_nav = [p for p in catalogue if p.nav_history]
    assert len(with_nav) >= len(catalogue) - 6
    for product in with_nav:
        assert product.latest_nav is not None and product.latest_nav.date.isoformat() == "2026-11-20"
        assert product.past_return(365) is not None
        assert all(point.nav > 0 for point in product.nav_history)
    money = [p for p in with_nav if p.type == "货币"]
    assert all(0 < (p.past_return(365) or 0) < 0.05 for p in money)


def test_catalogue_nav_file_stays_small() -> None:
    assert (DEFAULT_PRODUCTS_FILE.parent / "nav_history.csv").stat().st_size < 3_000_000


def test_make_nav_history_is_deterministic_and_thinned() -> None:
    spec = importlib.util.spec_from_file_location("make_nav_history", DATA_DIR / "make_nav_history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entry = {"code": "000001", "risk_level": "R3", "asset_class": "混合", "launch_date": "2010-01-04"}
    first, second = module.nav_series(entry), module.nav_series(entry)
    assert first == second and first[-1][0] == module.END
    old = [day for day, _ in first if day < module.DAILY_FROM]
    assert len({day.isocalendar()[:2] for day in old}) == len(old)  # one point a week before DAILY_FROM
    assert module.nav_series({**entry, "tags": ["年金"]}) == []


def test_catalogue_rejects_a_bad_risk_level(tmp_path: Path) -> None:
    bad = tmp_path / "p.yml"
    bad.write_text(
        "products:\n- {code: '1', name: 某产品, type: 货币, risk_level: R9,\n"
        "   asset_class: 现金, company: 某公司}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="risk_level"):
        load_catalogue(bad)


@pytest.mark.parametrize(
    "field",
    ["risk_level: 高", "risk_level: R3, min_amount: 一千", "risk_level: R3, launch_date: 去年"],
    ids=["risk_word", "amount_word", "date_word"],
)
def test_catalogue_names_the_product_on_an_unreadable_field(tmp_path: Path, field: str) -> None:
    bad = tmp_path / "p.yml"
    bad.write_text(
        "products:\n- {code: '7', name: 某产品, type: 货币, asset_class: 现金,\n"
        f"   company: 某公司, {field}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match="product '7'"):
        load_catalogue(bad)


def test_catalogue_rejects_duplicate_codes() -> None:
    product = Product("1", "甲", "货币", 1, "现金", "某公司")
    with pytest.raises(CatalogueError, match="duplicate"):
        Catalogue([product, product])
