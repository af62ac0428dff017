"""The product knowledge graph: products, companies, managers, types and asset classes.

Nodes are ``(kind, key)`` pairs; edges are typed relations stored in both directions, so
"张明管理的基金" is ``subjects(MANAGED_BY, manager 张明)`` and "瑞丰基金旗下的债券基金" is the
intersection of ``subjects(ISSUED_BY, company 瑞丰基金)`` and ``subjects(HAS_TYPE, type 债券)``.
Built once from a ``Catalogue``; read-only afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from knowledge.catalogue import Catalogue, Product

__all__ = ["KnowledgeGraph", "Node", "NodeKind", "Relation", "company_short_name"]

# suffixes that customers drop when they name a company ("瑞丰基金" → "瑞丰")
_COMPANY_SUFFIXES = ("基金管理有限公司", "基金", "理财", "人寿", "保险")


class NodeKind(StrEnum):
    """What a graph node stands for."""

    PRODUCT = "product"
    COMPANY = "company"
    MANAGER = "manager"
    TYPE = "type"
    ASSET_CLASS = "asset_class"
    RISK_LEVEL = "risk_level"


class Relation(StrEnum):
    """Edges from a product (or a manager) to what describes it."""

    MANAGED_BY = "managed_by"  # product → manager
    ISSUED_BY = "issued_by"  # product → company
    HAS_TYPE = "has_type"  # product → type
    HAS_ASSET_CLASS = "has_asset_class"  # product → asset class
    HAS_RISK_LEVEL = "has_risk_level"  # product → "R1".."R5"
    WORKS_AT = "works_at"  # manager → company


@dataclass(frozen=True)
class Node:
    """A graph node: its kind and its key (a product code or a name)."""

    kind: NodeKind
    key: str


def company_short_name(company: str) -> str:
    """``"瑞丰基金"`` → ``"瑞丰"``: the name customers use for a company."""
    for suffix in _COMPANY_SUFFIXES:
        if company.endswith(suffix) and len(company) > len(suffix) + 1:
            return company[: -len(suffix)]
    return company


class KnowledgeGraph:
    """Typed relations between products and the entities that describe them.

    Args:
        catalogue: the products to put in the graph.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._out: dict[tuple[Node, Relation], set[Node]] = defaultdict(set)
        self._in: dict[tuple[Relation, Node], set[Node]] = defaultdict(set)
        self._nodes: dict[NodeKind, set[str]] = defaultdict(set)
        for product in catalogue:
            self._add_product(product)

    def _add_product(self, product: Product) -> None:
        node = Node(NodeKind.PRODUCT, product.code)
        self._nodes[NodeKind.PRODUCT].add(product.code)
        company = Node(NodeKind.COMPANY, product.company)
        self._link(node, Relation.ISSUED_BY, company)
        self._link(node, Relation.HAS_TYPE, Node(NodeKind.TYPE, product.type))
        self._link(node, Relation.HAS_ASSET_CLASS, Node(NodeKind.ASSET_CLASS, product.asset_class))
        self._link(node, Relation.HAS_RISK_LEVEL, Node(NodeKind.RISK_LEVEL, product.risk))
        if product.manager:
            manager = Node(NodeKind.MANAGER, product.manager)
            self._link(node, Relation.MANAGED_BY, manager)
            self._link(manager, Relation.WORKS_AT, company)

    def _link(self, subject: Node, relation: Relation, obj: Node) -> None:
        self._out[(subject, relation)].add(obj)
        self._in[(relation, obj)].add(subject)
        self._nodes[obj.kind].add(obj.key)

    def names(self, kind: NodeKind) -> set[str]:
        """Every key of the nodes of ``kind`` (codes for products, names otherwise)."""
        return set(self._nodes.get(kind, ()))

    def objects(self, subject: Node, relation: Relation) -> set[Node]:
        """Where ``relation`` leads from ``subject`` (e.g. a product's manager)."""
        return set(self._out.get((subject, relation), ()))

    def subjects(self, relation: Relation, obj: Node) -> set[Node]:
        """What leads to ``obj`` by ``relation`` (e.g. the products a manager manages)."""
        return set(self._in.get((relation, obj), ()))

    def products_where(self, **constraints: str) -> list[Product]:
        """Products matching every constraint, in catalogue order.

        Args:
            constraints: ``manager=``, ``company=``, ``type=``, ``asset_class=`` or
                ``risk_level=`` (``"R2"``), each a node key; unknown keys match nothing.

        Raises:
            ValueError: a constraint name that is not one of the above.
        """
        relation_of = {
            "manager": (Relation.MANAGED_BY, NodeKind.MANAGER),
            "company": (Relation.ISSUED_BY, NodeKind.COMPANY),
            "type": (Relation.HAS_TYPE, NodeKind.TYPE),
            "asset_class": (Relation.HAS_ASSET_CLASS, NodeKind.ASSET_CLASS),
            "risk_level": (Relation.HAS_RISK_LEVEL, NodeKind.RISK_LEVEL),
        }
        codes: set[str] | None = None
        for name, key in constraints.items():
            if name not in relation_of:
                raise ValueError(f"unknown graph constraint {name!r}")
            relation, kind = relation_of[name]
            found = {node.key for node in self.subjects(relation, Node(kind, key))}
            codes = found if codes is None else codes & found
        return [p for p in self.catalogue if codes is None or p.code in codes]

    def manager_company(self, manager: str) -> set[str]:
        """The companies a manager works at."""
        return {n.key for n in self.objects(Node(NodeKind.MANAGER, manager), Relation.WORKS_AT)}
