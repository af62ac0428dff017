"""What a policy sees: the conversation as a list of states, one before each bot action.

A state holds the latest user intent and entity names, the previous action, the
featurized slots and the active loop. Training traces and live trackers go through the
same function, so what a policy learns from stories is what it sees at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from dialogue.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from dialogue.tracker import DialogueStateTracker
from dialogue.training.steps import ANY_VALUE

if TYPE_CHECKING:
    from dialogue.domain import Domain

__all__ = [
    "SET",
    "State",
    "event_states",
    "featurize_slot",
    "initial_slots",
    "training_pairs",
    "tracker_states",
]

SET = "set"  # a featurized slot that holds a value whose exact value does not matter
OTHER = "__other__"  # a categorical slot holding a value the domain does not list


@dataclass(frozen=True)
class State:
    """The conversation just before a bot action.

    ``user_turns`` (how many user messages so far) is bookkeeping for rules with
    ``conversation_start`` and does not take part in equality.
    """

    prev_action: str | None
    intent: str | None = None
    entities: tuple[str, ...] = ()
    slots: tuple[tuple[str, str], ...] = ()
    active_loop: str | None = None
    user_turns: int = field(default=0, compare=False)

    def only_slots(self, names: frozenset[str]) -> State:
        """This state keeping only the slots in ``names``."""
        return replace(self, slots=tuple((k, v) for k, v in self.slots if k in names))

    def to_list(self) -> list[Any]:
        """JSON-friendly form (``from_list`` reads it back)."""
        return [
            self.prev_action,
            self.intent,
            list(self.entities),
            [list(s) for s in self.slots],
            self.active_loop,
        ]

    @classmethod
    def from_list(cls, data: list[Any]) -> State:
        prev_action, intent, entities, slots, loop = data
        return cls(prev_action, intent, tuple(entities), tuple((k, v) for k, v in slots), loop)


def featurize_slot(domain: Domain | None, name: str, value: Any) -> str | None:
    """A slot value as policies compare it: by the slot's type, ``None`` when unset.

    Text, list and any slots only tell whether they are set; bools give ``true``/``false``;
    categorical slots give their (lower-cased) value or ``__other__``; floats are clamped
    to the slot's range and rounded.
    """
    if value is None or value == [] or value == "":
        return None
    spec = domain.slots.get(name) if domain is not None else None
    slot_type = str(getattr(getattr(spec, "type", None), "value", "")) if spec is not None else ""
    if value == ANY_VALUE:
        return "true" if slot_type == "bool" else SET
    if slot_type in ("text", "list", "any"):
        return SET
    if slot_type == "bool":
        if isinstance(value, str):
            return "false" if value.strip().lower() in ("false", "0", "no", "off") else "true"
        return "true" if value else "false"
    if slot_type == "categorical":
        allowed = {str(v).lower() for v in getattr(spec, "values", [])}
        text = str(value).lower()
        return text if text in allowed else OTHER
    if slot_type == "float":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return SET
        low, high = float(getattr(spec, "min_value", 0.0)), float(getattr(spec, "max_value", 1.0))
        return str(round(min(max(number, low), high), 2))
    return str(value) if isinstance(value, str | int | float | bool) else SET


def initial_slots(domain: Domain | None) -> dict[str, Any]:
    """Each domain slot's ``initial_value`` (slots without one are left out)."""
    if domain is None:
        return {}
    return {name: spec.initial_value for name, spec in domain.slots.items() if spec.initial_value is not None}


def event_states(
    events: Iterable[Event], domain: Domain | None, start_slots: Mapping[str, Any] | None = None
) -> list[State]:
    """States before each ``ActionExecuted`` in ``events``, plus the state after the last event.

    A ``session_started`` event starts the list afresh (the session's own history only).
    """
    states: list[State] = []
    slots: dict[str, Any] = dict(start_slots or {})
    prev_action: str | None = None
    intent: str | None = None
    entities: tuple[str, ...] = ()
    loop: str | None = None
    user_turns = 0

    def snapshot() -> State:
        featurized = ((k, featurize_slot(domain, k, v)) for k, v in sorted(slots.items()))
        slot_items = tuple((k, v) for k, v in featurized if v is not None)
        return State(prev_action, intent, entities, slot_items, loop, user_turns)

    for event in events:
        if isinstance(event, ActionExecuted) and event.action_name:
            states.append(snapshot())
            prev_action = event.action_name
        elif isinstance(event, UserUttered):
            intent = event.intent_name
            entities = tuple(sorted({str(e.get("entity")) for e in event.entities if e.get("entity")}))
            user_turns += 1
        elif isinstance(event, SlotSet):
            slots[event.key] = event.value
        elif isinstance(event, ActiveLoop):
            loop = event.name
        elif isinstance(event, AllSlotsReset):
            slots = dict(start_slots or {})
        elif isinstance(event, SessionStarted):
            states, slots, prev_action, intent, entities, loop, user_turns = [], {}, None, None, (), None, 0
    states.append(snapshot())
    return states


# Every policy of the ensemble asks for the same states each turn; events only grow, so the
# event count identifies a tracker's state.
_STATES_CACHE: WeakKeyDictionary[DialogueStateTracker, tuple[int, int, list[State]]] = WeakKeyDictionary()


def tracker_states(tracker: DialogueStateTracker, domain: Domain | None) -> list[State]:
    """``event_states`` of the tracker's applied events (restarts, rewinds and undos honoured)."""
    key = (len(tracker.events), id(domain))
    cached = _STATES_CACHE.get(tracker)
    if cached is not None and cached[:2] == key:
        return list(cached[2])
    states = event_states(tracker.applied_events(), domain, tracker.initial_slots)
    _STATES_CACHE[tracker] = (*key, states)
    return list(states)


def training_pairs(
    events: Iterable[Event], domain: Domain | None, start_slots: Mapping[str, Any] | None = None
) -> list[tuple[list[State], str, int]]:
    """``(states up to the action, action name, index of its event)`` for each action in ``events``."""
    event_list = list(events)
    states = event_states(event_list, domain, start_slots)
    action_indices = [i for i, e in enumerate(event_list) if isinstance(e, ActionExecuted) and e.action_name]
    if any(isinstance(e, SessionStarted) for e in event_list):
        raise ValueError("training traces must not contain session_started events")
    return [
        (states[: n + 1], event_list[index].action_name, index)  # type: ignore[attr-defined]
        for n, index in enumerate(action_indices)
    ]
