"""The dialogue action that answers FAQ questions: ``action_answer_faq``.

It reads the latest user message and replies with the FAQ answer (the channel's variant
when there is one), or "您是不是想问" with up to three questions as buttons (a button sends
the standard question back, which then matches directly), or a polite "no answer" with a
button to reach a human.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, DomainDict, EventType, Tracker
from knowledge.faq.model import Channel
from knowledge.faq.retriever import FaqHit, FaqOutcome, FaqResult, FaqRetriever

__all__ = ["ACTIONS", "ActionAnswerFaq"]

SUGGESTION_PROMPT = "您是不是想问："
NO_ANSWER_TEXT = "抱歉，这个问题我暂时没有找到准确的答案。您可以换个说法再问我，或者转人工客服为您解答。"
HANDOFF_TITLE = "转人工客服"
DEFAULT_HANDOFF_PAYLOAD = "/human_handoff"
# input channel names -> the answer variant they get
_CHANNEL_VARIANTS: dict[str, Channel] = {"voice": Channel.VOICE, "phone": Channel.VOICE, "sms": Channel.SMS}


class ActionAnswerFaq(Action):
    """Answer the latest user message from the FAQ.

    Args:
        retriever: the FAQ retriever (default: the shipped FAQ, loaded on first run and cached).
        clock: returns "now" for validity windows (default: the current UTC time).
        handoff_payload: the payload of the "转人工客服" button; None for no button.
        faq_path: the FAQ file to load when no retriever is given (default: the shipped FAQ).
    """

    def __init__(
        self,
        retriever: FaqRetriever | None = None,
        clock: Callable[[], datetime] | None = None,
        handoff_payload: str | None = DEFAULT_HANDOFF_PAYLOAD,
        faq_path: Path | None = None,
    ) -> None:
        self._retriever = retriever
        self._faq_path = faq_path
        self._clock = clock or (lambda: datetime.now(UTC))
        self._handoff_payload = handoff_payload

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reply to the latest user message; returns no events."""
        text = str((tracker.latest_message or {}).get("text") or "")
        # the first run loads the encoder and the FAQ: keep the event loop free meanwhile
        result = await asyncio.to_thread(self._search, text)
        channel = _variant(tracker.get_latest_input_channel())
        if result.outcome is FaqOutcome.ANSWER and result.best is not None:
            self._answer(dispatcher, result.best, channel)
        elif result.outcome is FaqOutcome.SUGGEST:
            buttons = [{"title": h.entry.question, "payload": h.entry.question} for h in result.suggestions]
            custom = {"faq": {"outcome": "suggest", "faq_ids": [h.entry.faq_id for h in result.suggestions]}}
            dispatcher.utter_message(text=SUGGESTION_PROMPT, buttons=buttons, json_message=custom)
        else:
            buttons = (
                [{"title": HANDOFF_TITLE, "payload": self._handoff_payload}] if self._handoff_payload else []
            )
            dispatcher.utter_message(
                text=NO_ANSWER_TEXT, buttons=buttons, json_message={"faq": {"outcome": "no_answer"}}
            )
        return []

    def _search(self, text: str) -> FaqResult:
        if self._retriever is None:
            from knowledge.faq.defaults import DEFAULT_FAQ_PATH, default_retriever

            self._retriever = default_retriever(self._faq_path or DEFAULT_FAQ_PATH)
        return self._retriever.search(text, self._clock())

    @staticmethod
    def _answer(dispatcher: CollectingDispatcher, hit: FaqHit, channel: Channel | None) -> None:
        entry = hit.entry
        buttons = [{"title": b.title, "payload": b.payload} for b in entry.answer.buttons]
        custom: dict[str, Any] = {
            "faq": {"outcome": "answer", "faq_id": entry.faq_id, "score": round(hit.score, 4)},
        }
        if entry.answer.links:
            custom["faq"]["links"] = [{"title": li.title, "url": li.url} for li in entry.answer.links]
        dispatcher.utter_message(text=entry.answer_for(channel), buttons=buttons, json_message=custom)


def _variant(input_channel: str | None) -> Channel | None:
    name = (input_channel or "").lower()
    return next((variant for key, variant in _CHANNEL_VARIANTS.items() if key in name), None)


ACTIONS: list[type[Action]] = [ActionAnswerFaq]
