"""Shared KBQA fixtures: the shipped demo catalogue and one question answerer over it."""

from __future__ import annotations

import pytest

from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.kbqa import ProductQA


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def qa(catalogue: Catalogue) -> ProductQA:
    return ProductQA(catalogue)
