"""Rule-based entities (nlu/entities/rules.py and its _rules_* helpers)."""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from typing import Any

import pytest

from nlu.entities._rules_ids import is_valid_id_card, luhn_valid
from nlu.entities.rules import RuleEntityExtractor, entity_types_for, extract_rule_entities
from nlu.errors import ComponentConfigError
from nlu.message import Entity, Message
from nlu.normalize import Normalizer
from nlu.resources import Resources

TODAY = date(2026, 1, 14)  # a Wednesday
VALID_ID = "11010519491231002X"
VALID_CARD = "6222021234567890128"  # passes Luhn


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    component = Normalizer.create(Normalizer.Config(), Resources())
    component.initialize()
    return component


def _entities(text: str, normalizer: Normalizer | None = None, today: date = TODAY) -> list[Entity]:
    message = Message(text) if normalizer is None else normalizer.process(Message(text))
    return extract_rule_entities(message, today)


def _only(text: str, entity: str) -> Entity:
    found = [e for e in _entities(text) if e.entity == entity]
    assert len(found) == 1, _entities(text)
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "surface"),
    [
        pytest.param("我想买五万块的基金", 50000.0, "五万块", id="wu_wan_kuai"),
        pytest.param("赎回10w", 100000.0, "10w", id="10w"),
        pytest.param("两千五", 2500.0, "两千五", id="elision"),
        pytest.param("一块五", 1.5, "一块五", id="yi_kuai_wu"),
        pytest.param("50,000元", 50000.0, "50,000元", id="comma_yuan"),
        pytest.param("定投500", 500.0, "500", id="context_amount"),
    ],
)
def test_rules_extracts_amount(text: str, value: float, surface: str) -> None:
    entity = _only(text, "amount")
    assert entity.value == pytest.approx(value)
    assert entity.text == surface


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("年化3.2%", 3.2, id="annualized"),
        pytest.param("收益率百分之四点五", 4.5, id="bai_fen_zhi"),
        pytest.param("费率千分之五", 0.5, id="permille"),
    ],
)
def test_rules_extracts_rate(text: str, value: float) -> None:
    assert _only(text, "rate").value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("期限三个月", {"value": 3, "unit": "month", "days": 90}, id="san_ge_yue"),
        pytest.param("3年期的产品", {"value": 3, "unit": "year", "days": 1095}, id="nian_qi"),
        pytest.param("一年半", {"value": 18, "unit": "month", "days": 540}, id="yi_nian_ban"),
        pytest.param("半年", {"value": 6, "unit": "month", "days": 180}, id="ban_nian"),
        pytest.param("90天", {"value": 90, "unit": "day", "days": 90}, id="days"),
        pytest.param("两周", {"value": 2, "unit": "week", "days": 14}, id="weeks"),
    ],
)
def test_rules_extracts_term(text: str, value: dict[str, Any]) -> None:
    assert _only(text, "term").value == value


def test_rules_minutes_are_not_a_term() -> None:
    assert _entities("等十分钟") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("今天", "2026-01-14", id="jin_tian"),
        pytest.param("明天", "2026-01-15", id="ming_tian"),
        pytest.param("后天", "2026-01-16", id="hou_tian"),
        pytest.param("大后天", "2026-01-17", id="da_hou_tian"),
        pytest.param("昨天", "2026-01-13", id="zuo_tian"),
        pytest.param("下周三", "2026-01-21", id="xia_zhou_san"),
        pytest.param("下个星期一", "2026-01-19", id="xia_ge_xingqi_yi"),
        pytest.param("这周五", "2026-01-16", id="zhe_zhou_wu"),
        pytest.param("上周五", "2026-01-09", id="shang_zhou_wu"),
        pytest.param("本周末", "2026-01-17", id="ben_zhou_mo"),
        pytest.param("周一", "2026-01-19", id="bare_weekday_next"),
        pytest.param("周三", "2026-01-14", id="bare_weekday_today"),
        pytest.param("礼拜天", "2026-01-18", id="li_bai_tian"),
        pytest.param("下周", "2026-01-19", id="next_week_monday"),
        pytest.param("月底", "2026-01-31", id="yue_di"),
        pytest.param("年底", "2026-12-31", id="nian_di"),
        pytest.param("下个月", "2026-02-01", id="xia_ge_yue"),
        pytest.param("下月15号", "2026-02-15", id="xia_yue_15_hao"),
        pytest.param("下个月底", "2026-02-28", id="xia_ge_yue_di"),
        pytest.param("本月二十号", "2026-01-20", id="ben_yue_cn_day"),
        pytest.param("12月5日", "2026-12-05", id="month_day"),
        pytest.param("1月3日", "2027-01-03", id="month_day_passed_next_year"),
        pytest.param("十二月五号", "2026-12-05", id="cn_month_day"),
        pytest.param("2026年1月3日", "2026-01-03", id="full_date"),
        pytest.param("二零二六年三月一日", "2026-03-01", id="cn_full_date"),
        pytest.param("明年3月", "2027-03-01", id="next_year_month"),
        pytest.param("2026-03-01", "2026-03-01", id="iso"),
        pytest.param("2026/3/1", "2026-03-01", id="slashes"),
        pytest.param("20号", "2026-01-20", id="day_this_month"),
        pytest.param("3号", "2026-02-03", id="day_passed_next_month"),
        pytest.param("三天后", "2026-01-17", id="offset_days"),
        pytest.param("两个月后", "2026-03-14", id="offset_months"),
        pytest.param("一周前", "2026-01-07", id="offset_week_ago"),
        pytest.param("半年后", "2026-07-14", id="offset_half_year"),
    ],
)
def test_rules_extracts_date(text: str, value: str) -> None:
    entity = _only(text, "date")
    assert entity.value == value
    assert entity.text == text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2026年2月30日", id="no_feb_30"),
        pytest.param("13月5日", id="no_month_13"),
        pytest.param("5号线", id="metro_line"),
        pytest.param("两周", id="duration_not_date"),
    ],
)
def test_rules_rejects_impossible_dates(text: str) -> None:
    assert [e for e in _entities(text) if e.entity == "date"] == []


def test_rules_relative_date_month_end_clamps() -> None:
    found = _entities("下个月", today=date(2026, 1, 31))
    assert [e.value for e in found] == ["2026-02-01"]
    assert [e.value for e in _entities("一个月后", today=date(2026, 1, 31))] == ["2026-02-28"]


@pytest.mark.parametrize(
    ("text", "value", "surface"),
    [
        pytest.param("下午三点", "15:00", "下午三点", id="xia_wu_san_dian"),
        pytest.param("15:30", "15:30", "15:30", id="colon"),
        pytest.param("晚上八点半", "20:30", "晚上八点半", id="wan_shang_ba_dian_ban"),
        pytest.param("上午10点15分", "10:15", "上午10点15分", id="arabic_minutes"),
        pytest.param("十点十五分", "10:15", "十点十五分", id="cn_minutes"),
        pytest.param("三点一刻", "15:15", "三点一刻", id="yi_ke_afternoon"),
        pytest.param("早上七点三刻", "07:45", "早上七点三刻", id="san_ke"),
        pytest.param("中午12点", "12:00", "中午12点", id="noon"),
        pytest.param("晚上12点", "00:00", "晚上12点", id="midnight"),
        pytest.param("凌晨两点", "02:00", "凌晨两点", id="early_morning"),
        pytest.param("三点以后再打", "15:00", "三点", id="bare_afternoon_hour"),
        pytest.param("9点钟", "09:00", "9点钟", id="dian_zhong"),
        pytest.param("15时30分", "15:30", "15时30分", id="formal_shi"),
    ],
)
def test_rules_extracts_time(text: str, value: str, surface: str) -> None:
    entity = _only(text, "time")
    assert (entity.value, entity.text) == (value, surface)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("便宜一点", id="a_bit"),
        pytest.param("我有三点建议", id="three_points"),
        pytest.param("比分3:1", id="score"),
        pytest.param("25:00", id="hour_25"),
    ],
)
def test_rules_rejects_non_times(text: str) -> None:
    assert [e for e in _entities(text) if e.entity == "time"] == []


def test_rules_date_and_time_side_by_side() -> None:
    found = _entities("今晚八点给我回电话")
    assert [(e.entity, e.value, e.text) for e in found] == [
        ("date", "2026-01-14", "今晚"),
        ("time", "20:00", "八点"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("我的手机是13812345678", id="plain"),
        pytest.param("手机138 1234 5678", id="spaces"),
        pytest.param("手机138-1234-5678", id="dashes"),
        pytest.param("+86 13812345678", id="country_code"),
    ],
)
def test_rules_extracts_phone(text: str) -> None:
    assert _only(text, "phone").value == "13812345678"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("12812345678", id="second_digit_2"),
        pytest.param("138123456789", id="twelve_digits"),
        pytest.param("1381234567", id="ten_digits"),
    ],
)
def test_rules_rejects_non_phone(text: str) -> None:
    assert [e for e in _entities(text) if e.entity == "phone"] == []


def test_rules_extracts_id_card() -> None:
    entity = _only(f"身份证号{VALID_ID.lower()}", "id_card")
    assert entity.value == VALID_ID
    assert entity.text == VALID_ID.lower()


@pytest.mark.parametrize(
    "number",
    [
        pytest.param("110105194912310021", id="bad_checksum"),
        pytest.param("110105194902300027", id="bad_birth_date"),
    ],
)
def test_rules_rejects_invalid_id_card(number: str) -> None:
    assert not is_valid_id_card(number)
    assert [e for e in _entities(f"身份证{number}") if e.entity == "id_card"] == []


def test_rules_id_card_is_not_also_phone_or_fund_code() -> None:
    found = _entities(f"证件{VALID_ID}")
    assert [e.entity for e in found] == ["id_card"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"卡号{VALID_CARD}", id="plain"),
        pytest.param("卡号6222 0212 3456 7890 128", id="grouped"),
    ],
)
def test_rules_extracts_bank_card(text: str) -> None:
    assert _only(text, "bank_card").value == VALID_CARD


def test_rules_rejects_card_failing_luhn() -> None:
    bad = VALID_CARD[:-1] + "9"
    assert luhn_valid(VALID_CARD) and not luhn_valid(bad)
    assert [e for e in _entities(f"卡号{bad}") if e.entity == "bank_card"] == []


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        pytest.param("基金代码110011", 0.9, id="with_context"),
        pytest.param("110011怎么样", 0.7, id="without_context"),
        pytest.param("买入000001", 0.9, id="leading_zeros"),
    ],
)
def test_rules_extracts_fund_code(text: str, confidence: float) -> None:
    entity = _only(text, "fund_code")
    assert entity.value in text
    assert entity.confidence == pytest.approx(confidence)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1234567", id="seven_digits"),
        pytest.param("12345", id="five_digits"),
        pytest.param("验证码123456", id="verification_code"),
        pytest.param("交易密码是123456", id="password"),
        pytest.param("100000元", id="amount"),
        pytest.param("买100000", id="round_amount_context"),
        pytest.param("123456份", id="shares"),
        pytest.param("123456.78", id="decimal"),
        pytest.param("13812345678", id="inside_phone"),
    ],
)
def test_rules_rejects_non_fund_code(text: str) -> None:
    assert [e for e in _entities(text) if e.entity == "fund_code"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("R3产品", "R3", id="r_code"),
        pytest.param("r5", "R5", id="lowercase_code"),
        pytest.param("我是C4客户", "R4", id="customer_code"),
        pytest.param("保守型", "R1", id="conservative"),
        pytest.param("谨慎型", "R2", id="cautious"),
        pytest.param("稳健型", "R2", id="steady"),
        pytest.param("平衡型", "R3", id="balanced"),
        pytest.param("成长型", "R4", id="growth"),
        pytest.param("进取型", "R5", id="aggressive"),
        pytest.param("激进型", "R5", id="radical"),
        pytest.param("低风险", "R1", id="low_risk"),
        pytest.param("中低风险", "R2", id="low_medium_risk"),
        pytest.param("中风险", "R3", id="medium_risk"),
        pytest.param("中高风险", "R4", id="medium_high_risk"),
        pytest.param("高风险", "R5", id="high_risk"),
    ],
)
def test_rules_extracts_risk_level(text: str, value: str) -> None:
    assert _only(text, "risk_level").value == value


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("R6", id="r6"),
        pytest.param("CR3X", id="inside_word"),
        pytest.param("c12", id="two_digits"),
    ],
)
def test_rules_rejects_non_risk_level(text: str) -> None:
    assert [e for e in _entities(text) if e.entity == "risk_level"] == []


def test_rules_amount_inside_date_is_not_an_amount() -> None:
    found = _entities("2026年1月3日买了3年期的产品")
    assert [(e.entity, e.text) for e in found] == [("date", "2026年1月3日"), ("term", "3年期")]


def test_rules_spans_point_into_original_text(normalizer: Normalizer) -> None:
    text = "我想買\u200b１０萬的穩健型產品，期限三個月，年化３．２％，手機１３８１２３４５６７８"
    found = _entities(text, normalizer)
    assert [(e.entity, e.text) for e in found] == [
        ("amount", "１０萬"),
        ("risk_level", "穩健型"),
        ("term", "三個月"),
        ("rate", "３．２％"),
        ("phone", "１３８１２３４５６７８"),
    ]
    for entity in found:
        assert text[entity.start : entity.end] == entity.text
        assert entity.extractor == "rules"


def test_rules_values_are_json_serializable() -> None:
    found = _entities(f"明天下午三点买5万，三个月，年化3%，R2，卡号{VALID_CARD}")
    assert len(found) == 7
    json.dumps([e.to_dict() for e in found])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="spaces"),
        pytest.param("😀👨\u200d👩\u200d👧👍", id="emoji"),
        pytest.param("Hello世界ﾊﾝｶｸ", id="mixed_scripts"),
        pytest.param("\u200b\ufeff", id="invisible_only"),
    ],
)
def test_rules_odd_input_does_not_crash(normalizer: Normalizer, text: str) -> None:
    assert _entities(text, normalizer) == []


def test_rules_random_text_keeps_spans_in_bounds(normalizer: Normalizer) -> None:
    alphabet = "0123456789一二三五十百千万点号月日天周下本个块元%:- 年后前rRcCx😀\u200b"
    rng = random.Random(11)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for entity in _entities(text, normalizer):
            assert 0 <= entity.start < entity.end <= len(text)
            assert text[entity.start : entity.end] == entity.text


def test_rules_component_appends_to_existing_entities() -> None:
    component = RuleEntityExtractor.create(RuleEntityExtractor.Config(), Resources())
    component.initialize()
    message = Message("买5万")
    other = Entity("product", "x", 0, 1, "买", extractor="gazetteer")
    message.entities.append(other)
    component.process(message)
    assert message.entities[0] is other
    assert [e.entity for e in message.entities[1:]] == ["amount"]


def test_rules_component_resolves_today_in_its_timezone() -> None:
    component = RuleEntityExtractor.create(RuleEntityExtractor.Config(timezone="Asia/Shanghai"), Resources())
    component.initialize()
    message = component.process(Message("今天"))
    from zoneinfo import ZoneInfo

    assert message.entities[0].value == datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def test_rules_component_rejects_unknown_timezone() -> None:
    component = RuleEntityExtractor.create(RuleEntityExtractor.Config(timezone="Mars/Olympus"), Resources())
    with pytest.raises(ComponentConfigError):
        component.initialize()


def test_rules_dimensions_filter_types() -> None:
    assert entity_types_for(["time"]) == {"date", "time"}
    assert entity_types_for(["amount-of-money", "rate"]) == {"amount", "rate"}
    with pytest.raises(ComponentConfigError):
        entity_types_for(["distance"])
    component = RuleEntityExtractor.create(RuleEntityExtractor.Config(dimensions=("phone",)), Resources())
    message = component.process(Message("明天买5万，手机13812345678"))
    assert [e.entity for e in message.entities] == ["phone"]


def test_rules_accepts_datetime_reference() -> None:
    found = extract_rule_entities(Message("明天"), datetime(2026, 1, 14, 23, 59))
    assert found[0].value == "2026-01-15"
