"""``action_summarize_conversation`` through dialogue.sdk and the engine's adapter."""

from __future__ import annotations

import asyncio

from dialogue import sdk
from dialogue.actions import SdkActionAdapter
from dialogue.domain import Domain
from dialogue.events import BotUttered, SlotSet
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.tracker import DialogueStateTracker
from knowledge.summarize.actions import ACTIONS, SUMMARY_SLOT, ActionSummarizeConversation


def test_action_summarize_puts_summary_in_payload_and_slot(handoff_events: list[dict]) -> None:
    tracker = sdk.Tracker.from_dict({"sender_id": "user-1", "events": handoff_events})
    dispatcher = sdk.CollectingDispatcher()
    domain = {
        "slots": {SUMMARY_SLOT: {"type": "any"}},
        "responses": {"utter_intent_redeem": [{"text": "赎回基金"}]},
    }
    events = asyncio.run(ActionSummarizeConversation().run(dispatcher, tracker, domain))
    summary = dispatcher.messages[0]["custom"][SUMMARY_SLOT]
    assert summary["outcome"] == "handoff"
    assert "赎回基金" in summary["text"]
    assert "13812345678" not in str(summary)
    assert events == [sdk.SlotSet(SUMMARY_SLOT, summary)]


def test_action_summarize_without_slot_sets_nothing(handoff_events: list[dict]) -> None:
    tracker = sdk.Tracker.from_dict({"sender_id": "user-1", "events": handoff_events})
    dispatcher = sdk.CollectingDispatcher()
    assert asyncio.run(ActionSummarizeConversation().run(dispatcher, tracker, {})) == []
    assert dispatcher.messages[0]["custom"][SUMMARY_SLOT]["turns"] == 4


def test_action_summarize_runs_in_the_engine_adapter(handoff_events: list[dict]) -> None:
    domain = Domain.from_yaml(
        'version: "3.1"\nintents: [greet, redeem]\nslots:\n  conversation_summary:\n    type: any\n'
        "    mappings: [{type: custom}]\n"
    )
    tracker = DialogueStateTracker.from_dict("user-1", handoff_events)
    events = asyncio.run(
        SdkActionAdapter(ActionSummarizeConversation()).run(tracker, domain, NaturalLanguageGenerator(domain))
    )
    assert [type(e) for e in events] == [BotUttered, SlotSet]
    assert events[1].value["customer_id"] == "C10086"


def test_actions_list_is_constructible_without_arguments() -> None:
    assert [cls().name() for cls in ACTIONS] == ["action_summarize_conversation"]
