"""Product names for the robots' NLU, generated from the product catalogue.

The gazetteer finds products by the names and aliases in a ``product`` lookup table; the
synonyms map every alias to the product's full name, the value the robots' actions look up.
Run ``python -m bots.product_lookups`` after editing ``knowledge/data/products.yml``; a test
fails while a robot's copy is stale.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.catalogue import Catalogue, load_catalogue

__all__ = ["ROBOTS_WITH_PRODUCTS", "lookup_file", "render_product_lookups", "write_product_lookups"]

ROBOTS_WITH_PRODUCTS = ("service", "advisory")
_HEADER = "# 由 bots/product_lookups.py 根据 knowledge/data/products.yml 生成，请勿手改（虚构演示产品）。\n"


def lookup_file(bot_root: Path) -> Path:
    return Path(bot_root) / "data" / "catalogue_products.yml"


def render_product_lookups(catalogue: Catalogue) -> str:
    """The Rasa nlu.yml text: one ``product`` lookup with every name and alias, and the synonyms."""
    lines = [_HEADER, 'version: "3.1"\n', "nlu:\n", "- lookup: product\n", "  examples: |\n"]
    names = dict.fromkeys(name for p in catalogue for name in (p.name, *p.aliases))
    lines += [f"    - {name}\n" for name in names]
    for product in catalogue:
        if product.aliases:
            lines += [f"- synonym: {product.name}\n", "  examples: |\n"]
            lines += [f"    - {alias}\n" for alias in product.aliases]
    return "".join(lines)


def write_product_lookups(bots_dir: Path, catalogue: Catalogue | None = None) -> list[Path]:
    """Write each product-aware robot's lookup file; returns the files written."""
    text = render_product_lookups(catalogue or load_catalogue())
    written = []
    for bot in ROBOTS_WITH_PRODUCTS:
        path = lookup_file(Path(bots_dir) / bot)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    from bots.settings import BOTS_DIR

    for path in write_product_lookups(BOTS_DIR):
        print(path)
