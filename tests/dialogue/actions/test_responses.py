from __future__ import annotations

import asyncio

import pytest

from dialogue.actions import ResponseAction
from dialogue.events import BotUttered, SlotSet


def test_response_action_utters_the_named_response(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(make_user("你好", "greet"))
    events = asyncio.run(ResponseAction("utter_greet").run(tracker, domain, nlg))
    assert len(events) == 1
    assert isinstance(events[0], BotUttered)
    assert events[0].text == "您好，请问有什么可以帮您？"
    assert events[0].data["template_name"] == "utter_greet"


@pytest.mark.parametrize(
    ("risk_level", "expected"),
    [("高", "该产品风险较高，请谨慎投资。"), ("中", "该产品风险适中。")],
    ids=["high_risk_condition", "no_condition_default"],
)
def test_response_action_picks_variation_by_slot_condition(
    domain, nlg, make_tracker, make_user, risk_level, expected
) -> None:
    tracker = make_tracker(make_user("风险高吗", "product_nav"), SlotSet(key="risk_level", value=risk_level))
    events = asyncio.run(ResponseAction("utter_risk").run(tracker, domain, nlg))
    assert [e.text for e in events] == [expected]


def test_response_action_fills_slot_placeholders(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(make_user("赎回五万", "redeem"), SlotSet(key="amount", value=50000))
    events = asyncio.run(ResponseAction("utter_redeem_done").run(tracker, domain, nlg))
    assert events[0].text == "已为您赎回50000元。"


def test_response_action_says_nothing_for_unknown_response(domain, nlg, make_tracker) -> None:
    events = asyncio.run(ResponseAction("utter_missing").run(make_tracker(), domain, nlg))
    assert events == []
