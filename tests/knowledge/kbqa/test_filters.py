"""Filter questions: risk, term and amount bounds with their direction, names, rankings."""

from __future__ import annotations

import pytest

from knowledge.catalogue import Catalogue
from knowledge.kbqa.filters import Filters, RankKey, apply_filters, parse_filters
from knowledge.kbqa.graph import KnowledgeGraph


@pytest.fixture(scope="module")
def graph(catalogue: Catalogue) -> KnowledgeGraph:
    return KnowledgeGraph(catalogue)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("r2以下、一年以内的有哪些", Filters(risk_max=2, term_max=365)),
        ("起购1000元以下的债券基金", Filters(amount_max=1000.0, types=("债券",))),
        ("一千块能买的货币基金", Filters(amount_max=1000.0, types=("货币",))),
        ("1k以内的理财", Filters(amount_max=1000.0, types=("银行理财",))),
        ("5w能买哪些", Filters(amount_max=50000.0)),
        ("r3及以上的混合基金", Filters(risk_min=3, types=("混合",))),
        ("低于r3的有哪些", Filters(risk_max=2)),
        ("不超过r3的", Filters(risk_max=3)),
        ("稳健型能买什么", Filters(risk_max=2)),
        ("90天的银行理财", Filters(term_min=90, term_max=90, types=("银行理财",))),
        ("半年以内的产品", Filters(term_max=180)),
        ("可以随时取的", Filters(term_max=0)),
        ("张明管理的基金有哪些", Filters(manager="张明")),
        ("章明管理的基金", Filters(manager="张明")),
        ("瑞丰基金旗下的债券基金", Filters(types=("债券",), company="瑞丰基金")),
        ("权益类的有哪些", Filters(asset_classes=("权益",))),
        ("风险最低的三只", Filters(rank=RankKey.RISK, limit=3)),
        ("费率最低的指数基金", Filters(types=("指数基金",), rank=RankKey.FEE, limit=3)),
        ("近一年收益最高的是哪只", Filters(rank=RankKey.RETURN, rank_descending=True, limit=1)),
        ("三个月以内的理财推荐几个", Filters(term_max=90, types=("银行理财",))),
    ],
    ids=[
        "risk_and_term", "amount_and_type", "amount_chinese", "amount_k", "amount_w", "risk_min",
        "risk_strict", "risk_not_above", "customer_type", "exact_term", "half_year", "open_ended",
        "manager", "manager_pinyin", "company_and_type", "asset_class", "rank_risk", "rank_fee",
        "rank_past_return_not_a_term", "three_months_is_not_a_limit",
    ],
)  # fmt: skip
def test_parse_filters_reads_the_constraints(graph: KnowledgeGraph, question: str, expected: Filters) -> None:
    assert parse_filters(question, graph) == expected


def test_apply_filters_respects_every_bound(catalogue: Catalogue, graph: KnowledgeGraph) -> None:
    found = apply_filters(list(catalogue), parse_filters("r2以下、一年以内的有哪些", graph))
    assert found and all(p.risk_level <= 2 and p.term_days <= 365 and p.status == "on_sale" for p in found)


def test_apply_filters_ranks_and_cuts(catalogue: Catalogue, graph: KnowledgeGraph) -> None:
    found = apply_filters(list(catalogue), parse_filters("风险最高的两只", graph))
    assert [p.risk_level for p in found] == [5, 5]


def test_apply_filters_hides_closed_products_unless_asked(catalogue: Catalogue) -> None:
    on_sale = apply_filters(list(catalogue), Filters())
    everything = apply_filters(list(catalogue), Filters(include_closed=True))
    assert len(on_sale) < len(everything) == len(catalogue)


def test_filters_empty_only_without_constraints() -> None:
    assert Filters().empty and Filters(include_closed=True).empty
    assert not Filters(risk_max=2).empty
