"""Hashed one-hot features of a (customer, product) pair, shared by training and serving.

Each field's value is hashed with the field id into ``2**bits`` coordinates; the field
names have Chinese labels so the top contributing features can explain a ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommend.schema import ASSET_CLASSES, PRODUCT_TYPES, ProductArrays

__all__ = ["FIELDS", "FIELD_LABELS", "CustomerBlock", "describe_field", "pair_features"]

FIELDS = (
    "bias",
    "product",
    "type",
    "asset",
    "product_risk",
    "term",
    "min_amount",
    "customer_risk",
    "age",
    "aum",
    "risk_gap",
    "risk_x_asset",
    "age_x_asset",
    "asset_preferred",
    "term_gap",
    "amount_fits",
    "asset_clicks",
    "popularity",
)
# Chinese labels of the fields, as explanations show them
FIELD_LABELS = {
    "bias": "基础偏置",
    "product": "该产品本身的受欢迎程度",
    "type": "产品类型",
    "asset": "资产类别",
    "product_risk": "产品风险等级",
    "term": "产品期限",
    "min_amount": "起购金额",
    "customer_risk": "您的风险等级",
    "age": "年龄段",
    "aum": "资产规模",
    "risk_gap": "风险等级匹配度",
    "risk_x_asset": "风险等级与资产类别的搭配",
    "age_x_asset": "年龄段与资产类别的搭配",
    "asset_preferred": "符合您偏好的资产类别",
    "term_gap": "期限与您的偏好接近",
    "amount_fits": "起购金额在您的投资金额内",
    "asset_clicks": "您近期关注过同类资产",
    "popularity": "近期热度",
}
_TERM_EDGES = np.array([1, 31, 91, 181, 366, 731])
_AMOUNT_EDGES = np.array([1.5, 1001, 10001, 50001, 300001])
_AGE_EDGES = np.array([30, 40, 50, 60, 70])
_AUM_EDGES = np.array([1e4, 5e4, 2e5, 1e6, 5e6])


@dataclass
class CustomerBlock:
    """Customer columns aligned with the pairs (one row per pair)."""

    risk: np.ndarray
    age: np.ndarray
    aum: np.ndarray
    pref_assets: np.ndarray
    pref_term: np.ndarray
    pref_amount: np.ndarray
    asset_clicks: np.ndarray  # clicks on the pair's product's asset class


def pair_features(
    customers: CustomerBlock,
    prod: np.ndarray,
    products: ProductArrays,
    popularity_rank: np.ndarray,
    bits: int,
) -> np.ndarray:
    """Feature indices, one row per pair and one column per field in :data:`FIELDS`.

    Args:
        customers: customer columns, one row per pair.
        prod: product index per pair.
        products: per-product columns.
        popularity_rank: per-product popularity percentile 0–9 (9 = hottest).
        bits: hash space size (2**bits).
    """
    asset = products.asset[prod].astype(np.int64)
    risk = products.risk[prod].astype(np.int64)
    term = np.searchsorted(_TERM_EDGES, products.term_days[prod])
    age = np.searchsorted(_AGE_EDGES, customers.age)
    c_risk = customers.risk.astype(np.int64)
    pref_gap = np.abs(np.log((products.term_days[prod] + 30) / (customers.pref_term + 30)))
    values = [
        np.zeros(len(prod), dtype=np.int64),
        products.code_hash[prod],
        products.type[prod],
        asset,
        risk,
        term,
        np.searchsorted(_AMOUNT_EDGES, products.min_amount[prod]),
        c_risk,
        age,
        np.searchsorted(_AUM_EDGES, customers.aum),
        c_risk - risk + 5,
        c_risk * 16 + asset,
        age * 16 + asset,
        (customers.pref_assets.astype(np.int64) >> np.minimum(asset, len(ASSET_CLASSES))) & 1,
        np.minimum((pref_gap * 2).astype(np.int64), 6),
        (customers.pref_amount >= products.min_amount[prod]).astype(np.int64),
        np.minimum(np.log2(customers.asset_clicks + 1).astype(np.int64), 6),
        popularity_rank[prod],
    ]
    columns = [_hash(i, np.asarray(v, dtype=np.int64), bits) for i, v in enumerate(values)]
    return np.stack(columns, axis=1)


def _hash(field: int, values: np.ndarray, bits: int) -> np.ndarray:
    salt = np.uint64(((field + 1) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
    mixed = (values.astype(np.uint64) + salt) * np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(31)
    return (mixed & np.uint64((1 << bits) - 1)).astype(np.int64)


def describe_field(field: str, customer: CustomerBlock, row: int, prod: int, products: ProductArrays) -> str:
    """A Chinese phrase for one field's value, e.g. ``资产类别：固收``."""
    label = FIELD_LABELS[field]
    if field == "asset":
        asset = int(products.asset[prod])
        return f"{label}：{ASSET_CLASSES[asset] if asset < len(ASSET_CLASSES) else '其他'}"
    if field == "type":
        return f"{label}：{PRODUCT_TYPES[int(products.type[prod])]}"
    if field == "product_risk":
        return f"{label}：R{int(products.risk[prod])}"
    return label
