"""``action_summarize_conversation``: the structured conversation summary for an agent or a call record."""

from __future__ import annotations

from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, DomainDict, SlotSet, Tracker
from knowledge.summarize.conversation import summarize_conversation

__all__ = ["ACTIONS", "SUMMARY_SLOT", "ActionSummarizeConversation"]

SUMMARY_SLOT = "conversation_summary"


class ActionSummarizeConversation(Action):
    """Puts the summary in a custom payload (``{"conversation_summary": {...}}``), and in the
    ``conversation_summary`` slot when the domain has one.

    Args:
        key_utterances: how many user utterances the summary keeps.
    """

    def __init__(self, key_utterances: int = 3) -> None:
        self.key_utterances = key_utterances

    def name(self) -> str:
        return "action_summarize_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        summary = summarize_conversation(tracker, _intent_names(domain), self.key_utterances).to_dict()
        dispatcher.utter_message(json_message={SUMMARY_SLOT: summary})
        return [SlotSet(SUMMARY_SLOT, summary)] if SUMMARY_SLOT in (domain.get("slots") or {}) else []


def _intent_names(domain: DomainDict) -> dict[str, str]:
    """Display names from the domain's ``utter_intent_<name>`` responses (first text variant)."""
    names: dict[str, str] = {}
    for key, variants in (domain.get("responses") or {}).items():
        if (
            key.startswith("utter_intent_")
            and variants
            and isinstance(variants[0], dict)
            and variants[0].get("text")
        ):
            names[key.removeprefix("utter_intent_")] = str(variants[0]["text"])
    return names


ACTIONS: list[type[Action]] = [ActionSummarizeConversation]
