"""Tests for dialogue/tracker.py: state derived from events, rewind/undo/restart/session, turns()."""

from __future__ import annotations

from typing import Any

from dialogue.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker, Turn

INITIAL = {"amount": None, "product": None, "risk_level": "稳健型"}


def _user(text: str, intent: str, *entities: tuple[str, str]) -> UserUttered:
    parse_data: dict[str, Any] = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": name, "value": value} for name, value in entities],
    }
    return UserUttered(text=text, parse_data=parse_data, input_channel="rest")


def _action(name: str) -> ActionExecuted:
    return ActionExecuted(name, policy="RulePolicy", confidence=1.0)


def _tracker(*events: Event) -> DialogueStateTracker:
    return DialogueStateTracker("user-1", INITIAL, events)


def _redeem_conversation() -> list[Event]:
    return [
        _action("action_session_start"),
        SessionStarted(),
        _action(ACTION_LISTEN),
        _user("我要赎回五万", "redeem", ("amount", "50000")),
        _action("redeem_form"),
        ActiveLoop("redeem_form"),
        SlotSet("amount", "50000"),
        BotUttered("请问赎回哪只产品？"),
        _action(ACTION_LISTEN),
        _user("沪深300", "inform", ("product", "沪深300")),
        _action("redeem_form"),
        SlotSet("product", "沪深300"),
        ActiveLoop(None),
        _action("utter_confirm_redeem"),
        BotUttered("请确认：赎回沪深300，金额50000。"),
        _action(ACTION_LISTEN),
    ]


def test_tracker_starts_from_initial_slots() -> None:
    tracker = _tracker()
    assert tracker.slots == INITIAL
    assert tracker.latest_message is None and tracker.latest_action_name is None
    assert tracker.active_loop_name is None and not tracker.is_paused
    tracker.slots["amount"] = "x"
    assert tracker.initial_slots["amount"] is None  # initial slots are copied


def test_tracker_derives_state_from_events() -> None:
    tracker = _tracker(*_redeem_conversation())
    assert tracker.slots == {"amount": "50000", "product": "沪深300", "risk_level": "稳健型"}
    assert tracker.get_slot("product") == "沪深300"
    assert tracker.get_slot("unknown") is None
    assert tracker.latest_message is not None and tracker.latest_message.text == "沪深300"
    assert tracker.latest_action_name == ACTION_LISTEN
    assert tracker.latest_bot_utterance is not None
    assert tracker.latest_bot_utterance.text == "请确认：赎回沪深300，金额50000。"
    assert tracker.active_loop_name is None


def test_tracker_events_are_append_only() -> None:
    events = _redeem_conversation()
    tracker = _tracker(*events)
    tracker.update(UserUtteranceReverted())
    tracker.update(Restarted())
    assert tracker.events[: len(events)] == events
    assert len(tracker.events) == len(events) + 2


def test_tracker_update_many_equals_update_one_by_one() -> None:
    events = _redeem_conversation()
    one = _tracker()
    for event in events:
        one.update(event)
    many = _tracker()
    many.update_many(events)
    assert many.slots == one.slots and many.events == one.events


def test_tracker_followup_action_is_cleared_when_it_runs() -> None:
    tracker = _tracker(FollowupAction("action_handoff"))
    assert tracker.followup_action == "action_handoff"
    tracker.update(_action("utter_greet"))
    assert tracker.followup_action == "action_handoff"
    tracker.update(_action("action_handoff"))
    assert tracker.followup_action is None


def test_tracker_pause_and_resume() -> None:
    tracker = _tracker(ConversationPaused())
    assert tracker.is_paused
    tracker.update(ConversationResumed())
    assert not tracker.is_paused


def test_tracker_all_slots_reset_restores_initial_values() -> None:
    tracker = _tracker(SlotSet("risk_level", "进取型"), SlotSet("amount", "100"), AllSlotsReset())
    assert tracker.slots == INITIAL


def test_tracker_restart_forgets_everything_before() -> None:
    tracker = _tracker(*_redeem_conversation(), ConversationPaused(), Restarted())
    assert tracker.slots == INITIAL
    assert tracker.latest_message is None and not tracker.is_paused
    assert tracker.applied_events() == []
    assert tracker.turns() == []
    tracker.update(_user("你好", "greet"))
    assert [t.intent for t in tracker.turns()] == ["greet"]


def test_tracker_session_start_resets_slots_but_keeps_pause() -> None:
    tracker = _tracker(
        SlotSet("amount", "100"), ActiveLoop("redeem_form"), ConversationPaused(), SessionStarted()
    )
    assert tracker.slots == INITIAL
    assert tracker.active_loop_name is None
    assert tracker.is_paused  # a handed-off conversation stays with the human agent


def test_tracker_session_start_then_carried_slots_survive_rewind() -> None:
    tracker = _tracker(
        SlotSet("amount", "100"),
        SessionStarted(),
        SlotSet("amount", "100"),  # action_session_start carries slots over by re-setting them
        _action(ACTION_LISTEN),
        _user("你好", "greet"),
        UserUtteranceReverted(),
    )
    assert tracker.slots["amount"] == "100"


def test_tracker_rewind_drops_last_user_message_and_what_followed() -> None:
    tracker = _tracker(
        _action(ACTION_LISTEN),
        _user("我要赎回", "redeem"),
        _action("utter_ask_amount"),
        _action(ACTION_LISTEN),
        _user("随便说说", "out_of_scope", ("product", "黄金")),
        SlotSet("product", "黄金"),
        _action("action_default_fallback"),
        UserUtteranceReverted(),
    )
    assert tracker.latest_message is not None and tracker.latest_message.intent_name == "redeem"
    assert tracker.get_slot("product") is None
    assert tracker.latest_action_name == ACTION_LISTEN
    assert [e.text for e in tracker.applied_events() if isinstance(e, UserUttered)] == ["我要赎回"]


def test_tracker_two_rewinds_drop_two_user_messages() -> None:
    tracker = _tracker(
        _user("一", "greet"),
        _action(ACTION_LISTEN),
        _user("二", "redeem"),
        _action(ACTION_LISTEN),
        _user("三", "deny"),
        UserUtteranceReverted(),
        UserUtteranceReverted(),
    )
    assert tracker.latest_message is not None and tracker.latest_message.text == "一"


def test_tracker_undo_reverts_last_action_and_its_events() -> None:
    tracker = _tracker(
        _user("查一下风险等级", "ask_risk"),
        _action("action_fetch_risk"),
        SlotSet("risk_level", "进取型"),
        BotUttered("您的风险等级为进取型。"),
        _action(ACTION_LISTEN),
        ActionReverted(),
    )
    assert tracker.get_slot("risk_level") == "稳健型"
    assert tracker.latest_bot_utterance is None
    assert tracker.latest_action_name is None
    assert tracker.latest_message is not None  # the user message stays


def test_tracker_turns_group_user_messages_with_actions() -> None:
    turns = _tracker(*_redeem_conversation()).turns()
    assert turns == [
        Turn("redeem", ("amount",), ("redeem_form",), {**INITIAL, "amount": "50000"}, "redeem_form"),
        Turn(
            "inform",
            ("product",),
            ("redeem_form", "utter_confirm_redeem"),
            {**INITIAL, "amount": "50000", "product": "沪深300"},
            None,
        ),
    ]


def test_tracker_turns_sort_and_dedupe_entities() -> None:
    tracker = _tracker(
        _user("买五万沪深300和五万中证500", "purchase", ("product", "a"), ("amount", "5"), ("product", "b"))
    )
    assert tracker.turns() == [Turn("purchase", ("amount", "product"), (), dict(INITIAL), None)]


def test_tracker_turns_after_rewind_omit_reverted_turn() -> None:
    tracker = _tracker(
        *_redeem_conversation(), _user("不对", "deny"), _action("utter_ok"), UserUtteranceReverted()
    )
    assert [t.intent for t in tracker.turns()] == ["redeem", "inform"]


def test_tracker_current_state_has_rasa_keys() -> None:
    tracker = _tracker(*_redeem_conversation(), FollowupAction("utter_goodbye"))
    state = tracker.current_state()
    assert set(state) == {
        "sender_id",
        "slots",
        "latest_message",
        "latest_event_time",
        "followup_action",
        "paused",
        "events",
        "latest_input_channel",
        "active_loop",
        "latest_action_name",
    }
    assert state["followup_action"] == "utter_goodbye"
    assert state["latest_message"]["intent"]["name"] == "inform"
    assert state["latest_input_channel"] == "rest"
    assert len(state["events"]) == len(tracker.events)


def test_tracker_current_state_of_new_tracker() -> None:
    state = _tracker().current_state()
    assert state["latest_message"] == {} and state["latest_event_time"] is None
    assert state["active_loop"] == {} and state["events"] == []


def test_tracker_current_state_shows_active_loop() -> None:
    assert _tracker(ActiveLoop("redeem_form")).current_state()["active_loop"] == {"name": "redeem_form"}


def test_tracker_from_dict_rebuilds_same_state() -> None:
    original = _tracker(*_redeem_conversation(), UserUtteranceReverted())
    rebuilt = DialogueStateTracker.from_dict("user-1", [e.to_dict() for e in original.events], INITIAL)
    assert rebuilt.events == original.events
    assert rebuilt.slots == original.slots
    assert rebuilt.turns() == original.turns()


def test_tracker_applied_events_start_at_last_session() -> None:
    tracker = _tracker(*_redeem_conversation(), SessionStarted(), _user("你好", "greet"))
    assert [t.intent for t in tracker.turns()] == ["greet"]
