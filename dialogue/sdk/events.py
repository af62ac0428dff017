"""Event helpers with rasa-sdk's names and signatures, returning Rasa event dicts.

``SlotSet("amount", 5000)`` gives ``{"event": "slot", "timestamp": None, "name": "amount",
"value": 5000}``, the same dict ``rasa_sdk.events.SlotSet`` gives, so action code written for
rasa-sdk runs unchanged against :mod:`dialogue.sdk`.
"""

# ruff: noqa: N802  -- the names are rasa-sdk's public API
from __future__ import annotations

import datetime
from typing import Any

from dialogue.sdk.types import EventType

__all__ = [
    "ActionExecuted",
    "ActionExecutionRejected",
    "ActionReverted",
    "ActiveLoop",
    "AllSlotsReset",
    "BotUttered",
    "ConversationPaused",
    "ConversationResumed",
    "FollowupAction",
    "LoopInterrupted",
    "ReminderCancelled",
    "ReminderScheduled",
    "Restarted",
    "SessionStarted",
    "SlotSet",
    "UserUttered",
    "UserUtteranceReverted",
]


def _event(event: str, timestamp: float | None, **fields: Any) -> EventType:
    return {"event": event, "timestamp": timestamp, **fields}


def UserUttered(
    text: str | None,
    parse_data: dict[str, Any] | None = None,
    timestamp: float | None = None,
    input_channel: str | None = None,
) -> EventType:
    """The user said ``text``."""
    return _event("user", timestamp, text=text, parse_data=parse_data, input_channel=input_channel)


def BotUttered(
    text: str | None = None,
    data: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    timestamp: float | None = None,
) -> EventType:
    """The bot said ``text`` (``data`` holds buttons, image, custom payloads)."""
    return _event("bot", timestamp, text=text, data=data, metadata=metadata)


def SlotSet(key: str, value: Any = None, timestamp: float | None = None) -> EventType:
    """Set slot ``key`` to ``value``."""
    return _event("slot", timestamp, name=key, value=value)


def Restarted(timestamp: float | None = None) -> EventType:
    """Forget the whole conversation."""
    return _event("restart", timestamp)


def SessionStarted(timestamp: float | None = None) -> EventType:
    """Start a new session."""
    return _event("session_started", timestamp)


def UserUtteranceReverted(timestamp: float | None = None) -> EventType:
    """Undo back to and including the last user message."""
    return _event("rewind", timestamp)


def AllSlotsReset(timestamp: float | None = None) -> EventType:
    """Reset every slot to its initial value."""
    return _event("reset_slots", timestamp)


def ReminderScheduled(
    intent_name: str,
    trigger_date_time: datetime.datetime,
    entities: list[dict[str, Any]] | dict[str, str] | None = None,
    name: str | None = None,
    kill_on_user_message: bool = True,
    timestamp: float | None = None,
) -> EventType:
    """Trigger ``intent_name`` at ``trigger_date_time``."""
    return _event(
        "reminder",
        timestamp,
        intent=intent_name,
        entities=entities,
        date_time=trigger_date_time.isoformat(),
        name=name,
        kill_on_user_msg=kill_on_user_message,
    )


def ReminderCancelled(
    name: str | None = None,
    intent_name: str | None = None,
    entities: list[dict[str, Any]] | dict[str, str] | None = None,
    timestamp: float | None = None,
) -> EventType:
    """Cancel reminders matching ``name`` / ``intent_name`` / ``entities``."""
    return _event("cancel_reminder", timestamp, intent=intent_name, entities=entities, name=name)


def ActionReverted(timestamp: float | None = None) -> EventType:
    """Undo the last bot action."""
    return _event("undo", timestamp)


def FollowupAction(name: str, timestamp: float | None = None) -> EventType:
    """Run ``name`` next instead of asking the policies."""
    return _event("followup", timestamp, name=name)


def ConversationPaused(timestamp: float | None = None) -> EventType:
    """Stop the bot from answering (a human takes over)."""
    return _event("pause", timestamp)


def ConversationResumed(timestamp: float | None = None) -> EventType:
    """Let the bot answer again."""
    return _event("resume", timestamp)


def ActionExecuted(
    action_name: str,
    policy: str | None = None,
    confidence: float | None = None,
    timestamp: float | None = None,
) -> EventType:
    """Record that ``action_name`` ran."""
    return _event("action", timestamp, name=action_name, policy=policy, confidence=confidence)


def ActiveLoop(name: str | None, timestamp: float | None = None) -> EventType:
    """Activate the loop (form) ``name``, or deactivate with ``None``."""
    return _event("active_loop", timestamp, name=name)


def LoopInterrupted(is_interrupted: bool, timestamp: float | None = None) -> EventType:
    """Mark the active loop as interrupted (or not)."""
    return _event("loop_interrupted", timestamp, is_interrupted=is_interrupted)


def ActionExecutionRejected(
    action_name: str,
    policy: str | None = None,
    confidence: float | None = None,
    timestamp: float | None = None,
) -> EventType:
    """Record that ``action_name`` refused to run."""
    return _event(
        "action_execution_rejected", timestamp, name=action_name, policy=policy, confidence=confidence
    )
