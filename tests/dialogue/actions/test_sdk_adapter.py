"""rasa-sdk-style actions run in process through SdkActionAdapter."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from dialogue import sdk
from dialogue.actions import ActionRejectedError, SdkActionAdapter
from dialogue.actions.errors import ActionLookupError
from dialogue.events import BotUttered, FollowupAction, SlotSet


class ActionCheckBalance(sdk.Action):
    """Written exactly as for rasa-sdk (sync run)."""

    def name(self) -> str:
        return "action_check_balance"

    def run(self, dispatcher: sdk.CollectingDispatcher, tracker: sdk.Tracker, domain: sdk.DomainDict) -> list:
        amount = next(tracker.get_latest_entity_values("amount"), None)
        dispatcher.utter_message(text=f"好的，{tracker.sender_id}，正在查询{amount}元的赎回额度。")
        dispatcher.utter_message(response="utter_redeem_done", amount=amount)
        return [sdk.SlotSet("amount", amount), sdk.FollowupAction("utter_greet")]


class ActionAsyncReject(sdk.Action):
    def name(self) -> str:
        return "action_async_reject"

    async def run(self, dispatcher: Any, tracker: sdk.Tracker, domain: sdk.DomainDict) -> list:
        raise sdk.ActionExecutionRejection(self.name(), "非交易时间")


def test_sdk_adapter_runs_rasa_sdk_style_action_in_process(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(make_user("赎回五万", "redeem", entities=[{"entity": "amount", "value": 50000}]))
    events = asyncio.run(SdkActionAdapter(ActionCheckBalance()).run(tracker, domain, nlg))
    assert [type(e) for e in events] == [BotUttered, BotUttered, SlotSet, FollowupAction]
    assert events[0].text == "好的，user-1，正在查询50000元的赎回额度。"
    assert events[1].text == "已为您赎回50000元。"  # response rendered with the message's kwargs
    assert (events[2].key, events[2].value) == ("amount", 50000)
    assert events[3].name == "utter_greet"


def test_sdk_adapter_does_not_let_the_action_mutate_the_tracker(domain, nlg, make_tracker, make_user) -> None:
    class Meddler(sdk.Action):
        def name(self) -> str:
            return "action_meddle"

        def run(self, dispatcher: Any, tracker: sdk.Tracker, domain: sdk.DomainDict) -> list:
            tracker.slots["amount"] = 1
            tracker.events.clear()
            return []

    tracker = make_tracker(make_user("你好", "greet"))
    before = len(tracker.events)
    asyncio.run(SdkActionAdapter(Meddler()).run(tracker, domain, nlg))
    assert len(tracker.events) == before and tracker.get_slot("amount") is None


def test_sdk_adapter_turns_rejection_into_rejected_error(domain, nlg, make_tracker) -> None:
    with pytest.raises(ActionRejectedError) as caught:
        asyncio.run(SdkActionAdapter(ActionAsyncReject()).run(make_tracker(), domain, nlg))
    assert caught.value.rejected is True and "非交易时间" in str(caught.value)


def test_sdk_adapter_refuses_non_actions() -> None:
    with pytest.raises(ActionLookupError, match="ACT003"):
        SdkActionAdapter(object())


def test_sdk_adapter_runs_real_rasa_sdk_action_when_installed(domain, nlg, make_tracker, make_user) -> None:
    rasa_sdk = pytest.importorskip("rasa_sdk", reason="rasa-sdk is not installed in this venv (pins clash)")
    from rasa_sdk.events import SlotSet as RasaSlotSet

    class RasaAction(rasa_sdk.Action):
        def name(self) -> str:
            return "action_rasa"

        def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
            assert type(tracker) is rasa_sdk.Tracker
            dispatcher.utter_message(text="来自rasa-sdk的问候")
            return [RasaSlotSet("product_name", "稳健理财")]

    assert "rasa_sdk" in sys.modules
    events = asyncio.run(
        SdkActionAdapter(RasaAction()).run(make_tracker(make_user("你好", "greet")), domain, nlg)
    )
    assert [e.text for e in events if isinstance(e, BotUttered)] == ["来自rasa-sdk的问候"]
    assert [(e.key, e.value) for e in events if isinstance(e, SlotSet)] == [("product_name", "稳健理财")]
