"""The conversation state, derived entirely from its append-only list of events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dialogue.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
    event_from_dict,
)

__all__ = ["ACTION_LISTEN", "DialogueStateTracker", "Turn"]

ACTION_LISTEN = "action_listen"


@dataclass(frozen=True)
class Turn:
    """One user message and the bot actions that answered it (a story step)."""

    intent: str | None
    entities: tuple[str, ...]
    actions: tuple[str, ...]
    slots: Mapping[str, Any] = field(default_factory=dict)
    active_loop: str | None = None


class DialogueStateTracker:
    """Replays events into the current state of one conversation.

    ``events`` only ever grows; ``rewind``/``undo``/``restart`` are events too, and the
    derived state (slots, latest message, active loop, pause) honours them.
    """

    def __init__(
        self,
        sender_id: str,
        initial_slots: Mapping[str, Any] | None = None,
        events: Iterable[Event] = (),
    ) -> None:
        self.sender_id = sender_id
        self.initial_slots: dict[str, Any] = dict(initial_slots or {})
        self.events: list[Event] = []
        self._reset_state()
        for event in events:
            self.update(event)

    def _reset_state(self) -> None:
        self.slots: dict[str, Any] = dict(self.initial_slots)
        self.latest_message: UserUttered | None = None
        self.latest_action_name: str | None = None
        self.latest_bot_utterance: BotUttered | None = None
        self.active_loop_name: str | None = None
        self.followup_action: str | None = None
        self.is_paused = False

    def update(self, event: Event) -> None:
        """Append ``event`` and apply it to the derived state."""
        self.events.append(event)
        if isinstance(event, UserUtteranceReverted | ActionReverted):
            self._replay()
        else:
            self._apply(event)

    def update_many(self, events: Iterable[Event]) -> None:
        for event in events:
            self.update(event)

    def _apply(self, event: Event) -> None:
        if isinstance(event, UserUttered):
            self.latest_message = event
        elif isinstance(event, BotUttered):
            self.latest_bot_utterance = event
        elif isinstance(event, ActionExecuted):
            self.latest_action_name = event.action_name
            if self.followup_action == event.action_name:
                self.followup_action = None
        elif isinstance(event, SlotSet):
            self.slots[event.key] = event.value
        elif isinstance(event, ActiveLoop):
            self.active_loop_name = event.name
        elif isinstance(event, FollowupAction):
            self.followup_action = event.name
        elif isinstance(event, AllSlotsReset):
            self.slots = dict(self.initial_slots)
        elif isinstance(event, ConversationPaused):
            self.is_paused = True
        elif isinstance(event, ConversationResumed):
            self.is_paused = False
        elif isinstance(event, Restarted):
            self._reset_state()
        elif isinstance(event, SessionStarted):
            paused = self.is_paused  # a new session keeps slots only if the domain says so
            self._reset_state()
            self.is_paused = paused

    def _replay(self) -> None:
        self._reset_state()
        for event in self.applied_events():
            self._apply(event)

    def applied_events(self) -> list[Event]:
        """Events that still count: after the last restart or session start, with rewinds
        and undos applied (Rasa's semantics)."""
        applied: list[Event] = []
        for event in self.events:
            if isinstance(event, Restarted | SessionStarted):
                applied = []
            elif isinstance(event, UserUtteranceReverted):
                _drop_back_to(applied, UserUttered)
            elif isinstance(event, ActionReverted):
                _drop_back_to(applied, ActionExecuted, keep_listen=True)
            else:
                applied.append(event)
        return applied

    def get_slot(self, name: str) -> Any:
        return self.slots.get(name)

    def turns(self) -> list[Turn]:
        """The conversation as story steps: each user message and the actions after it.

        Actions before the first user message (session start, greetings) form a turn
        with intent ``None``.
        """
        turns: list[Turn] = []
        intent: str | None = None
        entities: tuple[str, ...] = ()
        actions: list[str] = []
        slots: dict[str, Any] = dict(self.initial_slots)
        loop: str | None = None
        for event in self.applied_events():
            if isinstance(event, UserUttered):
                if intent is not None or actions:
                    turns.append(Turn(intent, entities, tuple(actions), dict(slots), loop))
                intent = event.intent_name
                entities = tuple(sorted({str(e.get("entity")) for e in event.entities}))
                actions = []
            elif isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN:
                actions.append(event.action_name)
            elif isinstance(event, SlotSet):
                slots[event.key] = event.value
            elif isinstance(event, ActiveLoop):
                loop = event.name
        if intent is not None or actions:
            turns.append(Turn(intent, entities, tuple(actions), dict(slots), loop))
        return turns

    def current_state(self) -> dict[str, Any]:
        """Rasa's tracker JSON (``GET /conversations/{id}/tracker``)."""
        latest = self.latest_message
        return {
            "sender_id": self.sender_id,
            "slots": dict(self.slots),
            "latest_message": latest.to_dict()["parse_data"] | {"text": latest.text} if latest else {},
            "latest_event_time": self.events[-1].timestamp if self.events else None,
            "followup_action": self.followup_action,
            "paused": self.is_paused,
            "events": [e.to_dict() for e in self.events],
            "latest_input_channel": latest.input_channel if latest else None,
            "active_loop": {"name": self.active_loop_name} if self.active_loop_name else {},
            "latest_action_name": self.latest_action_name,
        }

    @classmethod
    def from_dict(
        cls, sender_id: str, events: list[dict[str, Any]], initial_slots: Mapping[str, Any] | None = None
    ) -> DialogueStateTracker:
        """Rebuild from a list of Rasa event dicts (a tracker dump)."""
        return cls(sender_id, initial_slots, [event_from_dict(e) for e in events])


def _drop_back_to(applied: list[Event], kind: type[Event], keep_listen: bool = False) -> None:
    """Remove events from the end back to and including the last event of ``kind``."""
    while applied:
        event = applied.pop()
        if isinstance(event, kind):
            if keep_listen and isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN:
                continue
            return
