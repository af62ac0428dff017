"""BM25 passage retrieval with product restriction."""

from __future__ import annotations

from pathlib import Path

from knowledge.reading import PassageRetriever, load_documents


def test_retriever_finds_the_section_that_answers(documents_dir: Path) -> None:
    retriever = PassageRetriever(load_documents(documents_dir))
    hits = retriever.search("测试稳健债券赎回多久到账", top_k=2)
    assert hits[0].passage.heading == "赎回到账时间"
    assert hits[0].document.id == "prospectus_test_001"


def test_retriever_restricts_to_the_named_product() -> None:
    retriever = PassageRetriever(load_documents())
    hits = retriever.search("瑞丰稳享货币A的起购金额是多少", top_k=5)
    assert hits and {h.document.id for h in hits if h.document.products} == {"prospectus_970001"}


def test_retriever_returns_nothing_for_unknown_terms(documents_dir: Path) -> None:
    retriever = PassageRetriever(load_documents(documents_dir))
    assert retriever.search("xyzzy", top_k=3) == []
    assert retriever.search("", top_k=3) == []
