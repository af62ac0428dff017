"""The learned matcher: pair features -> probability that two questions mean the same.

``logistic`` (standardized logistic regression, scored with numpy: microseconds per
candidate, saved as JSON) or ``boosting`` (scikit-learn histogram gradient boosting).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.faq.errors import FaqError

__all__ = ["PairMatcher", "Thresholds"]


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds on the matcher's probability.

    Attributes:
        answer: the best entry at or above it is answered directly.
        suggest: entries at or above it (up to three) are offered as "您是不是想问".
    """

    answer: float = 0.7
    suggest: float = 0.35


class PairMatcher:
    """Logistic regression or gradient boosting over pair features.

    Args:
        feature_names: the names of the columns it is trained on (checked on load).
        kind: ``"logistic"`` or ``"boosting"``.
    """

    def __init__(self, feature_names: tuple[str, ...], kind: str = "logistic") -> None:
        if kind not in {"logistic", "boosting"}:
            raise FaqError(f"unknown matcher kind {kind!r}: use 'logistic' or 'boosting'")
        self.feature_names = feature_names
        self.kind = kind
        self._mean = np.zeros(len(feature_names))
        self._scale = np.ones(len(feature_names))
        self._coef = np.zeros(len(feature_names))
        self._intercept = 0.0
        self._model: Any = None
        self.fitted = False

    def fit(self, features: np.ndarray, labels: np.ndarray, seed: int = 0) -> PairMatcher:
        """Train on ``features`` (n, d) and 0/1 ``labels``; returns self."""
        if len(set(np.asarray(labels).tolist())) < 2:
            raise FaqError("the matcher needs both matching and non-matching pairs to train")
        if self.kind == "boosting":
            from sklearn.ensemble import HistGradientBoostingClassifier

            self._model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.08, random_state=seed)
            self._model.fit(features, labels)
        else:
            from sklearn.linear_model import LogisticRegression

            self._mean = features.mean(axis=0)
            self._scale = features.std(axis=0) + 1e-6
            model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
            model.fit((features - self._mean) / self._scale, labels)
            self._coef, self._intercept = model.coef_[0].copy(), float(model.intercept_[0])
        self.fitted = True
        return self

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Match probabilities, one per row."""
        if not len(features):
            return np.zeros(0)
        if self.kind == "boosting":
            return self._model.predict_proba(features)[:, 1]
        logits = ((features - self._mean) / self._scale) @ self._coef + self._intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters (logistic only)."""
        if self.kind != "logistic":
            raise FaqError("only the logistic matcher can be saved as JSON")
        return {
            "kind": self.kind,
            "features": list(self.feature_names),
            "mean": self._mean.tolist(),
            "scale": self._scale.tolist(),
            "coef": self._coef.tolist(),
            "intercept": self._intercept,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], feature_names: tuple[str, ...]) -> PairMatcher:
        """Rebuild a logistic matcher; its features must be ``feature_names``.

        Raises:
            FaqError: the saved features differ (retrain with ``python -m knowledge.faq.training``).
        """
        if tuple(data.get("features", ())) != feature_names:
            raise FaqError(
                "the saved matcher was trained on other features: run python -m knowledge.faq.training"
            )
        matcher = cls(feature_names, "logistic")
        matcher._mean = np.asarray(data["mean"])
        matcher._scale = np.asarray(data["scale"])
        matcher._coef = np.asarray(data["coef"])
        matcher._intercept = float(data["intercept"])
        matcher.fitted = True
        return matcher


def save_model(path: Path, matcher: PairMatcher, thresholds: Thresholds, info: dict[str, Any]) -> None:
    """Write the matcher and thresholds as JSON."""
    data = {"matcher": matcher.to_dict(), "thresholds": vars(thresholds), "info": info}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_model(path: Path, feature_names: tuple[str, ...]) -> tuple[PairMatcher, Thresholds]:
    """Read what ``save_model`` wrote.

    Raises:
        FaqError: missing or malformed file, or features that do not match.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        thresholds = Thresholds(**data["thresholds"])
        return PairMatcher.from_dict(data["matcher"], feature_names), thresholds
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FaqError(f"cannot load the FAQ matcher from {path}: {exc}") from exc
