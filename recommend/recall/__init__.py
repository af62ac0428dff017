"""Recall: each source proposes suitable candidates and names itself in explanations."""

from __future__ import annotations

from recommend.recall.base import Candidate, RecallContext, RecallSource, merge_candidates, top_k
from recommend.recall.behaviour import ItemCfRecall, RecentSimilarRecall, UserCfRecall
from recommend.recall.content import GOAL_ASSETS, AmountTermRecall, KypRecall, goal_assets
from recommend.recall.popular import ColdStartRecall, HotRecall, PolicyRecall
from recommend.recall.suitability import ASSESS_FIRST_RULES, SuitabilityFilter

__all__ = [
    "ASSESS_FIRST_RULES",
    "GOAL_ASSETS",
    "AmountTermRecall",
    "Candidate",
    "ColdStartRecall",
    "HotRecall",
    "ItemCfRecall",
    "KypRecall",
    "PolicyRecall",
    "RecallContext",
    "RecallSource",
    "RecentSimilarRecall",
    "SuitabilityFilter",
    "UserCfRecall",
    "default_sources",
    "goal_assets",
    "merge_candidates",
    "top_k",
]


def default_sources(policy_codes: tuple[str, ...] = ()) -> list[RecallSource]:
    """Every recall source, in the order explanations list them."""
    return [
        KypRecall(),
        AmountTermRecall(),
        RecentSimilarRecall(),
        ItemCfRecall(),
        UserCfRecall(),
        HotRecall(),
        PolicyRecall(policy_codes),
        ColdStartRecall(),
    ]
