"""``Tracker``, ``Action`` and ``ActionExecutionRejection`` with rasa-sdk's API.

The tracker here is the read-only JSON view an action server gets (``current_state()``),
not the engine's :class:`dialogue.tracker.DialogueStateTracker`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dialogue.sdk.types import DomainDict, EventType, TrackerState

if TYPE_CHECKING:
    from dialogue.sdk.executor import CollectingDispatcher

__all__ = ["Action", "ActionExecutionRejection", "Tracker"]

NLU_FALLBACK_INTENT = "nlu_fallback"
# rasa-sdk's placeholder for "no loop" in old trackers
_NO_LOOP = "should_not_be_set"


class Tracker:
    """The conversation state as an action sees it (rasa-sdk's ``Tracker``)."""

    @classmethod
    def from_dict(cls, state: TrackerState | dict[str, Any]) -> Tracker:
        """Build from a tracker dump (``current_state()`` JSON)."""
        return cls(
            state["sender_id"],
            dict(state.get("slots") or {}),
            dict(state.get("latest_message") or {}),
            list(state.get("events") or []),
            bool(state.get("paused", False)),
            state.get("followup_action"),
            dict(state.get("active_loop") or state.get("active_form") or {}),
            state.get("latest_action_name"),
            list(state.get("stack") or []),
            state.get("user_id"),
        )

    def __init__(
        self,
        sender_id: str,
        slots: dict[str, Any],
        latest_message: dict[str, Any] | None,
        events: list[EventType],
        paused: bool,
        followup_action: str | None,
        active_loop: dict[str, Any],
        latest_action_name: str | None,
        stack: list[dict[str, Any]] | None = None,
        user_id: str | None = None,
    ) -> None:
        self.sender_id = sender_id
        self.slots = slots
        self.latest_message = latest_message or {}
        self.events = events
        self._paused = paused
        self.followup_action = followup_action
        self.active_loop = active_loop
        self.latest_action_name = latest_action_name
        self.stack = stack or []
        self.user_id = user_id

    def current_state(self) -> dict[str, Any]:
        """The tracker as JSON, the way it was received."""
        return {
            "sender_id": self.sender_id,
            "slots": self.slots,
            "latest_message": self.latest_message,
            "latest_event_time": self.events[-1].get("timestamp") if self.events else None,
            "paused": self.is_paused(),
            "events": self.events,
            "latest_input_channel": self.get_latest_input_channel(),
            "active_loop": self.active_loop,
            "latest_action_name": self.latest_action_name,
            "stack": self.stack,
            "user_id": self.user_id,
        }

    def current_slot_values(self) -> dict[str, Any]:
        """All slot values."""
        return self.slots

    def get_slot(self, key: str) -> Any:
        """The value of slot ``key``, or ``None`` when unset or unknown."""
        return self.slots.get(key)

    def get_latest_entity_values(
        self, entity_type: str, entity_role: str | None = None, entity_group: str | None = None
    ) -> Iterator[Any]:
        """Values of ``entity_type`` (with exactly this role and group) in the latest message."""
        return (
            entity.get("value")
            for entity in self.latest_message.get("entities") or []
            if entity.get("entity") == entity_type
            and entity.get("role") == entity_role
            and entity.get("group") == entity_group
        )

    def get_latest_input_channel(self) -> str | None:
        """The input channel of the latest user message."""
        for event in reversed(self.events):
            if event.get("event") == "user":
                return event.get("input_channel")
        return None

    def is_paused(self) -> bool:
        """Whether a human has taken over the conversation."""
        return self._paused

    def idx_after_latest_restart(self) -> int:
        """Index of the first event after the latest restart (0 without restart)."""
        restarts = [i for i, event in enumerate(self.events) if event.get("event") == "restart"]
        return restarts[-1] + 1 if restarts else 0

    def events_after_latest_restart(self) -> list[EventType]:
        """Events after the latest restart."""
        return list(self.events)[self.idx_after_latest_restart() :]

    @property
    def active_loop_name(self) -> str | None:
        """Name of the active loop (form), or ``None``."""
        name = self.active_loop.get("name") if self.active_loop else None
        return None if name == _NO_LOOP else name

    def copy(self) -> Tracker:
        """A deep copy."""
        return Tracker.from_dict(
            copy.deepcopy(self.current_state()) | {"followup_action": self.followup_action}
        )

    def last_executed_action_has(self, name: str, skip: int = 0) -> bool:
        """Whether the latest executed action (skipping ``skip`` of them) is ``name``."""
        last = self.get_last_event_for("action", exclude=["action_listen"], skip=skip)
        return last is not None and last.get("name") == name

    def get_last_event_for(
        self, event_type: str, exclude: list[str] | None = None, skip: int = 0
    ) -> EventType | None:
        """The latest event of ``event_type`` whose name is not in ``exclude``, skipping ``skip``."""
        excluded = set(exclude or [])
        found = [
            event
            for event in reversed(self.applied_events())
            if event.get("event") == event_type and event.get("name") not in excluded
        ]
        return found[skip] if len(found) > skip else None

    def applied_events(self) -> list[EventType]:
        """Events that still count: after the last restart, with rewinds and undos applied."""
        applied: list[EventType] = []
        for event in self.events:
            kind = event.get("event")
            if kind == "restart":
                applied = []
            elif kind == "undo":
                _drop_back_to(applied, "action")
            elif kind == "rewind":
                # a user message always follows an action_listen: drop both
                _drop_back_to(applied, "user")
                _drop_back_to(applied, "action")
            else:
                applied.append(event)
        return applied

    def slots_to_validate(self) -> dict[str, Any]:
        """Slot candidates: the ``slot`` events at the very end of the event list."""
        candidates: list[EventType] = []
        for event in reversed(self.events):
            if event.get("event") != "slot":
                break
            candidates.append(event)
        return {event["name"]: event.get("value") for event in reversed(candidates)}

    def add_slots(self, slots: list[EventType]) -> None:
        """Apply ``slot`` events to ``slots`` and append them to ``events``."""
        for event in slots:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event.get("value")
                self.events.append(event)

    def get_intent_of_latest_message(self, skip_fallback_intent: bool = True) -> str | None:
        """The top intent of the latest message (the runner-up if the top is ``nlu_fallback``)."""
        ranking = self.latest_message.get("intent_ranking") or []
        if not ranking:
            return None
        if ranking[0].get("name") == NLU_FALLBACK_INTENT and skip_fallback_intent:
            return ranking[1].get("name") if len(ranking) > 1 else None
        return ranking[0].get("name")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tracker) and (other.sender_id, other.events) == (self.sender_id, self.events)

    __hash__ = None  # type: ignore[assignment]


def _drop_back_to(applied: list[EventType], kind: str) -> None:
    """Remove events from the end back to and including the latest one of ``kind``."""
    while applied:
        if applied.pop().get("event") == kind:
            return


class Action:
    """A custom action, written exactly as for rasa-sdk."""

    def name(self) -> str:
        """The action's name as used in the domain."""
        raise NotImplementedError("An action must implement a name")

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Do the work; ``run`` may also be a plain (sync) method in subclasses.

        Args:
            dispatcher: collects messages for the user (``dispatcher.utter_message``).
            tracker: the conversation so far.
            domain: the bot's domain as JSON.

        Returns:
            Event dicts (``SlotSet(...)`` and friends).
        """
        raise NotImplementedError("An action must implement its run method")

    def __str__(self) -> str:
        return f"Action('{self.name()}')"


class ActionExecutionRejection(Exception):
    """Raised by an action (usually a form validator) that refuses to run now."""

    def __init__(self, action_name: str, message: str | None = None) -> None:
        self.action_name = action_name
        self.message = message or f"Custom action '{action_name}' rejected execution."
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
