"""The built-in actions every bot has (``action_listen``, ``action_restart``, ...).

Each may be overridden per bot: a response named like its ``utter_*`` (``utter_default``,
``utter_restart``, ``utter_back``, ``utter_clarify``, ``utter_handoff``) replaces the built-in
Chinese text, and a custom action of the same name replaces the action (see the registry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dialogue.actions.base import Action
from dialogue.actions.responses import render
from dialogue.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    Event,
    HandoffRequested,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from dialogue.tracker import ACTION_LISTEN
from nlu.message import NEGATIVE_EMOTIONS

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.nlg import NaturalLanguageGenerator
    from dialogue.tracker import DialogueStateTracker

__all__ = [
    "BUILTIN_ACTIONS",
    "BackAction",
    "ClarifyAction",
    "DeactivateLoopAction",
    "DefaultFallbackAction",
    "HandoffAction",
    "ListenAction",
    "NoOpAction",
    "RephraseAction",
    "RestartAction",
    "SessionStartAction",
    "handoff_summary",
]

REQUESTED_SLOT = "requested_slot"
NLU_FALLBACK_INTENT = "nlu_fallback"
FALLBACK_TEXT = "抱歉，我没有理解您的意思，可以换个说法吗？"
CLARIFY_TEXT = "您是想问以下哪个问题呢？"
HANDOFF_TEXT = "正在为您转接人工客服，请稍候。"
REPHRASE_TEXT = "抱歉，我没太明白，您能换个说法再说一遍吗？"
# utterances kept in a handoff summary, most recent last
HANDOFF_SUMMARY_TURNS = 10
_LOW_CONFIDENCE_ACTIONS = frozenset(
    {"action_clarify", "action_default_fallback", "action_default_ask_rephrase"}
)


def _say(
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    responses: str | tuple[str, ...],
    default: str,
) -> BotUttered:
    """The first of the domain's ``responses`` that fits, else the built-in ``default`` text."""
    for name in (responses,) if isinstance(responses, str) else responses:
        uttered = render(nlg, name, tracker)
        if uttered is not None:
            return uttered
    return BotUttered(text=default)


class _Builtin(Action):
    """A built-in action; subclasses set ``action_name``."""

    action_name = ""

    def name(self) -> str:
        return self.action_name


class ListenAction(_Builtin):
    """``action_listen``: wait for the user (no events)."""

    action_name = "action_listen"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        return []


class NoOpAction(_Builtin):
    """A built-in that does nothing here (``action_unlikely_intent``; ``action_extract_slots``,
    since the processor extracts slots after every user message itself)."""

    def __init__(self, name: str) -> None:
        self.action_name = name

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        return []


class RestartAction(_Builtin):
    """``action_restart``: optional ``utter_restart``, then forget the conversation."""

    action_name = "action_restart"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        uttered = render(nlg, "utter_restart", tracker) if "utter_restart" in domain.responses else None
        return [*([uttered] if uttered else []), Restarted()]


class SessionStartAction(_Builtin):
    """``action_session_start``: ``SessionStarted`` plus the slots carried over, if the domain says so.

    The processor appends ``action_listen`` after it.
    """

    action_name = "action_session_start"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        events: list[Event] = [SessionStarted()]
        if domain.session_config.carry_over_slots_to_new_session:
            initial = domain.slot_defaults()
            events += [
                SlotSet(key=name, value=value)
                for name, value in tracker.slots.items()
                if name != REQUESTED_SLOT and value != initial.get(name, tracker.initial_slots.get(name))
            ]
        return events


class DefaultFallbackAction(_Builtin):
    """``action_default_fallback``: apologise and forget the message it could not handle."""

    action_name = "action_default_fallback"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        return [_say(nlg, tracker, "utter_default", FALLBACK_TEXT), UserUtteranceReverted()]


class RephraseAction(_Builtin):
    """``action_default_ask_rephrase``: ask the user to say it differently."""

    action_name = "action_default_ask_rephrase"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        return [_say(nlg, tracker, "utter_ask_rephrase", REPHRASE_TEXT)]


class ClarifyAction(_Builtin):
    """``action_clarify``: offer the two most likely intents of the latest message as buttons.

    A button's title is the text of the response ``utter_intent_<intent>`` (the intent's name
    otherwise) and its payload ``/<intent>``. Also serves Rasa's two-stage fallback names.
    """

    action_name = "action_clarify"

    def __init__(self, name: str = "action_clarify") -> None:
        self.action_name = name

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        intents = _top_intents(tracker.latest_message, 2)
        if not intents:
            return [_say(nlg, tracker, "utter_default", FALLBACK_TEXT)]
        buttons = [
            {"title": self._title(intent, tracker, domain, nlg), "payload": f"/{intent}"}
            for intent in intents
        ]
        prompt = _say(nlg, tracker, "utter_clarify", CLARIFY_TEXT)
        return [
            BotUttered(text=prompt.text, data={**prompt.data, "buttons": buttons}, metadata=prompt.metadata)
        ]

    @staticmethod
    def _title(
        intent: str, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> str:
        response = f"utter_intent_{intent}"
        uttered = render(nlg, response, tracker) if response in domain.responses else None
        return uttered.text if uttered is not None and uttered.text else intent


def _top_intents(message: UserUttered | None, count: int) -> list[str]:
    """The ``count`` best-ranked intents of ``message``, ``nlu_fallback`` left out."""
    if message is None:
        return []
    ranking = list(message.parse_data.get("intent_ranking") or []) or [message.intent]
    names: list[str] = []
    for entry in ranking:
        name = entry.get("name") if isinstance(entry, dict) else None
        if name and name != NLU_FALLBACK_INTENT and name not in names:
            names.append(str(name))
    return names[:count]


class HandoffAction(_Builtin):
    """``action_handoff``: tell the user, pause the bot and hand a summary to a human agent.

    The reason is ``low_confidence`` right after a clarify/fallback turn, ``requested``
    otherwise.
    """

    action_name = "action_handoff"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        reason = "low_confidence" if _previous_action(tracker) in _LOW_CONFIDENCE_ACTIONS else "requested"
        return [
            _say(nlg, tracker, ("utter_handoff", "utter_human_handoff"), HANDOFF_TEXT),
            ConversationPaused(),
            HandoffRequested(reason=reason, summary=handoff_summary(tracker)),
        ]


def _previous_action(tracker: DialogueStateTracker) -> str | None:
    """The latest action other than ``action_listen`` (the bot's answer to the previous turn)."""
    for event in reversed(tracker.applied_events()):
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN:
            return event.action_name
    return None


def handoff_summary(tracker: DialogueStateTracker) -> dict[str, Any]:
    """What a human agent needs: recent utterances, intents so far, filled slots, emotion."""
    applied = tracker.applied_events()
    turns = [
        {"speaker": "user" if isinstance(e, UserUttered) else "bot", "text": e.text}
        for e in applied
        if isinstance(e, UserUttered | BotUttered) and e.text
    ]
    summary: dict[str, Any] = {
        "sender_id": tracker.sender_id,
        "turns": turns[-HANDOFF_SUMMARY_TURNS:],
        "intents": [e.intent_name for e in applied if isinstance(e, UserUttered) and e.intent_name],
        "slots": {name: value for name, value in tracker.slots.items() if value is not None},
    }
    label = _summary_emotion([e for e in applied if isinstance(e, UserUttered)])
    if label:
        summary["emotion"] = label
    return summary


def _summary_emotion(messages: list[UserUttered]) -> str | None:
    """The emotion an agent should know about: the most intense negative one of the conversation
    (an angry complaint followed by "好的" is still an angry customer), else the latest one."""
    found: list[tuple[str, float]] = []
    for message in messages:
        emotion = message.parse_data.get("emotion")
        if isinstance(emotion, dict) and emotion.get("label"):
            found.append((str(emotion["label"]), float(emotion.get("intensity") or 0.0)))
        elif isinstance(emotion, str) and emotion:
            found.append((emotion, 0.0))
    negative = [item for item in found if item[0] in NEGATIVE_EMOTIONS]
    if negative:
        return max(reversed(negative), key=lambda item: item[1])[0]
    return found[-1][0] if found else None


class BackAction(_Builtin):
    """``action_back``: optional ``utter_back``, then undo the last user turn (and this one)."""

    action_name = "action_back"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        uttered = render(nlg, "utter_back", tracker) if "utter_back" in domain.responses else None
        return [*([uttered] if uttered else []), UserUtteranceReverted(), UserUtteranceReverted()]


class DeactivateLoopAction(_Builtin):
    """``action_deactivate_loop``: end the active form and clear ``requested_slot``."""

    action_name = "action_deactivate_loop"

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        return [ActiveLoop(name=None), SlotSet(key=REQUESTED_SLOT, value=None)]


BUILTIN_ACTIONS: dict[str, Action] = {
    action.name(): action
    for action in (
        ListenAction(),
        RestartAction(),
        SessionStartAction(),
        DefaultFallbackAction(),
        RephraseAction(),
        ClarifyAction(),
        ClarifyAction("action_default_ask_affirmation"),
        ClarifyAction("action_two_stage_fallback"),
        HandoffAction(),
        BackAction(),
        DeactivateLoopAction(),
        NoOpAction("action_unlikely_intent"),
        NoOpAction("action_extract_slots"),
    )
}
"""One shared instance per built-in (they hold no state); ``action_revert_fallback_events`` is
not supported and reported as unknown by the registry."""
