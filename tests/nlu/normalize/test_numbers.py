"""Chinese numerals and colloquial quantities (nlu/normalize/numbers.py)."""

from __future__ import annotations

import random

import pytest

from nlu.message import QuantityKind
from nlu.normalize.numbers import QuantitySpan, find_quantities, parse_chinese_number

AMOUNT, PERCENT, DURATION, NUMBER = (
    QuantityKind.AMOUNT,
    QuantityKind.PERCENT,
    QuantityKind.DURATION,
    QuantityKind.NUMBER,
)


def _only(text: str) -> QuantitySpan:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("五万", 50000, id="wu_wan"),
        pytest.param("10w", 100000, id="10w"),
        pytest.param("10W", 100000, id="10W_upper"),
        pytest.param("10万", 100000, id="10wan"),
        pytest.param("两千五", 2500, id="elision_qian"),
        pytest.param("三万二", 32000, id="elision_wan"),
        pytest.param("一万五千", 15000, id="wan_wu_qian"),
        pytest.param("一亿五", 150_000_000, id="elision_yi"),
        pytest.param("两百五", 250, id="elision_bai"),
        pytest.param("1.5万", 15000, id="decimal_wan"),
        pytest.param("3k", 3000, id="3k"),
        pytest.param("5千", 5000, id="arabic_qian"),
        pytest.param("5千万", 50_000_000, id="qian_wan"),
        pytest.param("50,000", 50000, id="thousands_comma"),
        pytest.param("十二万三千四百五十六", 123456, id="long_numeral"),
        pytest.param("二十", 20, id="er_shi"),
        pytest.param("十", 10, id="shi"),
        pytest.param("十五", 15, id="shi_wu"),
        pytest.param("一百零五", 105, id="ling_in_hundreds"),
        pytest.param("一千零五", 1005, id="ling_in_thousands"),
        pytest.param("一万零五百", 10500, id="ling_after_wan"),
        pytest.param("壹万", 10000, id="financial_wan"),
        pytest.param("贰仟伍佰", 2500, id="financial_mixed"),
        pytest.param("壹拾", 10, id="financial_shi"),
        pytest.param("四点五", 4.5, id="decimal_dian"),
        pytest.param("一点五万", 15000, id="decimal_dian_wan"),
        pytest.param("二十点五", 20.5, id="decimal_after_unit"),
        pytest.param("二零二六", 2026, id="digit_string_year"),
        pytest.param("一万一", 11000, id="wan_yi_is_11000"),
        pytest.param("3万5", 35000, id="arabic_elision"),
    ],
)
def test_parse_chinese_number_reads_numeral(text: str, value: float) -> None:
    assert parse_chinese_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("万", id="wan_alone"),
        pytest.param("千万", id="qian_wan_adverb"),
        pytest.param("百", id="bai_alone"),
        pytest.param("万一", id="wan_yi"),
        pytest.param("三四万", id="range"),
        pytest.param("五十百", id="bad_order"),
        pytest.param("点五", id="no_integer"),
        pytest.param("一下", id="not_numeral"),
        pytest.param("abc", id="ascii"),
        pytest.param("1.5.3", id="two_points"),
    ],
)
def test_parse_chinese_number_rejects_non_numeral(text: str) -> None:
    assert parse_chinese_number(text) is None


@pytest.mark.parametrize(
    ("text", "value", "surface"),
    [
        pytest.param("我有五万块", 50000, "五万块", id="wu_wan_kuai"),
        pytest.param("想买10w的基金", 100000, "10w", id="10w"),
        pytest.param("10万", 100000, "10万", id="10wan"),
        pytest.param("两千五", 2500, "两千五", id="liang_qian_wu"),
        pytest.param("三万二吧", 32000, "三万二", id="san_wan_er"),
        pytest.param("一万五千", 15000, "一万五千", id="yi_wan_wu_qian"),
        pytest.param("一块五", 1.5, "一块五", id="yi_kuai_wu"),
        pytest.param("五毛", 0.5, "五毛", id="wu_mao"),
        pytest.param("五毛钱", 0.5, "五毛钱", id="wu_mao_qian"),
        pytest.param("一块五毛五", 1.55, "一块五毛五", id="kuai_mao_fen"),
        pytest.param("一块零五", 1.05, "一块零五", id="kuai_ling_wu"),
        pytest.param("3元5角", 3.5, "3元5角", id="yuan_jiao"),
        pytest.param("1块5", 1.5, "1块5", id="arabic_kuai_elision"),
        pytest.param("1.5万", 15000, "1.5万", id="decimal_wan"),
        pytest.param("3k", 3000, "3k", id="3k"),
        pytest.param("5千块钱", 5000, "5千块钱", id="qian_kuai_qian"),
        pytest.param("50,000元", 50000, "50,000元", id="comma_yuan"),
        pytest.param("十二万三千四百五十六", 123456, "十二万三千四百五十六", id="long_numeral"),
        pytest.param("壹万", 10000, "壹万", id="financial"),
        pytest.param("人民币壹万元整", 10000, "人民币壹万元整", id="rmb_prefix_and_yuan_zheng"),
        pytest.param("¥5000", 5000, "¥5000", id="yen_sign"),
        pytest.param("5000rmb", 5000, "5000rmb", id="rmb_suffix"),
        pytest.param("五万多块", 50000, "五万多块", id="approx_duo"),
        pytest.param("买5000", 5000, "5000", id="context_buy"),
        pytest.param("金额是3000", 3000, "3000", id="context_amount_noun"),
        pytest.param("买100000", 100000, "100000", id="context_round_six_digits"),
        pytest.param("赎回稳健a一千块", 1000, "一千块", id="after_product_letter"),
    ],
)
def test_find_quantities_reads_amount(text: str, value: float, surface: str) -> None:
    found = _only(text)
    assert (found.kind, found.unit) == (AMOUNT, "CNY")
    assert found.value == pytest.approx(value)
    assert text[found.start : found.end] == surface


@pytest.mark.parametrize(
    ("text", "value", "surface"),
    [
        pytest.param("百分之四点五", 4.5, "百分之四点五", id="bai_fen_zhi"),
        pytest.param("4.5%", 4.5, "4.5%", id="arabic_percent"),
        pytest.param("年化3.2%", 3.2, "3.2%", id="annualized"),
        pytest.param("千分之五", 0.5, "千分之五", id="permille_words"),
        pytest.param("5‰", 0.5, "5‰", id="permille_sign"),
        pytest.param("百分之百", 100, "百分之百", id="bai_fen_zhi_bai"),
        pytest.param("百分百保本", 100, "百分百", id="bai_fen_bai"),
        pytest.param("两个百分点", 2, "两个百分点", id="percentage_points"),
        pytest.param("年化降了两个点", 2, "两个点", id="colloquial_points"),
        pytest.param("跌了-3.5%", -3.5, "-3.5%", id="negative"),
    ],
)
def test_find_quantities_reads_percent(text: str, value: float, surface: str) -> None:
    found = _only(text)
    assert (found.kind, found.unit) == (PERCENT, "%")
    assert found.value == pytest.approx(value)
    assert text[found.start : found.end] == surface


@pytest.mark.parametrize(
    ("text", "value", "unit", "surface"),
    [
        pytest.param("三个月", 3, "month", "三个月", id="san_ge_yue"),
        pytest.param("3个月", 3, "month", "3个月", id="arabic_months"),
        pytest.param("半年", 6, "month", "半年", id="ban_nian"),
        pytest.param("一年半", 18, "month", "一年半", id="yi_nian_ban"),
        pytest.param("一个半月", 1.5, "month", "一个半月", id="ge_ban_yue"),
        pytest.param("90天", 90, "day", "90天", id="days"),
        pytest.param("两周", 2, "week", "两周", id="weeks"),
        pytest.param("两个星期", 2, "week", "两个星期", id="xing_qi"),
        pytest.param("3年期", 3, "year", "3年期", id="nian_qi"),
        pytest.param("半年期", 6, "month", "半年期", id="ban_nian_qi"),
        pytest.param("一个季度", 3, "month", "一个季度", id="quarter"),
        pytest.param("十来天", 10, "day", "十来天", id="approx_lai"),
        pytest.param("三个多月", 3, "month", "三个多月", id="approx_duo"),
        pytest.param("十分钟", 10, "minute", "十分钟", id="minutes_not_shifen"),
        pytest.param("半小时", 0.5, "hour", "半小时", id="half_hour"),
    ],
)
def test_find_quantities_reads_duration(text: str, value: float, unit: str, surface: str) -> None:
    found = _only(text)
    assert (found.kind, found.unit) == (DURATION, unit)
    assert found.value == pytest.approx(value)
    assert text[found.start : found.end] == surface


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("一万人", 10000, id="wan_people"),
        pytest.param("10万份", 100000, id="wan_shares"),
        pytest.param("二十", 20, id="bare_er_shi"),
        pytest.param("一百零五", 105, id="bare_hundred"),
        pytest.param("2026年", 2026, id="year_not_duration"),
        pytest.param("3月", 3, id="month_name"),
        pytest.param("三分之一", 1 / 3, id="fraction"),
        pytest.param("买110011", 110011, id="buy_fund_code_not_amount"),
        pytest.param("一点五", 1.5, id="decimal"),
        pytest.param("三块蛋糕", 3, id="kuai_counts_cake"),
    ],
)
def test_find_quantities_reads_bare_number(text: str, value: float) -> None:
    found = _only(text)
    assert found.kind is NUMBER
    assert found.value == pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("帮我赎回一下", id="yi_xia"),
        pytest.param("我们一起去", id="yi_qi"),
        pytest.param("万一亏了呢", id="wan_yi"),
        pytest.param("一定要保本", id="yi_ding"),
        pytest.param("十分感谢", id="shi_fen"),
        pytest.param("千万别买", id="qian_wan_adverb"),
        pytest.param("便宜一点", id="yi_dian_a_bit"),
        pytest.param("这是唯一的办法", id="wei_yi"),
        pytest.param("统一收费", id="tong_yi"),
        pytest.param("第一次买", id="ordinal"),
        pytest.param("周三再说", id="weekday_zhou"),
        pytest.param("星期一", id="weekday_xingqi"),
        pytest.param("下午三点", id="clock_afternoon"),
        pytest.param("五点半下班", id="clock_half"),
        pytest.param("十点五分", id="clock_decimal"),
        pytest.param("三点十五分", id="clock_minutes"),
        pytest.param("15:30", id="clock_colon"),
        pytest.param("R3级", id="risk_code"),
        pytest.param("mp4", id="letters"),
        pytest.param("13812345678", id="phone"),
        pytest.param("000001", id="leading_zero_code"),
        pytest.param("上半年", id="first_half_year"),
        pytest.param("一块儿去", id="yi_kuai_together"),
        pytest.param("乱七八糟", id="idiom"),
        pytest.param("", id="empty"),
        pytest.param("😀👍", id="emoji"),
        pytest.param("hello world", id="ascii_words"),
    ],
)
def test_find_quantities_ignores_words_with_numerals(text: str) -> None:
    assert find_quantities(text) == []


def test_find_quantities_finds_several_in_order() -> None:
    text = "我想买5万块的产品，期限三个月，年化3.2%"
    found = find_quantities(text)
    assert [(q.kind, text[q.start : q.end]) for q in found] == [
        (AMOUNT, "5万块"),
        (DURATION, "三个月"),
        (PERCENT, "3.2%"),
    ]


def test_find_quantities_price_per_jin_keeps_elided_jiao() -> None:
    text = "三块五一斤"
    first = find_quantities(text)[0]
    assert (first.kind, first.value, text[first.start : first.end]) == (AMOUNT, 3.5, "三块五")


def test_find_quantities_wan_yi_inside_numeral_is_a_number() -> None:
    found = _only("亏了一万一")
    assert (found.kind, found.value) == (AMOUNT, 11000)


def test_find_quantities_survives_random_text() -> None:
    alphabet = "0123456789一二两三四五六七八九十百千万亿点分之年月日号天周个块元毛%.,:- 半期wk率化买😀\u200b"
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for q in find_quantities(text):
            assert 0 <= q.start < q.end <= len(text)


def test_find_quantities_long_numeral_runs_are_fast_and_skipped() -> None:
    assert find_quantities("一" * 5000) == []
    assert find_quantities("1" * 5000) == []
