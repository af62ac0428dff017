"""Chinese answer texts for product questions, built from catalogue facts only.

Past returns are always phrased as past ("近一年净值增长x%") and followed by "过往业绩不代表
未来表现"; a benchmark is called a benchmark, never an expected return. The caller appends
``RISK_NOTICE`` to every answer that names a product (``with_notice``).
"""

from __future__ import annotations

from collections.abc import Callable

from knowledge.catalogue import Product
from knowledge.kbqa.attributes import Attribute
from knowledge.kbqa.graph import KnowledgeGraph, Node, NodeKind, Relation
from risk_hooks.notices import RISK_NOTICE

__all__ = [
    "PAST_DISCLAIMER",
    "annual_fee",
    "attribute_answer",
    "format_amount",
    "format_rate",
    "format_term",
    "product_line",
    "return_sentence",
    "with_notice",
]

PAST_DISCLAIMER = "过往业绩不代表未来表现"
RISK_NAMES = {1: "低风险", 2: "中低风险", 3: "中风险", 4: "中高风险", 5: "高风险"}
CUSTOMER_TYPES = {1: "保守型", 2: "稳健型", 3: "平衡型", 4: "成长型", 5: "进取型"}
STATUS_TEXT = {
    "on_sale": "目前在售",
    "closed": "目前已停售或处于封闭期，暂不能购买",
    "suspended": "目前暂停申购",
}
PERIOD_TEXT = {7: "近一周", 30: "近1个月", 90: "近3个月", 180: "近6个月", 365: "近一年"}


def with_notice(text: str) -> str:
    """``text`` followed by the mandatory risk notice (once)."""
    return text if RISK_NOTICE in text else f"{text}\n{RISK_NOTICE}"


def format_rate(rate: float) -> str:
    """``0.0015`` → ``"0.15%"``."""
    return f"{rate * 100:.2f}%"


def format_amount(amount: float) -> str:
    """``1000`` → ``"1,000元"``, ``1000000`` → ``"100万元"``."""
    if amount >= 10_000 and amount % 10_000 == 0:
        return f"{amount / 10_000:g}万元"
    return f"{amount:,.2f}".rstrip("0").rstrip(".") + "元"


def format_term(days: int) -> str:
    """``0`` → ``"开放式（无固定期限）"``, ``365`` → ``"1年（365天）"``."""
    if days <= 0:
        return "开放式（无固定期限）"
    if days % 365 == 0:
        return f"{days // 365}年（{days}天）"
    if days == 180:
        return "180天（约半年）"
    return f"{days}天"


def annual_fee(product: Product) -> float:
    """Management, custody and sales-service fees together, a year."""
    return product.fees.management + product.fees.custody + product.fees.sales_service


def product_line(product: Product) -> str:
    """One line for lists: name, code, type, risk, term, minimum amount, status."""
    status = (
        "" if product.status == "on_sale" else ("，已停售" if product.status == "closed" else "，暂停申购")
    )
    return (
        f"{product.name}（{product.code}，{product.type}，{product.risk}，"
        f"{format_term(product.term_days)}，{format_amount(product.min_amount)}起购{status}）"
    )


def return_sentence(product: Product, days: int) -> str:
    """Past NAV change over ``days``, phrased as past, with the disclaimer."""
    past = product.past_return(days)
    period = PERIOD_TEXT.get(days, f"近{days}天")
    if past is None:
        return f"{product.name}暂无{period}的净值数据，无法计算过往收益。"
    verb = "增长" if past >= 0 else "下跌"
    end = product.latest_nav.date.isoformat() if product.latest_nav else ""
    return f"{product.name}{period}净值{verb}{abs(past) * 100:.2f}%（截至{end}），{PAST_DISCLAIMER}。"


def _risk(product: Product) -> str:
    level = product.risk_level
    return (
        f"{product.name}的风险等级为{product.risk}（{RISK_NAMES[level]}），"
        f"适合风险承受能力为C{level}（{CUSTOMER_TYPES[level]}）及以上的投资者。"
    )


def _redemption(product: Product) -> str:
    tiers = product.fees.redemption
    if not tiers:
        return "不收赎回费" if product.term_days == 0 else "到期或开放日赎回不收赎回费"
    parts, lower = [], 0
    for days_below, rate in tiers:
        span = f"持有不满{days_below}天" if lower == 0 else f"持有{lower}天至{days_below}天"
        parts.append(f"{span}{format_rate(rate)}")
        lower = days_below
    return "赎回费" + "，".join(parts) + f"，持有{lower}天及以上免收"


def _running_fees(product: Product) -> str:
    fees = product.fees
    parts = [f"管理费{format_rate(fees.management)}/年", f"托管费{format_rate(fees.custody)}/年"]
    if fees.sales_service:
        parts.append(f"销售服务费{format_rate(fees.sales_service)}/年")
    return "，".join(parts)


def _subscription(product: Product) -> str:
    rate = product.fees.subscription
    return f"申购费率{format_rate(rate)}" if rate else "不收申购费"


def _fees(product: Product, attribute: Attribute) -> str:
    if attribute is Attribute.FEE_SUBSCRIPTION:
        return f"{product.name}{_subscription(product)}。"
    if attribute is Attribute.FEE_REDEMPTION:
        return f"{product.name}{_redemption(product)}。"
    if attribute is Attribute.FEE_MANAGEMENT:
        return f"{product.name}{_running_fees(product)}。"
    return (
        f"{product.name}的费率：{_subscription(product)}；{_redemption(product)}；{_running_fees(product)}。"
    )


def _term(product: Product) -> str:
    if product.term_days == 0:
        return f"{product.name}为开放式产品，无固定期限，交易日可申购赎回。"
    kind = "最短持有期" if "最短持有期" in product.tags or "滚动持有" in product.tags else "期限"
    if "定开" in product.tags:
        kind = "封闭期（每期）"
    return f"{product.name}的{kind}为{format_term(product.term_days)}，期间一般不能赎回。"


def _people(product: Product, attribute: Attribute, graph: KnowledgeGraph) -> str:
    if attribute is Attribute.COMPANY:
        return f"{product.name}由{product.company}发行管理。"
    if not product.manager:
        return f"{product.name}是{product.company}的{product.type}产品，没有基金经理信息。"
    managed = graph.subjects(Relation.MANAGED_BY, Node(NodeKind.MANAGER, product.manager))
    others = [
        graph.catalogue.get(n.key) for n in sorted(managed, key=lambda n: n.key) if n.key != product.code
    ]
    names = "、".join(p.name for p in others if p is not None)
    tail = f"，{product.manager}还管理{names}" if names else ""
    return f"{product.name}的基金经理（投资经理）是{product.manager}（{product.company}）{tail}。"


def _overview(product: Product) -> str:
    lines = [
        f"{product.name}（{product.code}）是{product.company}的{product.type}产品，{product.description}",
        f"风险等级{product.risk}（{RISK_NAMES[product.risk_level]}），期限：{format_term(product.term_days)}，"
        f"{format_amount(product.min_amount)}起购，{STATUS_TEXT.get(product.status, product.status)}。",
    ]
    if product.nav_history:
        lines.append(return_sentence(product, 365))
    return "\n".join(lines)


def attribute_answer(
    product: Product, attribute: Attribute, graph: KnowledgeGraph, period_days: int = 365
) -> str:
    """The answer about one attribute of one product (without the risk notice).

    Args:
        product: the product asked about.
        attribute: what is asked.
        graph: the knowledge graph (for "his other products").
        period_days: the look-back of a return question.
    """
    if attribute in _FEE_ATTRIBUTES:
        return _fees(product, attribute)
    if attribute in (Attribute.MANAGER, Attribute.COMPANY):
        return _people(product, attribute, graph)
    if attribute is Attribute.RETURN:
        return return_sentence(product, period_days)
    simple = _SIMPLE_ANSWERS.get(attribute, _overview)
    return simple(product)


def _nav(product: Product) -> str:
    nav = product.latest_nav
    if nav is None:
        return f"{product.name}是{product.type}产品，没有公布单位净值。"
    return f"{product.name}最新单位净值为{nav.nav:.4f}元（{nav.date.isoformat()}）。"


def _benchmark(product: Product) -> str:
    if not product.benchmark:
        return f"{product.name}没有业绩比较基准。"
    return (
        f"{product.name}的业绩比较基准为：{product.benchmark}。"
        "业绩比较基准不是预期收益，不代表产品未来表现和实际收益。"
    )


_FEE_ATTRIBUTES = (
    Attribute.FEES,
    Attribute.FEE_SUBSCRIPTION,
    Attribute.FEE_REDEMPTION,
    Attribute.FEE_MANAGEMENT,
)
_SIMPLE_ANSWERS: dict[Attribute, Callable[[Product], str]] = {
    Attribute.RISK: _risk,
    Attribute.MIN_AMOUNT: lambda p: f"{p.name}的起购金额为{format_amount(p.min_amount)}。",
    Attribute.TERM: _term,
    Attribute.NAV: _nav,
    Attribute.TYPE: lambda p: f"{p.name}属于{p.type}类产品，资产类别为{p.asset_class}类。",
    Attribute.BENCHMARK: _benchmark,
    Attribute.STATUS: lambda p: f"{p.name}{STATUS_TEXT.get(p.status, p.status)}。",
    Attribute.OVERVIEW: _overview,
}
