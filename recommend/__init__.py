"""Recommendation (recall → rank → rerank, explained in Chinese) and churn warning.

See ``recommend/README.md`` for the data schema, the simulator and the benchmark figures;
dialogue actions live in :mod:`recommend.actions`, churn in :mod:`recommend.churn`.
"""

from __future__ import annotations

from recommend.engine import Recommendation, RecommendationResult, Recommender, Request
from recommend.explain import Explanation
from recommend.feedback import FeedbackConfig, FeedbackStore
from recommend.interactions import InteractionIndex
from recommend.loaders import dataset_from_rows, load_csv, load_parquet, load_sql, save_csv
from recommend.rerank import RerankConfig, Reranker
from recommend.schema import Dataset, EventKind, SchemaError
from recommend.simulate import SimConfig, simulate, synthesize_products

__all__ = [
    "Dataset",
    "EventKind",
    "Explanation",
    "FeedbackConfig",
    "FeedbackStore",
    "InteractionIndex",
    "Recommendation",
    "RecommendationResult",
    "Recommender",
    "Request",
    "RerankConfig",
    "Reranker",
    "SchemaError",
    "SimConfig",
    "dataset_from_rows",
    "load_csv",
    "load_parquet",
    "load_sql",
    "save_csv",
    "simulate",
    "synthesize_products",
]
