from __future__ import annotations

from dialogue import sdk
from dialogue.events import ActionExecuted, SlotSet, UserUttered
from dialogue.tracker import DialogueStateTracker


def _state() -> dict:
    tracker = DialogueStateTracker("user-1", {"amount": None})
    tracker.update_many(
        [
            ActionExecuted(action_name="action_listen"),
            UserUttered(
                text="从招行卡转五万到建行卡",
                parse_data={
                    "intent": {"name": "nlu_fallback", "confidence": 0.3},
                    "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "transfer"}],
                    "entities": [
                        {"entity": "bank", "value": "招行", "role": "from"},
                        {"entity": "bank", "value": "建行", "role": "to"},
                        {"entity": "amount", "value": 50000},
                    ],
                },
                input_channel="wechat",
            ),
            ActionExecuted(action_name="transfer_form"),
            SlotSet(key="amount", value=50000),
        ]
    )
    return tracker.current_state()


def test_tracker_reads_engine_tracker_state() -> None:
    tracker = sdk.Tracker.from_dict(_state())
    assert tracker.sender_id == "user-1"
    assert tracker.get_slot("amount") == 50000
    assert tracker.get_slot("unknown") is None
    assert tracker.get_latest_input_channel() == "wechat"
    assert tracker.latest_action_name == "transfer_form"
    assert tracker.active_loop_name is None
    assert not tracker.is_paused()


def test_tracker_entity_values_respect_roles() -> None:
    tracker = sdk.Tracker.from_dict(_state())
    assert list(tracker.get_latest_entity_values("bank", entity_role="to")) == ["建行"]
    assert list(tracker.get_latest_entity_values("bank")) == []  # no role given: only role-less ones
    assert next(tracker.get_latest_entity_values("amount"), None) == 50000


def test_tracker_intent_skips_nlu_fallback() -> None:
    tracker = sdk.Tracker.from_dict(_state())
    assert tracker.get_intent_of_latest_message() == "transfer"
    assert tracker.get_intent_of_latest_message(skip_fallback_intent=False) == "nlu_fallback"


def test_tracker_slots_to_validate_are_trailing_slot_events() -> None:
    tracker = sdk.Tracker.from_dict(_state())
    assert tracker.slots_to_validate() == {"amount": 50000}
    tracker.add_slots([sdk.SlotSet("bank", "建行")])
    assert tracker.slots_to_validate() == {"amount": 50000, "bank": "建行"}


def test_tracker_applied_events_honour_rewind() -> None:
    state = _state()
    state["events"].append(sdk.UserUtteranceReverted())
    tracker = sdk.Tracker.from_dict(state)
    kinds = [e["event"] for e in tracker.applied_events()]
    assert kinds == []  # the rewind drops the user turn and the listen before it
    assert tracker.last_executed_action_has("transfer_form") is False


def test_tracker_copy_is_independent() -> None:
    tracker = sdk.Tracker.from_dict(_state())
    clone = tracker.copy()
    clone.slots["amount"] = 1
    assert tracker.get_slot("amount") == 50000 and clone == tracker
