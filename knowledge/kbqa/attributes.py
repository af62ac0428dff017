"""Which product attribute a question asks about: keyword and pattern rules.

Rules are ordered from specific to general ("赎回费" before "费", "业绩比较基准" before
"业绩"), and the earliest-listed matching rule wins; a question with no attribute word
about one product is an overview question. Return questions also carry the period
(近1月/近3月/近1年; one year when none is said).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Attribute", "AttributeGuess", "classify_attribute", "return_period_days"]


class Attribute(StrEnum):
    """A product attribute a customer can ask about."""

    RISK = "risk"
    MIN_AMOUNT = "min_amount"
    TERM = "term"
    FEE_SUBSCRIPTION = "fee_subscription"
    FEE_REDEMPTION = "fee_redemption"
    FEE_MANAGEMENT = "fee_management"
    FEES = "fees"
    NAV = "nav"
    RETURN = "return"
    MANAGER = "manager"
    COMPANY = "company"
    TYPE = "type"
    BENCHMARK = "benchmark"
    STATUS = "status"
    OVERVIEW = "overview"


# (attribute, pattern): the first pattern found in the question decides
_RULES: tuple[tuple[Attribute, re.Pattern[str]], ...] = tuple(
    (attribute, re.compile(pattern))
    for attribute, pattern in (
        (Attribute.BENCHMARK, r"比较基准|业绩基准|基准|预期收益|预期年化|年化多少|参考收益"),
        (
            Attribute.FEE_REDEMPTION,
            r"赎回费|卖出.{0,3}(费|手续费|扣)|卖.{0,4}扣多少|赎回.{0,3}(收|扣).{0,3}(多少|钱)|赎回.{0,4}(手续费|扣钱|收费|扣多少)|取出来.{0,4}(手续费|扣)",
        ),
        (
            Attribute.FEE_SUBSCRIPTION,
            r"申购.{0,3}费|认购.{0,3}费|买入.{0,3}(费|手续费)|购买.{0,3}(费|手续费)|买.{0,2}(要|收).{0,2}手续费",
        ),
        (Attribute.FEE_MANAGEMENT, r"管理费|托管费|服务费|运作费|管理.{0,2}费率"),
        (Attribute.FEES, r"费率|费用|手续费|收费|收不收费|什么费|多少费|佣金"),
        (Attribute.MANAGER, r"基金经理|经理|谁管|谁在管|谁来管|管理人是谁|操盘|掌舵|投资经理"),
        (
            Attribute.COMPANY,
            r"基金公司|哪家.{0,6}公司|哪个.{0,8}公司|什么公司|谁发的|哪.{0,8}发的|哪家的|谁家的|谁发行|发行方|发行机构|管理人|哪家机构|公司是",
        ),
        (Attribute.RISK, r"风险|危险|安全|稳不稳|更稳|稳吗|会不会亏|会亏|亏本|亏钱|亏损|保本|r几|几级|等级"),
        (
            Attribute.MIN_AMOUNT,
            r"起购|起投|起买|起点|门槛|最低.{0,3}(买|投|金额|多少)|最少.{0,3}(买|投|要|多少)|多少钱.{0,2}(起|能买|可以买)|起步",
        ),
        (Attribute.NAV, r"净值|单位净值|现在价格|多少钱一份|一份多少钱|每份多少|价格是多少|最新价"),
        (Attribute.RETURN, r"收益|涨|跌|赚|回报|表现|业绩|利息|亏了多少|收益率|年化"),
        (
            Attribute.TERM,
            r"期限|封闭|锁定|持有期|多久|多长时间|几天|随时.{0,2}(取|赎|卖)|到期|定开|能不能取|可以取|能不能赎回|可以赎回|能赎回|中途|什么时候(开放|能取|能赎|到期|可以取)|多少年|放多久|马上取|立刻取|取出来",
        ),
        (
            Attribute.STATUS,
            r"在售|还能买|能买吗|可以买吗|能不能买|可以申购|能申购|开放申购|暂停|停售|下架|还卖吗|有没有卖|买得到",
        ),
        (
            Attribute.TYPE,
            r"什么类型|哪一?类|哪种|类型|属于什么|是什么基金|股票型还是|资产类别|什么资产|投资什么|投什么|投的是什么|投向",
        ),
        (
            Attribute.OVERVIEW,
            r"介绍|讲讲|说说|怎么样|咋样|如何|是什么|是个什么|什么东西|什么产品|详情|详细|信息|资料|了解",
        ),
    )
)

# most specific first: "近三个月" is three months, not one month
_PERIODS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"(六|6)个?月|半年"), 180),
    (re.compile(r"(三|3)个?月|季度"), 90),
    (re.compile(r"周|星期"), 7),
    (re.compile(r"月"), 30),
    (re.compile(r"年"), 365),
)


@dataclass(frozen=True)
class AttributeGuess:
    """The attribute asked about, where its keyword sits, and the return period if any."""

    attribute: Attribute
    start: int
    period_days: int | None = None


def return_period_days(question: str) -> int:
    """The look-back period a return question asks about, in days (365 by default)."""
    for pattern, days in _PERIODS:
        if pattern.search(question):
            return days
    return 365


def classify_attribute(question: str) -> AttributeGuess | None:
    """The attribute ``question`` asks about, or None when no rule fires.

    Args:
        question: folded question text (ASCII lower-cased).
    """
    for attribute, pattern in _RULES:
        match = pattern.search(question)
        if match is not None:
            period = return_period_days(question) if attribute is Attribute.RETURN else None
            return AttributeGuess(attribute, match.start(), period)
    return None
