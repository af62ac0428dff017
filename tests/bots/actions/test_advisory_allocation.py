"""The advisory robot's asset allocation rules and its answer to "what is my risk level"."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path

import pytest

from bots.actions.advisory import ActionAskMyRiskLevel
from bots.actions.advisory_allocation import (
    BASE_SPLITS,
    CLASS_RISK,
    ActionAssetAllocation,
    AssetClass,
    Goal,
    Horizon,
    allocate,
    horizon_for_days,
)
from bots.services import PlatformServices
from dialogue import sdk
from dialogue.events import SlotSet, UserUttered
from dialogue.tracker import DialogueStateTracker
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.outbound import OutboundFilter
from risk_hooks.profile import CustomerProfile

TODAY = dt.date(2026, 11, 25)


def _born(age: int) -> dt.date:
    return dt.date(TODAY.year - age, 1, 1)


PROFILES = {
    "C-young-5": CustomerProfile("C-young-5", 5, dt.date(2027, 6, 1), _born(35)),
    "C-old-5": CustomerProfile("C-old-5", 5, dt.date(2027, 6, 1), _born(80)),
    "C-old-5-pro": CustomerProfile("C-old-5-pro", 5, dt.date(2027, 6, 1), _born(80), is_professional=True),
    "C-mid-3": CustomerProfile("C-mid-3", 3, dt.date(2027, 6, 1), _born(45)),
    "C-expired": CustomerProfile("C-expired", 4, dt.date(2025, 7, 25), _born(41)),
    "C-never": CustomerProfile("C-never", None, None, _born(57)),
    "C-soon": CustomerProfile("C-soon", 2, TODAY + dt.timedelta(days=12), _born(30)),
}


def _tracker(text: str, intent: str, slots: dict[str, object] | None = None) -> sdk.Tracker:
    slots = {"customer_id": None, "risk_level": None, "term": None, "amount": None, **(slots or {})}
    tracker = DialogueStateTracker("u1", dict(slots))
    tracker.update_many([SlotSet(key=k, value=v) for k, v in slots.items()])
    parse = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    tracker.update(UserUttered(text=text, parse_data=parse))
    return sdk.Tracker.from_dict(tracker.current_state())


def _run(action: sdk.Action, tracker: sdk.Tracker) -> tuple[sdk.CollectingDispatcher, list]:
    dispatcher = sdk.CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher, events


def _allocation_action() -> ActionAssetAllocation:
    return ActionAssetAllocation(PROFILES.get, today=lambda: TODAY)


# ---- the rules ---------------------------------------------------------------------------------


def test_base_splits_sum_to_100_and_never_exceed_the_risk_level() -> None:
    for level, rows in BASE_SPLITS.items():
        for horizon, row in rows.items():
            assert sum(row) == 100, (level, horizon)
            for asset, share in zip(AssetClass, row, strict=True):
                assert share == 0 or CLASS_RISK[asset] <= level, (level, horizon, asset)


def test_base_splits_take_more_risk_with_a_longer_horizon() -> None:
    for level, rows in BASE_SPLITS.items():
        cash = [rows[h][0] for h in (Horizon.SHORT, Horizon.MEDIUM, Horizon.LONG)]
        assert cash == sorted(cash, reverse=True), level


@pytest.mark.parametrize(
    ("days", "horizon"),
    [
        (None, Horizon.MEDIUM),
        (0, Horizon.SHORT),
        (180, Horizon.SHORT),
        (365, Horizon.MEDIUM),
        (1095, Horizon.MEDIUM),
        (1825, Horizon.LONG),
    ],
    ids=["unknown", "any-time", "half-year", "one-year", "three-years", "five-years"],
)
def test_horizon_for_days_bands(days: int | None, horizon: Horizon) -> None:
    assert horizon_for_days(days, Horizon.MEDIUM) is horizon


def test_allocate_conservative_customer_gets_cash_only() -> None:
    allocation = allocate(1, horizon=Horizon.LONG)
    assert allocation.split[AssetClass.CASH] == 100 and allocation.level == 1


def test_allocate_elderly_customer_gets_no_equity_unless_professional() -> None:
    elderly = allocate(5, horizon=Horizon.LONG, age=80)
    assert elderly.level == 3 and elderly.split[AssetClass.EQUITY] == 0
    assert any("65岁" in reason for reason in elderly.reasons)
    assert allocate(5, horizon=Horizon.LONG, age=80, professional=True).split[AssetClass.EQUITY] == 45


def test_allocate_education_money_needed_soon_is_capped() -> None:
    soon = allocate(5, goal=Goal.EDUCATION, horizon=Horizon.SHORT)
    assert soon.level == 2 and soon.split[AssetClass.EQUITY] == 0
    later = allocate(5, goal=Goal.EDUCATION, horizon=Horizon.LONG)
    assert later.level == 4 and later.split[AssetClass.EQUITY] == BASE_SPLITS[4][Horizon.LONG][3]


def test_allocate_retirement_after_retirement_age_is_short_and_capped() -> None:
    retired = allocate(4, goal=Goal.RETIREMENT, age=62)
    assert retired.horizon is Horizon.SHORT and retired.level == 2
    young = allocate(4, goal=Goal.RETIREMENT, age=40)
    assert young.horizon is Horizon.LONG and young.level == 4


def test_allocate_emergency_fund_is_cash_whatever_the_level() -> None:
    allocation = allocate(5, goal=Goal.EMERGENCY, horizon=Horizon.LONG)
    assert allocation.split[AssetClass.CASH] == 100


# ---- the action ---------------------------------------------------------------------------------


def test_asset_allocation_uses_the_backend_level_horizon_and_amount() -> None:
    tracker = _tracker(
        "我有50万，5年不用，怎么配置",
        "asset_allocation",
        {"customer_id": "C-young-5", "term": "5年", "amount": "50万"},
    )
    dispatcher, events = _run(_allocation_action(), tracker)
    message = dispatcher.messages[0]
    assert events == []
    assert message["custom"]["split"] == {"cash": 5, "bond": 25, "mixed": 25, "equity": 45}
    text = message["text"]
    assert "C5（进取型）" in text and "3年以上" in text and "45%（约22.5万元）" in text
    assert RISK_NOTICE in text


def test_asset_allocation_goal_comes_from_the_intent_or_the_words() -> None:
    by_intent = _tracker("孩子两年后上大学", "education_goal", {"customer_id": "C-young-5", "term": "两年"})
    assert _run(_allocation_action(), by_intent)[0].messages[0]["custom"]["goal"] == "education"
    by_words = _tracker("养老的钱怎么分配", "asset_allocation", {"customer_id": "C-mid-3"})
    assert _run(_allocation_action(), by_words)[0].messages[0]["custom"]["goal"] == "retirement"


def test_asset_allocation_money_needed_any_time_is_short() -> None:
    tracker = _tracker(
        "这笔钱可能随时要用，怎么放", "asset_allocation", {"customer_id": "C-mid-3", "term": "三年"}
    )
    assert _run(_allocation_action(), tracker)[0].messages[0]["custom"]["horizon"] == "short"


@pytest.mark.parametrize(
    ("customer", "status"),
    [("C-expired", "2025年07月25日过期"), ("C-never", "还没有有效的风险测评")],
    ids=["expired", "never"],
)
def test_asset_allocation_without_valid_assessment_is_a_labelled_illustration(
    customer: str, status: str
) -> None:
    dispatcher, _ = _run(
        _allocation_action(), _tracker("怎么配置资产", "asset_allocation", {"customer_id": customer})
    )
    message = dispatcher.messages[0]
    assert status in message["text"] and "通用保守示例" in message["text"]
    assert message["custom"]["illustration"] is True and message["custom"]["split"]["equity"] == 0
    assert message["buttons"][0]["payload"] == "/start_risk_assessment"


def test_asset_allocation_uses_an_assessment_made_in_the_conversation() -> None:
    slots = {"risk_level": "C3", "risk_assessment_valid_until": "2027-11-25"}
    dispatcher, _ = _run(_allocation_action(), _tracker("怎么配置", "asset_allocation", slots))
    assert dispatcher.messages[0]["custom"]["illustration"] is False
    stated = _run(
        _allocation_action(), _tracker("我是C3，怎么配置", "asset_allocation", {"risk_level": "C3"})
    )[0]
    assert stated.messages[0]["custom"]["illustration"] is True  # a stated level is no assessment


def test_asset_allocation_texts_pass_the_compliance_filter() -> None:
    services = PlatformServices(Path(tempfile.mkdtemp(prefix="wealthbot-alloc-")))
    outbound = OutboundFilter(services.product_names)
    for customer in PROFILES:
        for intent in ("asset_allocation", "education_goal", "retirement_planning", "emergency_fund"):
            dispatcher, _ = _run(
                _allocation_action(), _tracker("怎么安排", intent, {"customer_id": customer})
            )
            assert outbound.check(dispatcher.messages[0]["text"]).action == "allow", (customer, intent)


# ---- ask_my_risk_level --------------------------------------------------------------------------


def _risk_level_action() -> ActionAskMyRiskLevel:
    return ActionAskMyRiskLevel(PROFILES.get, today=lambda: TODAY)


def test_ask_my_risk_level_says_level_and_validity_and_sets_the_slots() -> None:
    dispatcher, events = _run(
        _risk_level_action(), _tracker("我是什么风险等级", "ask_my_risk_level", {"customer_id": "C-mid-3"})
    )
    assert (
        "C3（平衡型）" in dispatcher.messages[0]["text"]
        and "2027年06月01日" in dispatcher.messages[0]["text"]
    )
    assert "R3及以下" in dispatcher.messages[0]["text"]
    assert events == [
        sdk.SlotSet("risk_level", "C3"),
        sdk.SlotSet("risk_assessment_valid_until", "2027-06-01"),
    ]


def test_ask_my_risk_level_reminds_when_expiry_is_near() -> None:
    dispatcher, _ = _run(
        _risk_level_action(), _tracker("我的测评还有效吗", "ask_my_risk_level", {"customer_id": "C-soon"})
    )
    assert "快到期" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("customer", "words"),
    [("C-expired", "已于2025年07月25日过期"), ("C-never", "还没有做过风险测评")],
    ids=["expired", "never"],
)
def test_ask_my_risk_level_offers_the_assessment_when_expired_or_missing(customer: str, words: str) -> None:
    dispatcher, events = _run(
        _risk_level_action(), _tracker("我的风险等级", "ask_my_risk_level", {"customer_id": customer})
    )
    assert words in dispatcher.messages[0]["text"] and events == []
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/start_risk_assessment"
