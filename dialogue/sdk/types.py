"""The action-webhook wire format as TypedDicts (mirrors ``rasa_sdk.types``).

Plain dicts cross the webhook boundary only; these types say what they hold.
"""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = ["ActionCall", "ActionResponse", "DomainDict", "EventType", "TrackerState"]

# a Rasa event as JSON: {"event": "slot", "name": ..., "value": ..., "timestamp": ...}
EventType = dict[str, Any]
# the domain as JSON (``Domain.as_dict()``)
DomainDict = dict[str, Any]


class TrackerState(TypedDict, total=False):
    """``DialogueStateTracker.current_state()``: the tracker as sent to actions."""

    sender_id: str
    slots: dict[str, Any]
    latest_message: dict[str, Any]
    latest_event_time: float | None
    followup_action: str | None
    paused: bool
    events: list[EventType]
    latest_input_channel: str | None
    active_loop: dict[str, Any]
    latest_action_name: str | None


class ActionCall(TypedDict):
    """The body Rasa POSTs to an action server's ``/webhook``."""

    next_action: str
    sender_id: str
    tracker: TrackerState
    domain: DomainDict
    version: str


class ActionResponse(TypedDict, total=False):
    """The body an action server answers with: events and messages for the user."""

    events: list[EventType]
    responses: list[dict[str, Any]]
