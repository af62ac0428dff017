"""Tests for dialogue/events.py: Rasa JSON shapes and round trips, including a Rasa 3 tracker dump."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from dialogue.errors import DialogueError, UnknownEventError
from dialogue.events import (
    EVENT_TYPES,
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    EntitiesAdded,
    Event,
    FollowupAction,
    HandoffRequested,
    LoopInterrupted,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    RiskDecision,
    SessionStarted,
    SlotSet,
    UserFeaturization,
    UserUtteranceReverted,
    UserUttered,
    event_from_dict,
)
from dialogue.tracker import DialogueStateTracker

TS = 1_700_000_000.5

PARSE_DATA = {
    "intent": {"name": "redeem", "confidence": 0.97},
    "entities": [
        {"entity": "amount", "start": 4, "end": 6, "value": "50000", "extractor": "RegexEntityExtractor"}
    ],
    "text": "我要赎回五万",
    "intent_ranking": [{"name": "redeem", "confidence": 0.97}, {"name": "purchase", "confidence": 0.02}],
}

EVERY_EVENT: list[Event] = [
    UserUttered(
        text="我要赎回五万", parse_data=PARSE_DATA, input_channel="rest", message_id="m1", timestamp=TS
    ),
    BotUttered(
        text="请问赎回哪只基金？",
        data={"buttons": [{"title": "沪深300", "payload": "/inform"}], "image": None, "custom": None},
        metadata={"utter_action": "utter_ask_product"},
        timestamp=TS,
    ),
    ActionExecuted(action_name="utter_ask_product", policy="RulePolicy", confidence=1.0, timestamp=TS),
    SlotSet(key="product", value="沪深300", timestamp=TS),
    ActiveLoop(name="redeem_form", timestamp=TS),
    LoopInterrupted(is_interrupted=True, timestamp=TS),
    FollowupAction(name="action_handoff", timestamp=TS),
    Restarted(timestamp=TS),
    SessionStarted(timestamp=TS),
    ConversationPaused(timestamp=TS),
    ConversationResumed(timestamp=TS),
    AllSlotsReset(timestamp=TS),
    UserUtteranceReverted(timestamp=TS),
    ActionReverted(timestamp=TS),
    ReminderScheduled(
        intent="EXTERNAL_remind_payment",
        trigger_date_time="2024-03-01T09:00:00+08:00",
        name="pay_reminder",
        entities=[{"entity": "amount", "value": "1000"}],
        kill_on_user_msg=False,
        timestamp=TS,
    ),
    ReminderCancelled(name="pay_reminder", intent="EXTERNAL_remind_payment", timestamp=TS),
    ActionExecutionRejected(action_name="redeem_form", policy="FormPolicy", confidence=0.9, timestamp=TS),
    EntitiesAdded(entities=[{"entity": "product", "value": "沪深300"}], timestamp=TS),
    HandoffRequested(reason="low_confidence", summary={"intents": ["redeem"], "turns": 3}, timestamp=TS),
    RiskDecision(hook="suitability", decision="block", reason="risk_mismatch", rule="R3", timestamp=TS),
    UserFeaturization(use_text_for_featurization=True, timestamp=TS),
]


def test_events_cover_every_event_type() -> None:
    assert {type(e).type_name for e in EVERY_EVENT} == set(EVENT_TYPES)


@pytest.mark.parametrize("event", EVERY_EVENT, ids=[type(e).type_name for e in EVERY_EVENT])
def test_event_round_trips_through_rasa_json(event: Event) -> None:
    data = event.to_dict()
    assert data["event"] == type(event).type_name
    assert data["timestamp"] == TS
    text = json.dumps(data, ensure_ascii=False)  # the dict must be JSON, not just Python
    assert event_from_dict(json.loads(text)) == event


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (SlotSet("amount", "5万", timestamp=TS), {"event": "slot", "name": "amount", "value": "5万"}),
        (
            ActionExecuted("action_listen", policy=None, confidence=None, timestamp=TS),
            {"event": "action", "name": "action_listen", "policy": None, "confidence": None},
        ),
        (ActiveLoop(None, timestamp=TS), {"event": "active_loop", "name": None}),
        (FollowupAction("utter_greet", timestamp=TS), {"event": "followup", "name": "utter_greet"}),
        (
            ActionExecutionRejected("redeem_form", timestamp=TS),
            {"event": "action_execution_rejected", "name": "redeem_form"},
        ),
        (UserUtteranceReverted(timestamp=TS), {"event": "rewind", "metadata": {}}),
    ],
    ids=["slot", "action", "active-loop-off", "followup", "rejected", "rewind"],
)
def test_event_to_dict_uses_rasa_keys(event: Event, expected: dict[str, Any]) -> None:
    data = event.to_dict()
    for key, value in expected.items():
        assert data[key] == value
    assert data["timestamp"] == TS


def test_user_uttered_exposes_intent_and_entities() -> None:
    event = UserUttered(text="我要赎回五万", parse_data=PARSE_DATA, timestamp=TS)
    assert event.intent_name == "redeem"
    assert event.intent["confidence"] == pytest.approx(0.97)
    assert [e["entity"] for e in event.entities] == ["amount"]
    data = event.to_dict()
    assert data["parse_data"]["intent"]["name"] == "redeem"
    assert data["text"] == "我要赎回五万"


def test_user_uttered_reads_rasa2_top_level_intent() -> None:
    event = event_from_dict(
        {
            "event": "user",
            "text": "你好",
            "intent": {"name": "greet", "confidence": 1.0},
            "entities": [{"entity": "name", "value": "张三"}],
            "timestamp": TS,
        }
    )
    assert isinstance(event, UserUttered)
    assert event.intent_name == "greet"
    assert event.entities == [{"entity": "name", "value": "张三"}]


def test_event_from_dict_reads_rasa2_form_event_as_active_loop() -> None:
    event = event_from_dict({"event": "form", "name": "redeem_form", "timestamp": TS})
    assert event == ActiveLoop("redeem_form", timestamp=TS)


def test_event_from_dict_unknown_type_raises() -> None:
    with pytest.raises(UnknownEventError) as info:
        event_from_dict({"event": "teleport", "timestamp": TS})
    assert isinstance(info.value, DialogueError) and isinstance(info.value, ValueError)
    with pytest.raises(UnknownEventError):
        event_from_dict({"timestamp": TS})


def test_event_from_dict_ignores_unknown_keys_and_nulls() -> None:
    event = event_from_dict(
        {"event": "action", "name": "utter_greet", "policy": None, "hide_rule_turn": False, "timestamp": TS}
    )
    assert event == ActionExecuted("utter_greet", timestamp=TS)


def test_events_are_frozen() -> None:
    event = SlotSet("amount", "5万", timestamp=TS)
    with pytest.raises(AttributeError):
        event.value = "6万"  # type: ignore[misc]


# A conversation as Rasa 3.x writes it (GET /conversations/{id}/tracker), trimmed by hand:
# the session start, a form that collects two slots, a confirmation and a pause.
RASA3_DUMP_JSON = r"""
[
  {
    "event": "action",
    "timestamp": 1700000000.1,
    "metadata": {"model_id": "4f2a"},
    "name": "action_session_start",
    "policy": null,
    "confidence": 1.0,
    "action_text": null,
    "hide_rule_turn": false
  },
  {"event": "session_started", "timestamp": 1700000000.2, "metadata": {"model_id": "4f2a"}},
  {
    "event": "action",
    "timestamp": 1700000000.3,
    "metadata": {"model_id": "4f2a"},
    "name": "action_listen",
    "policy": null,
    "confidence": null,
    "action_text": null,
    "hide_rule_turn": false
  },
  {
    "event": "user",
    "timestamp": 1700000005.0,
    "metadata": {"model_id": "4f2a"},
    "text": "我想赎回五万块沪深300",
    "parse_data": {
      "intent": {"name": "redeem", "confidence": 0.97},
      "entities": [
        {
          "entity": "amount",
          "start": 4,
          "end": 7,
          "value": "50000",
          "extractor": "RegexEntityExtractor"
        },
        {
          "entity": "product",
          "start": 7,
          "end": 12,
          "value": "沪深300",
          "extractor": "CRFEntityExtractor",
          "confidence_entity": 0.93
        }
      ],
      "text": "我想赎回五万块沪深300",
      "message_id": "a1",
      "metadata": {},
      "intent_ranking": [
        {"name": "redeem", "confidence": 0.97},
        {"name": "purchase", "confidence": 0.02}
      ]
    },
    "input_channel": "rest",
    "message_id": "a1"
  },
  {
    "event": "action",
    "timestamp": 1700000005.1,
    "metadata": {"model_id": "4f2a"},
    "name": "redeem_form",
    "policy": "RulePolicy",
    "confidence": 1.0,
    "action_text": null,
    "hide_rule_turn": true
  },
  {"event": "active_loop", "timestamp": 1700000005.2, "metadata": {}, "name": "redeem_form"},
  {"event": "slot", "timestamp": 1700000005.3, "metadata": {}, "name": "amount", "value": "50000"},
  {"event": "slot", "timestamp": 1700000005.4, "metadata": {}, "name": "product", "value": "沪深300"},
  {
    "event": "slot",
    "timestamp": 1700000005.5,
    "metadata": {},
    "name": "requested_slot",
    "value": "bank_card"
  },
  {
    "event": "bot",
    "timestamp": 1700000005.6,
    "metadata": {"utter_action": "utter_ask_bank_card"},
    "text": "请问赎回到哪张银行卡？",
    "data": {
      "elements": null,
      "quick_replies": null,
      "buttons": [{"title": "尾号1234", "payload": "/inform{\"bank_card\": \"1234\"}"}],
      "attachment": null,
      "image": null,
      "custom": null
    }
  },
  {
    "event": "action",
    "timestamp": 1700000005.7,
    "metadata": {},
    "name": "action_listen",
    "policy": "RulePolicy",
    "confidence": 1.0,
    "action_text": null,
    "hide_rule_turn": true
  },
  {
    "event": "user",
    "timestamp": 1700000010.0,
    "metadata": {},
    "text": "尾号1234那张",
    "parse_data": {
      "intent": {"name": "inform", "confidence": 0.88},
      "entities": [{"entity": "bank_card", "start": 2, "end": 6, "value": "1234"}],
      "text": "尾号1234那张",
      "message_id": "a2",
      "metadata": {}
    },
    "input_channel": "rest",
    "message_id": "a2"
  },
  {
    "event": "action",
    "timestamp": 1700000010.1,
    "metadata": {},
    "name": "redeem_form",
    "policy": "RulePolicy",
    "confidence": 1.0,
    "action_text": null,
    "hide_rule_turn": true
  },
  {"event": "slot", "timestamp": 1700000010.2, "metadata": {}, "name": "bank_card", "value": "1234"},
  {"event": "slot", "timestamp": 1700000010.3, "metadata": {}, "name": "requested_slot", "value": null},
  {"event": "active_loop", "timestamp": 1700000010.4, "metadata": {}, "name": null},
  {
    "event": "action",
    "timestamp": 1700000010.5,
    "metadata": {},
    "name": "utter_confirm_redeem",
    "policy": "RulePolicy",
    "confidence": 1.0,
    "action_text": null,
    "hide_rule_turn": false
  },
  {
    "event": "bot",
    "timestamp": 1700000010.6,
    "metadata": {"utter_action": "utter_confirm_redeem"},
    "text": "请确认：赎回沪深300，金额50000。",
    "data": {
      "elements": null,
      "quick_replies": null,
      "buttons": null,
      "attachment": null,
      "image": null,
      "custom": null
    }
  },
  {
    "event": "action",
    "timestamp": 1700000010.7,
    "metadata": {},
    "name": "action_handoff",
    "policy": "FallbackPolicy",
    "confidence": 0.3,
    "action_text": null,
    "hide_rule_turn": false
  },
  {"event": "pause", "timestamp": 1700000010.8, "metadata": {}},
  {
    "event": "action",
    "timestamp": 1700000010.9,
    "metadata": {},
    "name": "action_listen",
    "policy": "RulePolicy",
    "confidence": 1.0,
    "action_text": null,
    "hide_rule_turn": false
  }
]
"""
RASA3_DUMP: list[dict[str, Any]] = json.loads(RASA3_DUMP_JSON)


def test_rasa3_tracker_dump_replays_into_tracker_state() -> None:
    tracker = DialogueStateTracker.from_dict("user-7", RASA3_DUMP, {"requested_slot": None})
    assert len(tracker.events) == len(RASA3_DUMP)
    assert tracker.slots == {
        "requested_slot": None,
        "amount": "50000",
        "product": "沪深300",
        "bank_card": "1234",
    }
    assert tracker.latest_message is not None and tracker.latest_message.intent_name == "inform"
    assert tracker.latest_message.input_channel == "rest"
    assert tracker.latest_action_name == "action_listen"
    assert tracker.active_loop_name is None
    assert tracker.is_paused
    assert tracker.latest_bot_utterance is not None
    assert tracker.latest_bot_utterance.data["buttons"] is None
    assert tracker.latest_bot_utterance.metadata["utter_action"] == "utter_confirm_redeem"


def test_rasa3_tracker_dump_round_trips_event_by_event() -> None:
    for raw in RASA3_DUMP:
        event = event_from_dict(copy.deepcopy(raw))
        again = event.to_dict()
        assert event_from_dict(again) == event
        # every key Rasa wrote survives, except Rasa-internal ones we do not model
        for key, value in raw.items():
            if key in ("hide_rule_turn",):
                continue
            if key == "parse_data":
                assert {k: again["parse_data"][k] for k in value} == value
            else:
                assert again[key] == value, (raw["event"], key)


def test_rasa3_tracker_dump_current_state_matches_rasa_shape() -> None:
    tracker = DialogueStateTracker.from_dict("user-7", RASA3_DUMP)
    state = tracker.current_state()
    assert state["sender_id"] == "user-7"
    assert state["latest_message"]["intent"]["name"] == "inform"
    assert state["latest_message"]["text"] == "尾号1234那张"
    assert state["latest_event_time"] == pytest.approx(1700000010.9)
    assert state["paused"] is True and state["active_loop"] == {}
    assert state["latest_input_channel"] == "rest"
    rebuilt = DialogueStateTracker.from_dict("user-7", json.loads(json.dumps(state["events"])))
    assert rebuilt.events == tracker.events


def test_reminder_reads_rasa_date_time_key() -> None:
    raw = {
        "event": "reminder",
        "intent": "EXTERNAL_remind",
        "date_time": "2024-03-01T09:00:00+08:00",
        "name": "r1",
    }
    event = event_from_dict(raw)
    assert isinstance(event, ReminderScheduled)
    assert event.trigger_date_time == "2024-03-01T09:00:00+08:00"
    assert event.to_dict()["date_time"] == "2024-03-01T09:00:00+08:00"


def test_rasa3_dump_with_user_featurization_event_loads() -> None:
    raw = {
        "event": "user_featurization",
        "timestamp": TS,
        "metadata": {},
        "use_text_for_featurization": False,
    }
    event_from_dict(raw)
