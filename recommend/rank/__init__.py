"""Ranking: click and conversion probabilities from hashed features, FTRL-trained and online-updated."""

from __future__ import annotations

from recommend.rank.features import FIELD_LABELS, FIELDS, CustomerBlock, describe_field, pair_features
from recommend.rank.ftrl import FtrlConfig, FtrlModel
from recommend.rank.ranker import Ranker, RankScores, customer_block, popularity_rank

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "CustomerBlock",
    "FtrlConfig",
    "FtrlModel",
    "RankScores",
    "Ranker",
    "customer_block",
    "describe_field",
    "pair_features",
    "popularity_rank",
]
