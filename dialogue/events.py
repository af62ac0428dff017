"""Conversation events: typed, frozen, and serialized in Rasa's JSON shape.

Every change to a conversation is an event appended to its tracker, so a tracker is
rebuilt exactly by replaying its events. ``EVENT_TYPES`` maps Rasa's ``"event"`` names
to classes; a Rasa tracker dump reads back with ``event_from_dict``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from dialogue.errors import UnknownEventError

__all__ = [
    "EVENT_TYPES",
    "ActionExecuted",
    "ActionExecutionRejected",
    "ActionReverted",
    "ActiveLoop",
    "AllSlotsReset",
    "BotUttered",
    "ConversationPaused",
    "ConversationResumed",
    "EntitiesAdded",
    "Event",
    "FollowupAction",
    "HandoffRequested",
    "LoopInterrupted",
    "ReminderCancelled",
    "ReminderScheduled",
    "Restarted",
    "RiskDecision",
    "SessionStarted",
    "SlotSet",
    "UserFeaturization",
    "UserUttered",
    "UserUtteranceReverted",
    "event_from_dict",
]


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class Event:
    """Base of all events; ``type_name`` is Rasa's ``"event"`` value."""

    type_name: ClassVar[str] = ""
    # Rasa's JSON key for each field where it differs from the field name
    _json_names: ClassVar[dict[str, str]] = {}

    timestamp: float = field(default_factory=_now, kw_only=True)
    metadata: dict[str, Any] = field(default_factory=dict, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """Rasa's JSON shape: ``{"event": type_name, ...fields, "timestamp": ...}``."""
        out: dict[str, Any] = {"event": self.type_name}
        for f in fields(self):
            out[self._json_names.get(f.name, f.name)] = getattr(self, f.name)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """Build from Rasa JSON; unknown keys are ignored, missing ones take defaults."""
        reverse = {json: name for name, json in cls._json_names.items()}
        known = {f.name for f in fields(cls)}
        kwargs = {}
        for key, value in data.items():
            name = reverse.get(key, key)
            if name in known and value is not None:
                kwargs[name] = value
        return cls(**kwargs)


@dataclass(frozen=True)
class UserUttered(Event):
    """The user said something; ``parse_data`` is the NLU result (Rasa's shape)."""

    type_name: ClassVar[str] = "user"
    text: str | None = None
    parse_data: dict[str, Any] = field(default_factory=dict)
    input_channel: str | None = None
    message_id: str | None = None

    @property
    def intent(self) -> dict[str, Any]:
        return dict(self.parse_data.get("intent") or {})

    @property
    def intent_name(self) -> str | None:
        return self.intent.get("name")

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.parse_data.get("entities") or [])

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        # Rasa keeps intent and entities at top level of parse_data
        out["parse_data"] = {"intent": self.intent, "entities": self.entities, **self.parse_data}
        return out


@dataclass(frozen=True)
class BotUttered(Event):
    """The bot said something; ``data`` holds buttons, image, custom payloads."""

    type_name: ClassVar[str] = "bot"
    text: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionExecuted(Event):
    """An action ran, chosen by ``policy`` with ``confidence``."""

    type_name: ClassVar[str] = "action"
    _json_names: ClassVar[dict[str, str]] = {"action_name": "name"}
    action_name: str = ""
    policy: str | None = None
    confidence: float | None = None
    action_text: str | None = None


@dataclass(frozen=True)
class SlotSet(Event):
    type_name: ClassVar[str] = "slot"
    _json_names: ClassVar[dict[str, str]] = {"key": "name"}
    key: str = ""
    value: Any = None


@dataclass(frozen=True)
class ActiveLoop(Event):
    """A form/loop became active (``name``) or ended (``None``)."""

    type_name: ClassVar[str] = "active_loop"
    name: str | None = None


@dataclass(frozen=True)
class LoopInterrupted(Event):
    type_name: ClassVar[str] = "loop_interrupted"
    is_interrupted: bool = False


@dataclass(frozen=True)
class FollowupAction(Event):
    type_name: ClassVar[str] = "followup"
    name: str = ""


@dataclass(frozen=True)
class Restarted(Event):
    type_name: ClassVar[str] = "restart"


@dataclass(frozen=True)
class SessionStarted(Event):
    type_name: ClassVar[str] = "session_started"


@dataclass(frozen=True)
class ConversationPaused(Event):
    type_name: ClassVar[str] = "pause"


@dataclass(frozen=True)
class ConversationResumed(Event):
    type_name: ClassVar[str] = "resume"


@dataclass(frozen=True)
class AllSlotsReset(Event):
    type_name: ClassVar[str] = "reset_slots"


@dataclass(frozen=True)
class UserUtteranceReverted(Event):
    """Undo everything back to and including the last user message."""

    type_name: ClassVar[str] = "rewind"


@dataclass(frozen=True)
class ActionReverted(Event):
    """Undo the last bot action."""

    type_name: ClassVar[str] = "undo"


@dataclass(frozen=True)
class ReminderScheduled(Event):
    type_name: ClassVar[str] = "reminder"
    _json_names: ClassVar[dict[str, str]] = {"trigger_date_time": "date_time"}
    intent: str = ""
    trigger_date_time: str = ""
    name: str | None = None
    entities: list[dict[str, Any]] | None = None
    kill_on_user_msg: bool = True


@dataclass(frozen=True)
class ReminderCancelled(Event):
    type_name: ClassVar[str] = "cancel_reminder"
    name: str | None = None
    intent: str | None = None


@dataclass(frozen=True)
class ActionExecutionRejected(Event):
    type_name: ClassVar[str] = "action_execution_rejected"
    _json_names: ClassVar[dict[str, str]] = {"action_name": "name"}
    action_name: str = ""
    policy: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class EntitiesAdded(Event):
    type_name: ClassVar[str] = "entities"
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class UserFeaturization(Event):
    """Rasa 3 writes it after a user message: featurize by text or by intent."""

    type_name: ClassVar[str] = "user_featurization"
    use_text_for_featurization: bool = False


@dataclass(frozen=True)
class HandoffRequested(Event):
    """Ours: the bot paused itself and asked for a human; ``summary`` is for the agent."""

    type_name: ClassVar[str] = "handoff"
    reason: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskDecision(Event):
    """Ours: a risk hook's decision (allow / warn / block / rewrite) with its reason."""

    type_name: ClassVar[str] = "risk_decision"
    hook: str = ""
    decision: str = ""
    reason: str = ""
    rule: str = ""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type_name: cls
    for cls in (
        UserUttered,
        BotUttered,
        ActionExecuted,
        SlotSet,
        ActiveLoop,
        LoopInterrupted,
        FollowupAction,
        Restarted,
        SessionStarted,
        ConversationPaused,
        ConversationResumed,
        AllSlotsReset,
        UserUtteranceReverted,
        ActionReverted,
        ReminderScheduled,
        ReminderCancelled,
        ActionExecutionRejected,
        EntitiesAdded,
        UserFeaturization,
        HandoffRequested,
        RiskDecision,
    )
}
# Rasa 2 wrote "form" for what Rasa 3 calls "active_loop"
_ALIASES = {"form": "active_loop"}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Build an event from Rasa's JSON.

    Raises:
        UnknownEventError: ``data["event"]`` names no known event.
    """
    name = _ALIASES.get(str(data.get("event")), str(data.get("event")))
    if name not in EVENT_TYPES:
        raise UnknownEventError(f"unknown event type {data.get('event')!r}")
    if name == "user":
        data = _normalize_user(data)
    return EVENT_TYPES[name].from_dict(data)


def _normalize_user(data: dict[str, Any]) -> dict[str, Any]:
    """Rasa stores ``intent``/``entities`` in ``parse_data``; older dumps also at top level."""
    parse_data = dict(data.get("parse_data") or {})
    if "intent" not in parse_data and data.get("intent") is not None:
        parse_data["intent"] = data["intent"]
    if "entities" not in parse_data and data.get("entities") is not None:
        parse_data["entities"] = data["entities"]
    return {**data, "parse_data": parse_data}
