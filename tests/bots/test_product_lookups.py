"""The robots' product lookup tables stay in step with the product catalogue."""

from __future__ import annotations

import pytest

from bots.product_lookups import ROBOTS_WITH_PRODUCTS, lookup_file, render_product_lookups
from bots.settings import BOTS_DIR
from knowledge.catalogue import load_catalogue
from nlu.training_data import load_training_data


@pytest.mark.parametrize("bot", ROBOTS_WITH_PRODUCTS)
def test_product_lookup_file_matches_the_catalogue(bot: str) -> None:
    shipped = lookup_file(BOTS_DIR / bot).read_text(encoding="utf-8")
    assert shipped == render_product_lookups(load_catalogue()), "run: python -m bots.product_lookups"


def test_product_lookup_maps_every_alias_to_the_full_name() -> None:
    data = load_training_data([lookup_file(BOTS_DIR / "service")])
    catalogue = load_catalogue()
    synonyms = data.synonyms
    assert set(data.lookups["product"]) == {n for p in catalogue for n in (p.name, *p.aliases)}
    for product in catalogue:
        for alias in product.aliases:
            assert synonyms[alias] == product.name
