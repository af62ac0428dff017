"""Churn risk per customer, its top reasons (feature contributions) and the chance of win-back.

A standardised logistic regression (scikit-learn): each feature's contribution to the
log-odds is ``coef × standardised value``, so the largest positive contributions are the
customer's reasons, rendered in Chinese from :data:`recommend.churn.features.REASONS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recommend.churn.features import DIRECTIONS, FEATURES, REASONS, ChurnFeatures

__all__ = ["ChurnAssessment", "ChurnModel", "win_back_likelihood"]


@dataclass
class ChurnAssessment:
    """One customer's churn score, reasons (Chinese), win-back likelihood and raw features."""

    customer_id: str
    score: float
    reasons: list[str] = field(default_factory=list)
    win_back: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    channel: str = ""  # suggested touch channel (a Channel value), when planned
    channel_reason: str = ""

    @property
    def level(self) -> str:
        """高 / 中 / 低 (high ≥ 0.5, medium ≥ 0.2)."""
        return "高" if self.score >= 0.5 else "中" if self.score >= 0.2 else "低"


def win_back_likelihood(features: np.ndarray) -> np.ndarray:
    """Chance a touch wins the customer back: a documented prior, not a trained model.

    No touch outcomes exist in the logs yet, so this is a hand-set logistic score: longer
    tenure, larger assets and recent activity raise it; complaints, long silence and an
    empty account lower it. Replace it with a model once touch outcomes are logged.
    """
    col = {name: features[:, i] for i, name in enumerate(FEATURES)}
    margin = (
        0.2
        + 0.15 * col["tenure_log"]
        + 0.15 * (col["aum_log"] - 11)
        - 0.03 * col["days_since_login"]
        - 0.6 * col["complaints_60d"]
        - 1.0 * col["no_holdings"]
        + 0.1 * np.minimum(col["logins_14d"], 5)
    )
    return 1 / (1 + np.exp(-margin))


class ChurnModel:
    """Standardised logistic regression over :data:`FEATURES`."""

    def __init__(self, c: float = 1.0) -> None:
        self.c = c
        self.mean = np.zeros(len(FEATURES))
        self.scale = np.ones(len(FEATURES))
        self.coef = np.zeros(len(FEATURES))
        self.intercept = 0.0

    def fit(self, features: ChurnFeatures, labels: np.ndarray) -> ChurnModel:
        """Train on the active customers of ``features``."""
        from sklearn.linear_model import LogisticRegression

        x = features.values[features.active]
        y = labels[features.active]
        if len(np.unique(y)) < 2:
            raise ValueError("churn training needs both churned and retained customers")
        self.mean = x.mean(axis=0)
        self.scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
        model = LogisticRegression(C=self.c, max_iter=1000)
        model.fit((x - self.mean) / self.scale, y)
        self.coef, self.intercept = model.coef_[0], float(model.intercept_[0])
        return self

    def contributions(self, values: np.ndarray) -> np.ndarray:
        """Per-feature log-odds contributions (customers × FEATURES)."""
        return (values - self.mean) / self.scale * self.coef

    def score(self, values: np.ndarray) -> np.ndarray:
        """Churn probability of each row."""
        margin = self.contributions(values).sum(axis=1) + self.intercept
        return 1 / (1 + np.exp(-np.clip(margin, -35, 35)))

    def reasons(self, values: np.ndarray, k: int = 3) -> list[list[str]]:
        """Top ``k`` Chinese reasons per row: features raising the risk in the direction their text says."""
        contrib = self.contributions(values)
        direction = np.array([DIRECTIONS[name] for name in FEATURES])
        side = np.sign(values - self.mean)
        usable = (contrib > 0.05) & (direction != 0) & (side == direction)
        ranked = np.argsort(-np.where(usable, contrib, -np.inf), axis=1)[:, :k]
        return [
            [REASONS[FEATURES[j]].format(v=values[row, j]) for j in picks if usable[row, j]]
            for row, picks in enumerate(ranked)
        ]

    def assess(self, customer_id: str, values: np.ndarray) -> ChurnAssessment:
        """Score, reasons and win-back likelihood of one customer (``values``: one feature row)."""
        row = values.reshape(1, -1)
        return ChurnAssessment(
            customer_id=customer_id,
            score=float(self.score(row)[0]),
            reasons=self.reasons(row)[0],
            win_back=float(win_back_likelihood(row)[0]),
            features={name: float(v) for name, v in zip(FEATURES, row[0], strict=True)},
        )
