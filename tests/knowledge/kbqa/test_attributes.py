"""Attribute classification: which fact the question asks about."""

from __future__ import annotations

import pytest

from knowledge.kbqa.attributes import Attribute, classify_attribute, return_period_days

CASES = [
    ("风险高吗", Attribute.RISK),
    ("会不会亏本", Attribute.RISK),
    ("是r几的", Attribute.RISK),
    ("起购金额多少", Attribute.MIN_AMOUNT),
    ("最少买多少", Attribute.MIN_AMOUNT),
    ("封闭期多长", Attribute.TERM),
    ("能随时取吗", Attribute.TERM),
    ("申购费多少", Attribute.FEE_SUBSCRIPTION),
    ("买入手续费", Attribute.FEE_SUBSCRIPTION),
    ("赎回费怎么收", Attribute.FEE_REDEMPTION),
    ("卖出要手续费吗", Attribute.FEE_REDEMPTION),
    ("管理费一年多少", Attribute.FEE_MANAGEMENT),
    ("费率是多少", Attribute.FEES),
    ("收不收费", Attribute.FEES),
    ("最新净值", Attribute.NAV),
    ("近一年收益怎么样", Attribute.RETURN),
    ("最近涨了多少", Attribute.RETURN),
    ("基金经理是谁", Attribute.MANAGER),
    ("谁在管", Attribute.MANAGER),
    ("哪家公司的", Attribute.COMPANY),
    ("是什么类型的", Attribute.TYPE),
    ("业绩比较基准是多少", Attribute.BENCHMARK),
    ("预期收益多少", Attribute.BENCHMARK),
    ("还能买吗", Attribute.STATUS),
    ("是不是暂停了", Attribute.STATUS),
    ("介绍一下", Attribute.OVERVIEW),
    ("讲讲", Attribute.OVERVIEW),
    ("是不是很安全啊", Attribute.RISK),
    ("中途能不能赎回", Attribute.TERM),
    ("什么时候开放", Attribute.TERM),
    ("申购手续费", Attribute.FEE_SUBSCRIPTION),
    ("持有半年赎回收多少钱", Attribute.FEE_REDEMPTION),
    ("现在一份多少钱", Attribute.NAV),
    ("是哪个理财子公司发的", Attribute.COMPANY),
    ("属于哪一类", Attribute.TYPE),
]


@pytest.mark.parametrize(
    ("question", "attribute"), CASES, ids=[f"{a.value}_{i}" for i, (_, a) in enumerate(CASES)]
)
def test_classify_attribute_reads_the_asked_fact(question: str, attribute: Attribute) -> None:
    guess = classify_attribute(question)
    assert guess is not None and guess.attribute is attribute


def test_classify_attribute_returns_none_without_a_keyword() -> None:
    assert classify_attribute("你好") is None


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("近一个月收益", 30),
        ("近三个月涨了多少", 90),
        ("近半年表现", 180),
        ("近一年收益", 365),
        ("收益怎么样", 365),
    ],
    ids=["month", "quarter", "half_year", "year", "default"],
)
def test_return_period_days_reads_the_period(question: str, days: int) -> None:
    assert return_period_days(question) == days
    guess = classify_attribute(question)
    assert guess is not None and guess.period_days == days
