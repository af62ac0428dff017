"""Churn features for every customer at a cut-off day, computed from the event log in one pass.

Each feature has a Chinese reason template (used when it pushes the score up) so the
model's top contributions read as reasons: "已35天未登录", "近30天赎回3次"….
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommend.schema import Dataset, EventKind

__all__ = ["DIRECTIONS", "FEATURES", "REASONS", "ChurnFeatures", "churn_features", "churn_labels"]

FEATURES = (
    "days_since_login",
    "logins_14d",
    "login_decline",
    "views_14d",
    "aum_drop_30d",
    "redemptions_30d",
    "redeemed_share_30d",
    "complaints_60d",
    "maturing_14d",
    "matured_not_reinvested",
    "yield_gap",
    "no_holdings",
    "tenure_log",
    "aum_log",
    "age",
)
# Chinese reason per feature; ``{v}`` is the customer's raw value
REASONS = {
    "days_since_login": "已{v:.0f}天未登录",
    "logins_14d": "近14天登录较少（{v:.0f}次）",
    "login_decline": "登录频率较以往明显下降",
    "views_14d": "近14天几乎不浏览产品（{v:.0f}次）",
    "aum_drop_30d": "近30天持仓资产减少",
    "redemptions_30d": "近30天赎回{v:.0f}次",
    "redeemed_share_30d": "近30天赎回了较大比例的持仓",
    "complaints_60d": "近60天有{v:.0f}次投诉",
    "maturing_14d": "有{v:.0f}笔产品将在14天内到期",
    "matured_not_reinvested": "到期资金尚未再投资",
    "yield_gap": "持仓收益低于其预期",
    "no_holdings": "目前没有持仓",
    "tenure_log": "开户时间较短",
    "aum_log": "资产规模较小",
    "age": "年龄因素",
}
# the direction each reason describes: +1 a high value, -1 a low value, 0 never shown (not actionable)
DIRECTIONS = {name: 1 for name in FEATURES} | {
    "logins_14d": -1,
    "views_14d": -1,
    "tenure_log": -1,
    "aum_log": -1,
    "age": 0,
}
_CAP_DAYS = 120


@dataclass
class ChurnFeatures:
    """Feature matrix (customers × FEATURES) and which customers are still active at ``day``."""

    day: int
    values: np.ndarray
    active: np.ndarray

    def column(self, name: str) -> np.ndarray:
        """One feature's values for every customer."""
        return self.values[:, FEATURES.index(name)]


def churn_features(dataset: Dataset, day: int) -> ChurnFeatures:
    """Features of every customer from the events before ``day``."""
    n = len(dataset.customers)
    c = dataset.customers
    e = dataset.events.between(-(10**6), day)
    kind, cust, prod, amount = e.kind, e.customer, e.product, e.amount.astype(np.float64)

    def count(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(
            cust[mask], weights=None if weights is None else weights[mask], minlength=n
        ).astype(float)

    login = kind == EventKind.LOGIN
    last_login = np.full(n, -(10**6))
    np.maximum.at(last_login, cust[login], e.day[login])
    since = np.where(last_login > -(10**6), day - last_login, np.minimum(day - c.signup_day, _CAP_DAYS))
    logins_14 = count(login & (e.day >= day - 14))
    logins_prev = count(login & (e.day >= day - 56) & (e.day < day - 14))
    buy, redeem = kind == EventKind.PURCHASE, kind == EventKind.REDEEM
    held_now = count(buy, amount) - count(redeem, amount)
    recent30 = e.day >= day - 30
    held_30 = held_now - count(buy & recent30, amount) + count(redeem & recent30, amount)
    term = np.where(prod >= 0, dataset.product_arrays.term_days[np.maximum(prod, 0)], 0)
    due = e.day + term
    maturing = count(buy & (term > 0) & (due >= day) & (due < day + 14))
    matured = count(buy & (term > 0) & (due >= day - 30) & (due < day))
    held_total, yield_gap = _holdings_yield(dataset, cust, prod, np.where(buy, amount, -amount), buy | redeem)
    churned = count(kind == EventKind.CHURN) > 0
    values = np.column_stack(
        [
            np.minimum(since, _CAP_DAYS),
            logins_14,
            np.log((logins_prev / 42 * 14 + 1) / (logins_14 + 1)),
            count((kind == EventKind.VIEW) & (e.day >= day - 14)),
            (held_30 - held_now) / (held_30 + 1000),
            count(redeem & recent30),
            count(redeem & recent30, amount) / (held_30 + 1000),
            count((kind == EventKind.COMPLAINT) & (e.day >= day - 60)),
            maturing,
            np.maximum(matured - count(buy & recent30), 0),
            yield_gap * 100,
            (held_total <= 0).astype(float),
            np.log1p(np.maximum(day - c.signup_day, 0)),
            np.log1p(c.aum),
            c.age.astype(float),
        ]
    )
    return ChurnFeatures(day, values, (c.signup_day < day) & ~churned)


def _holdings_yield(dataset: Dataset, cust, prod, signed, mask) -> tuple[np.ndarray, np.ndarray]:
    """Amount held per customer and expected − obtained annual return of what they hold."""
    n = len(dataset.customers)
    net = sp.csr_matrix((signed[mask], (cust[mask], prod[mask])), shape=(n, len(dataset.products)))
    net.data = np.maximum(net.data, 0)
    held_total = np.asarray(net.sum(axis=1)).ravel()
    earned = net @ dataset.product_arrays.recent_return
    expected = dataset.customers.expected_return
    return held_total, np.where(held_total > 0, expected - earned / np.maximum(held_total, 1e-9), 0.0)


def churn_labels(dataset: Dataset, day: int, horizon: int = 30) -> np.ndarray:
    """1 for customers with a ``churn`` event in ``[day, day + horizon)``."""
    e = dataset.events.between(day, day + horizon)
    mask = e.kind == EventKind.CHURN
    return (np.bincount(e.customer[mask], minlength=len(dataset.customers)) > 0).astype(int)
