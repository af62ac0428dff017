"""The span ranker: gradient-boosted trees (or a logistic regression) over ``spans.FEATURE_NAMES``.

Trained with scikit-learn on SQuAD-format data (``train_ranker``) and stored as JSON: the
trees' split features, thresholds, children and leaf values (or the linear weights), so
loading and scoring need only numpy, never a pickle. The shipped ranker
(``knowledge/data/documents/span_ranker.json``) is made by ``benchmarks/cmrc2018.py
--domain knowledge/data/documents/prospectus_qa.json --save-ranker ...`` (CMRC 2018
articles present plus the templated prospectus questions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.reading.spans import FEATURE_NAMES

__all__ = ["DEFAULT_RANKER_FILE", "RankerError", "SpanRanker", "train_ranker"]

DEFAULT_RANKER_FILE = Path(__file__).resolve().parents[1] / "data" / "documents" / "span_ranker.json"


class RankerError(ValueError):
    """A ranker file is missing, malformed or made for other features."""


@dataclass(frozen=True)
class _Tree:
    """One regression tree: node arrays; a leaf's ``value`` is added to the logit."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    is_leaf: np.ndarray
    value: np.ndarray

    def predict(self, features: np.ndarray) -> np.ndarray:
        node = np.zeros(len(features), dtype=np.int64)
        rows = np.arange(len(features))
        active = ~self.is_leaf[node]
        while active.any():
            current = node[active]
            go_left = features[rows[active], self.feature[current]] <= self.threshold[current]
            node[active] = np.where(go_left, self.left[current], self.right[current])
            active = ~self.is_leaf[node]
        return self.value[node]

    def to_json(self) -> dict[str, list[Any]]:
        return {
            "feature": self.feature.tolist(),
            "threshold": [float(t) for t in self.threshold],  # exact: thresholds can equal data values
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "leaf": self.is_leaf.astype(int).tolist(),
            "value": [round(float(v), 7) for v in self.value],
        }

    @classmethod
    def from_json(cls, data: dict[str, list[Any]]) -> _Tree:
        return cls(
            np.asarray(data["feature"], dtype=np.int64),
            np.asarray(data["threshold"], dtype=float),
            np.asarray(data["left"], dtype=np.int64),
            np.asarray(data["right"], dtype=np.int64),
            np.asarray(data["leaf"], dtype=bool),
            np.asarray(data["value"], dtype=float),
        )


@dataclass(frozen=True)
class SpanRanker:
    """Features -> logit; ``probability`` is the chance a span is the exact answer.

    ``kind`` is ``"gbdt"`` (``trees`` + ``bias``) or ``"linear"`` (``coef`` + ``bias``);
    ``no_answer_threshold`` is the least probability the reader answers with.
    """

    kind: str
    bias: float
    trees: tuple[_Tree, ...] = ()
    coef: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURE_NAMES)))
    no_answer_threshold: float = 0.2

    def logits(self, features: np.ndarray) -> np.ndarray:
        """One logit per row of ``features``."""
        if self.kind == "linear":
            return features @ self.coef + self.bias
        total = np.full(len(features), self.bias)
        for tree in self.trees:
            total += tree.predict(features)
        return total

    def probability(self, features: np.ndarray) -> np.ndarray:
        """One probability per row (the logistic of the logit)."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(features), -30, 30)))

    def with_threshold(self, threshold: float) -> SpanRanker:
        """The same ranker with another no-answer threshold."""
        return SpanRanker(self.kind, self.bias, self.trees, self.coef, threshold)

    def save(self, path: str | Path) -> None:
        """Write the ranker as JSON."""
        payload = {
            "features": list(FEATURE_NAMES),
            "kind": self.kind,
            "bias": round(float(self.bias), 6),
            "no_answer_threshold": round(float(self.no_answer_threshold), 4),
            "coef": [round(float(c), 6) for c in self.coef] if self.kind == "linear" else [],
            "trees": [tree.to_json() for tree in self.trees],
        }
        Path(path).write_text(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> SpanRanker:
        """Read a ranker written by ``save`` (the shipped one by default).

        Raises:
            RankerError: the file is missing, malformed or lists other features.
        """
        path = Path(path or DEFAULT_RANKER_FILE)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            if payload.get("features") != list(FEATURE_NAMES):
                raise RankerError(
                    f"{path}: span ranker made for other features; retrain it (benchmarks/cmrc2018.py)"
                )
            return cls(
                kind=str(payload["kind"]),
                bias=float(payload["bias"]),
                trees=tuple(_Tree.from_json(tree) for tree in payload.get("trees") or ()),
                coef=np.asarray(payload.get("coef") or np.zeros(len(FEATURE_NAMES)), dtype=float),
                no_answer_threshold=float(payload.get("no_answer_threshold", 0.2)),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if isinstance(exc, RankerError):
                raise
            raise RankerError(f"{path}: cannot read span ranker: {exc}") from exc


def train_ranker(
    features: np.ndarray, labels: np.ndarray, kind: str = "gbdt", iterations: int = 200
) -> SpanRanker:
    """Fit the ranker (scikit-learn) on candidate rows labelled 1 for exact answers.

    Args:
        features: one row per candidate span.
        labels: 1 for spans equal to a reference answer, else 0.
        kind: ``"gbdt"`` (HistGradientBoostingClassifier) or ``"linear"`` (LogisticRegression).
        iterations: boosting rounds.

    Raises:
        RankerError: no positive or no negative row, or an unknown kind.
    """
    if labels.min(initial=1) == labels.max(initial=0):
        raise RankerError("span ranker training needs both answer and non-answer spans")
    if kind == "linear":
        return _train_linear(features, labels)
    if kind != "gbdt":
        raise RankerError(f"unknown ranker kind {kind!r}")
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=iterations, learning_rate=0.1, max_leaf_nodes=31, random_state=0
    )
    model.fit(features, labels)
    trees = []
    for (predictor,) in model._predictors:  # one predictor per round for a binary problem
        nodes = predictor.nodes
        trees.append(
            _Tree(
                nodes["feature_idx"].astype(np.int64),
                nodes["num_threshold"].astype(float),
                nodes["left"].astype(np.int64),
                nodes["right"].astype(np.int64),
                nodes["is_leaf"].astype(bool),
                nodes["value"].astype(float),
            )
        )
    return SpanRanker("gbdt", float(np.ravel(model._baseline_prediction)[0]), tuple(trees))


def _train_linear(features: np.ndarray, labels: np.ndarray) -> SpanRanker:
    from sklearn.linear_model import LogisticRegression

    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=1.0, max_iter=3000).fit((features - mean) / scale, labels)
    coef = model.coef_[0] / scale
    return SpanRanker("linear", float(model.intercept_[0] - (mean * coef).sum()), coef=coef)
