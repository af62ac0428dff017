"""Product knowledge graph and KBQA: link product mentions, classify the attribute, answer from the graph."""

from __future__ import annotations

from knowledge.kbqa.actions import ACTIONS, ActionProductQuery
from knowledge.kbqa.attributes import Attribute, classify_attribute
from knowledge.kbqa.engine import AnswerKind, KbqaAnswer, ProductQA, QuestionType
from knowledge.kbqa.filters import Filters, RankKey, apply_filters, parse_filters
from knowledge.kbqa.graph import KnowledgeGraph, Node, NodeKind, Relation
from knowledge.kbqa.linker import LinkMethod, Mention, ProductLinker

__all__ = [
    "ACTIONS",
    "ActionProductQuery",
    "AnswerKind",
    "Attribute",
    "Filters",
    "KbqaAnswer",
    "KnowledgeGraph",
    "LinkMethod",
    "Mention",
    "Node",
    "NodeKind",
    "ProductLinker",
    "ProductQA",
    "QuestionType",
    "RankKey",
    "Relation",
    "apply_filters",
    "classify_attribute",
    "parse_filters",
]
