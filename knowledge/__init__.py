"""Knowledge: product catalogue and KBQA, FAQ retrieval, reading comprehension, summarization."""

from __future__ import annotations

from knowledge.catalogue import Catalogue, Product, load_catalogue

__all__ = ["Catalogue", "Product", "load_catalogue"]
