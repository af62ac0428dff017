"""Tests for dialogue/nlg.py: variation choice, placeholders and the BotUttered payload."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.events import BotUttered, SlotSet
from dialogue.nlg import NaturalLanguageGenerator, fill_placeholders
from dialogue.tracker import DialogueStateTracker

DOMAIN_YAML = """\
version: "3.1"
intents: [greet, affirm, deny]
entities: [product]
slots:
  product:
    type: text
    mappings:
      - type: from_entity
        entity: product
  amount:
    type: float
    max_value: 1000000
    mappings: []
  risk_level:
    type: categorical
    values: [保守型, 进取型, Aggressive]
    mappings: []
  vip:
    type: bool
    mappings: []
  products:
    type: list
    mappings: []
responses:
  utter_greet:
    - text: "您好！"
    - text: "你好呀！"
    - text: "欢迎光临！"
  utter_confirm:
    - text: "确认赎回{product}，金额{amount}元？"
      buttons:
        - title: "确认赎回{product}"
          payload: "/affirm"
        - title: "取消"
          payload: "/deny"
  utter_risk:
    - text: "稳健的产品更适合您。"
      condition:
        - type: slot
          name: risk_level
          value: 保守型
    - text: "尊贵的进取型VIP客户，您好。"
      condition:
        - type: slot
          name: risk_level
          value: 进取型
        - type: slot
          name: vip
          value: true
    - text: "Aggressive investor."
      condition:
        - type: slot
          name: risk_level
          value: aggressive
    - text: "请先完成风险测评。"
  utter_channel:
    - text: "通用回复"
    - text: "微信专属回复"
      channel: wechat
    - text: "电话专属回复"
      channel: phone
  utter_phone_only:
    - text: "请按1确认"
      channel: phone
  utter_card:
    - text: "{product}产品卡片"
      image: "https://example.com/{product}.png"
      custom:
        card: {"title": "{product}", "price": "{1}", "raw": "{{product}}"}
        tags: ["{product}", 3]
      quick_replies:
        - title: "{product}详情"
          payload: /detail
  utter_json:
    - text: '收益 {"rate": 0.03} 与 {unknown_name}，{ }、{1}、{{product}}'
  utter_products:
    - text: "为您推荐：{products}"
"""


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_yaml(DOMAIN_YAML, "nlg_domain.yml")


def _tracker(domain: Domain, **slots: object) -> DialogueStateTracker:
    tracker = DialogueStateTracker("user-1", domain.slot_defaults())
    for name, value in slots.items():
        tracker.update(SlotSet(name, value))
    return tracker


def test_nlg_generate_returns_bot_uttered_with_template_name(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate("utter_greet", _tracker(domain))
    assert isinstance(event, BotUttered)
    assert event.text in {"您好！", "你好呀！", "欢迎光临！"}
    assert event.data["template_name"] == "utter_greet"
    assert event.data["buttons"] is None and event.data["image"] is None and event.data["custom"] is None
    assert event.metadata["utter_action"] == "utter_greet"


def test_nlg_unknown_response_is_none(domain: Domain) -> None:
    assert NaturalLanguageGenerator(domain).generate("utter_missing", _tracker(domain)) is None


def test_nlg_same_seed_gives_same_choices_and_all_variations_occur(domain: Domain) -> None:
    tracker = _tracker(domain)
    first = NaturalLanguageGenerator(domain, seed=42)
    second = NaturalLanguageGenerator(domain, seed=42)
    texts_a = [first.generate("utter_greet", tracker).text for _ in range(30)]  # type: ignore[union-attr]
    texts_b = [second.generate("utter_greet", tracker).text for _ in range(30)]  # type: ignore[union-attr]
    assert texts_a == texts_b
    assert set(texts_a) == {"您好！", "你好呀！", "欢迎光临！"}


def test_nlg_deterministic_takes_first_variation(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, deterministic=True)
    assert {nlg.generate("utter_greet", None).text for _ in range(10)} == {"您好！"}  # type: ignore[union-attr]


def test_nlg_fills_slots_and_buttons(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate("utter_confirm", _tracker(domain, product="沪深300", amount=5000))
    assert event is not None
    assert event.text == "确认赎回沪深300，金额5000元？"
    assert event.data["buttons"] == [
        {"title": "确认赎回沪深300", "payload": "/affirm"},
        {"title": "取消", "payload": "/deny"},
    ]


def test_nlg_kwargs_override_slots(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate(
        "utter_confirm", _tracker(domain, product="沪深300"), product="中证500", amount="一万"
    )
    assert event is not None and event.text == "确认赎回中证500，金额一万元？"


def test_nlg_missing_value_keeps_placeholder_and_logs(
    domain: Domain, caplog: pytest.LogCaptureFixture
) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    with caplog.at_level(logging.WARNING, logger="dialogue.nlg"):
        event = nlg.generate("utter_confirm", _tracker(domain, product="沪深300"))
    assert event is not None and event.text == "确认赎回沪深300，金额{amount}元？"
    assert "amount" in caplog.text


def test_nlg_braces_that_are_not_placeholders_are_kept(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate("utter_json", _tracker(domain, product="沪深300"))
    assert event is not None
    assert event.text == '收益 {"rate": 0.03} 与 {unknown_name}，{ }、{1}、{{product}}'


def test_nlg_fills_image_custom_and_extras_recursively(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate("utter_card", _tracker(domain, product="白酒基金"))
    assert event is not None
    assert event.text == "白酒基金产品卡片"
    assert event.data["image"] == "https://example.com/白酒基金.png"
    assert event.data["custom"] == {
        "card": {"title": "白酒基金", "price": "{1}", "raw": "{{product}}"},
        "tags": ["白酒基金", 3],
    }
    assert event.data["quick_replies"] == [{"title": "白酒基金详情", "payload": "/detail"}]


def test_nlg_output_never_shares_domain_templates(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate("utter_card", _tracker(domain, product="白酒基金"))
    assert event is not None
    event.data["custom"]["card"]["title"] = "改掉"
    assert domain.responses["utter_card"][0].custom["card"]["title"] == "{product}"


def test_nlg_list_slot_is_joined_with_chinese_comma(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate("utter_products", _tracker(domain, products=["货币基金", "债券基金"]))
    assert event is not None and event.text == "为您推荐：货币基金、债券基金"


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"risk_level": "保守型"}, "稳健的产品更适合您。"),
        ({"risk_level": "进取型", "vip": True}, "尊贵的进取型VIP客户，您好。"),
        ({"risk_level": "进取型", "vip": False}, "请先完成风险测评。"),
        ({"risk_level": "AGGRESSIVE"}, "Aggressive investor."),
        ({}, "请先完成风险测评。"),
    ],
    ids=["conservative", "aggressive-vip", "aggressive-not-vip", "case-insensitive", "no-slot"],
)
def test_nlg_conditional_variations_win_when_all_conditions_hold(
    domain: Domain, slots: dict[str, object], expected: str
) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    tracker = _tracker(domain, **slots)
    assert [v.text for v in nlg.eligible_variations("utter_risk", tracker)] == [expected]
    event = nlg.generate("utter_risk", tracker)
    assert event is not None and event.text == expected


@pytest.mark.parametrize(
    ("channel", "expected"),
    [("wechat", "微信专属回复"), ("phone", "电话专属回复"), ("web", "通用回复"), (None, "通用回复")],
    ids=["wechat", "phone", "other-channel", "no-channel"],
)
def test_nlg_prefers_channel_specific_variations(domain: Domain, channel: str | None, expected: str) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    event = nlg.generate("utter_channel", _tracker(domain), channel=channel)
    assert event is not None and event.text == expected


def test_nlg_channel_only_response_is_none_elsewhere(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, seed=0)
    assert nlg.generate("utter_phone_only", _tracker(domain), channel="wechat") is None
    assert nlg.generate("utter_phone_only", _tracker(domain), channel="phone").text == "请按1确认"  # type: ignore[union-attr]


def test_nlg_without_tracker_uses_kwargs_only(domain: Domain) -> None:
    nlg = NaturalLanguageGenerator(domain, deterministic=True)
    event = nlg.generate("utter_confirm", None, product="余额宝", amount=100)
    assert event is not None and event.text == "确认赎回余额宝，金额100元？"


def test_nlg_fill_placeholders_reports_missing_names() -> None:
    missing: set[str] = set()
    filled = fill_placeholders({"a": ["{x}{y}", 1]}, {"x": "甲", "y": None}, missing)
    assert filled == {"a": ["甲{y}", 1]}
    assert missing == {"y"}


def test_nlg_works_with_a_real_bot_domain() -> None:
    service = Domain.load(Path(__file__).resolve().parents[2] / "bots" / "service" / "domain.yml")
    nlg = NaturalLanguageGenerator(service, seed=1)
    tracker = DialogueStateTracker("u", service.slot_defaults())
    tracker.update(SlotSet("product", "沪深300"))
    tracker.update(SlotSet("amount", "五万"))
    event = nlg.generate("utter_confirm_redeem", tracker)
    assert event is not None and event.text.startswith("请确认：赎回沪深300，金额五万。")


def test_nlg_prints_whole_float_slots_without_decimals() -> None:
    from dialogue.domain import Domain
    from dialogue.nlg import NaturalLanguageGenerator
    from dialogue.tracker import DialogueStateTracker

    domain = Domain.from_yaml(
        "slots:\n  amount:\n    type: float\n    mappings: [{type: custom}]\n"
        "responses:\n  utter_amount:\n  - text: 金额{amount}元\n"
    )
    tracker = DialogueStateTracker("u", {"amount": 50000.0})
    event = NaturalLanguageGenerator(domain).generate("utter_amount", tracker)
    assert event is not None and event.text == "金额50000元"
    tracker.slots["amount"] = 2500.5
    assert NaturalLanguageGenerator(domain).generate("utter_amount", tracker).text == "金额2500.5元"
