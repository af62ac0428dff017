"""Comparison and list answers: "A和B哪个风险低", "稳享A和成长混合哪个费率低", filter results."""

from __future__ import annotations

from collections.abc import Callable

from knowledge.catalogue import Product
from knowledge.kbqa.answers import (
    PAST_DISCLAIMER,
    PERIOD_TEXT,
    annual_fee,
    format_amount,
    format_rate,
    format_term,
    product_line,
)
from knowledge.kbqa.attributes import Attribute
from knowledge.kbqa.filters import Filters, RankKey

__all__ = ["compare_answer", "describe_filters", "list_answer"]

_MAX_LISTED = 8


def _side(
    products: list[Product],
    value: Callable[[Product], float],
    show: Callable[[Product], str],
    low: str,
    high: str,
) -> str:
    facts = "；".join(f"{p.name}：{show(p)}" for p in products)
    ordered = sorted(products, key=value)
    if value(ordered[0]) == value(ordered[-1]):
        return f"{facts}。在这一项上它们相同。"
    return f"{facts}。{ordered[0].name}{low}，{ordered[-1].name}{high}。"


# attribute → (value to order by, how to show it, said of the lowest, said of the highest)
_SIDES: dict[Attribute, tuple[Callable[[Product], float], Callable[[Product], str], str, str]] = {
    Attribute.RISK: (lambda p: p.risk_level, lambda p: p.risk, "风险更低", "风险更高"),
    # management + custody + sales service
    Attribute.FEES: (annual_fee, lambda p: f"年费率合计{format_rate(annual_fee(p))}", "费率更低", "费率更高"),
    Attribute.FEE_SUBSCRIPTION: (
        lambda p: p.fees.subscription,
        lambda p: f"申购费{format_rate(p.fees.subscription)}",
        "申购费更低",
        "申购费更高",
    ),
    Attribute.FEE_REDEMPTION: (
        lambda p: p.fees.redemption_rate(7),
        lambda p: f"持有7天以上赎回费{format_rate(p.fees.redemption_rate(7))}",
        "赎回费更低",
        "赎回费更高",
    ),
    Attribute.MIN_AMOUNT: (
        lambda p: p.min_amount,
        lambda p: f"{format_amount(p.min_amount)}起购",
        "起购门槛更低",
        "起购门槛更高",
    ),
    Attribute.TERM: (lambda p: p.term_days, lambda p: format_term(p.term_days), "期限更短", "期限更长"),
}
_SIDES[Attribute.FEE_MANAGEMENT] = _SIDES[Attribute.FEES]


def compare_answer(products: list[Product], attribute: Attribute | None, period_days: int = 365) -> str:
    """Compare two or more products on ``attribute`` (risk, fees, amount, term by default: all)."""
    if attribute in _SIDES:
        value, show, low, high = _SIDES[attribute]
        return _side(products, value, show, low, high)
    if attribute in (Attribute.RETURN, Attribute.NAV):
        return _compare_returns(products, period_days)
    lines = [
        f"{p.name}：{p.type}，{p.risk}，{format_term(p.term_days)}，{format_amount(p.min_amount)}起购，"
        f"年费率合计{format_rate(annual_fee(p))}"
        for p in products
    ]
    return "两只产品的主要信息对比：\n" + "\n".join(lines)


def _compare_returns(products: list[Product], days: int) -> str:
    period = PERIOD_TEXT.get(days, f"近{days}天")
    known = [p for p in products if p.past_return(days) is not None]
    facts = "；".join(
        _past_change(p, days, period) if p in known else f"{p.name}暂无{period}净值数据" for p in products
    )
    if len(known) >= 2:
        best = max(known, key=lambda p: p.past_return(days) or 0.0)
        facts += f"。{period}{best.name}的净值涨幅较高"
    return f"{facts}。{PAST_DISCLAIMER}，不能据此判断未来谁收益更高。"


def _past_change(product: Product, days: int, period: str) -> str:
    past = product.past_return(days) or 0.0
    return f"{product.name}{period}净值{'增长' if past >= 0 else '下跌'}{abs(past) * 100:.2f}%"


def describe_filters(filters: Filters) -> str:
    """The conditions in words: "R2及以下、期限1年以内、债券"."""
    parts: list[str] = []
    if filters.risk_min is not None and filters.risk_min == filters.risk_max:
        parts.append(f"风险等级R{filters.risk_min}")
    else:
        if filters.risk_max is not None:
            parts.append(f"R{filters.risk_max}及以下")
        if filters.risk_min is not None:
            parts.append(f"R{filters.risk_min}及以上")
    if filters.term_max == 0:
        parts.append("开放式、可随时申赎")
    elif filters.term_max is not None and filters.term_max == filters.term_min:
        parts.append(f"期限{format_term(filters.term_max)}")
    else:
        if filters.term_max is not None:
            parts.append(f"期限{format_term(filters.term_max)}以内")
        if filters.term_min is not None:
            parts.append(f"期限{format_term(filters.term_min)}及以上")
    if filters.amount_max is not None:
        parts.append(f"起购金额不超过{format_amount(filters.amount_max)}")
    if filters.amount_min is not None:
        parts.append(f"起购金额不低于{format_amount(filters.amount_min)}")
    parts += [f"{t}类" for t in filters.types] + [f"{a}类资产" for a in filters.asset_classes]
    parts += [x for x in (filters.company, filters.manager and f"{filters.manager}管理") if x]
    return "、".join(parts)


def list_answer(products: list[Product], filters: Filters, total: int) -> str:
    """A numbered list of filter results, or a clear "none found"."""
    conditions = describe_filters(filters)
    scope = f"（条件：{conditions}）" if conditions else ""
    if not products:
        return f"抱歉，没有找到符合条件的产品{scope}。您可以放宽条件，或告诉我具体产品名称。"
    ranked = {
        RankKey.RISK: "风险最低",
        RankKey.FEE: "费率最低",
        RankKey.MIN_AMOUNT: "起购门槛最低",
        RankKey.TERM: "期限最短",
        RankKey.RETURN: f"{PERIOD_TEXT.get(filters.return_days, '近一年')}净值涨幅最高",
    }
    if filters.rank is not None:
        label = (
            "风险最高" if filters.rank is RankKey.RISK and filters.rank_descending else ranked[filters.rank]
        )
        head = f"{label}的{len(products)}只{'' if filters.include_closed else '在售'}产品{scope}："
    else:
        head = f"为您找到{total}只符合条件的{'' if filters.include_closed else '在售'}产品{scope}："
    lines = [f"{i}. {product_line(p)}" for i, p in enumerate(products[:_MAX_LISTED], 1)]
    if len(products) > _MAX_LISTED:
        lines.append(f"……等共{len(products)}只，可以补充条件缩小范围。")
    if filters.rank is RankKey.RETURN:
        lines.append(
            f"排序依据为{PERIOD_TEXT.get(filters.return_days, '近一年')}净值涨幅，{PAST_DISCLAIMER}。"
        )
    return head + "\n" + "\n".join(lines)
