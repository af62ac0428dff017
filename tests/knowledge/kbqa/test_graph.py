"""The knowledge graph: relations in both directions and intersections of constraints."""

from __future__ import annotations

import pytest

from knowledge.catalogue import Catalogue
from knowledge.kbqa.graph import KnowledgeGraph, Node, NodeKind, Relation, company_short_name


@pytest.fixture(scope="module")
def graph(catalogue: Catalogue) -> KnowledgeGraph:
    return KnowledgeGraph(catalogue)


def test_graph_products_managed_by_a_manager(graph: KnowledgeGraph) -> None:
    codes = {n.key for n in graph.subjects(Relation.MANAGED_BY, Node(NodeKind.MANAGER, "张明"))}
    assert codes == {"971001", "971002", "972001", "972002", "973501"}


def test_graph_company_and_type_intersect(graph: KnowledgeGraph) -> None:
    names = [p.name for p in graph.products_where(company="瑞丰基金", type="债券")]
    assert names == ["瑞丰安心纯债A", "瑞丰安心纯债C", "瑞丰短债优选", "瑞丰中短债30天持有"]


def test_graph_product_edges_point_to_its_facts(graph: KnowledgeGraph) -> None:
    product = Node(NodeKind.PRODUCT, "970001")
    assert graph.objects(product, Relation.ISSUED_BY) == {Node(NodeKind.COMPANY, "瑞丰基金")}
    assert graph.objects(product, Relation.HAS_RISK_LEVEL) == {Node(NodeKind.RISK_LEVEL, "R1")}
    assert graph.objects(product, Relation.HAS_ASSET_CLASS) == {Node(NodeKind.ASSET_CLASS, "现金")}
    assert graph.manager_company("张明") == {"瑞丰基金"}


def test_graph_unknown_keys_match_nothing(graph: KnowledgeGraph) -> None:
    assert graph.products_where(manager="不存在的人") == []
    with pytest.raises(ValueError, match="unknown graph constraint"):
        graph.products_where(colour="红")


def test_graph_names_every_kind(graph: KnowledgeGraph) -> None:
    assert {"瑞丰基金", "安澜理财", "信和人寿"} <= graph.names(NodeKind.COMPANY)
    assert len(graph.names(NodeKind.TYPE)) == 7
    assert graph.names(NodeKind.RISK_LEVEL) == {"R1", "R2", "R3", "R4", "R5"}


@pytest.mark.parametrize(
    ("company", "short"),
    [("瑞丰基金", "瑞丰"), ("安澜理财", "安澜"), ("信和人寿", "信和"), ("基金", "基金")],
    ids=["fund", "wealth", "insurer", "too_short"],
)
def test_company_short_name_drops_the_suffix(company: str, short: str) -> None:
    assert company_short_name(company) == short
