"""Policy states: one per bot action, slots featurized by type."""

from __future__ import annotations

import pytest

from dialogue.domain import Domain
from dialogue.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from dialogue.policies.state import SET, State, event_states, featurize_slot

DOMAIN = """
version: "3.1"
intents: [greet]
slots:
  note: {type: text, mappings: [{type: custom}]}
  agreed: {type: bool, mappings: [{type: custom}]}
  risk: {type: categorical, values: [R1, R2], mappings: [{type: custom}]}
  ratio: {type: float, min_value: 0, max_value: 1, mappings: [{type: custom}]}
"""


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_yaml(DOMAIN)


@pytest.mark.parametrize(
    ("slot", "value", "expected"),
    [
        ("note", "备注", SET),
        ("note", None, None),
        ("agreed", "false", "false"),
        ("agreed", True, "true"),
        ("risk", "r2", "r2"),
        ("risk", "R9", "__other__"),
        ("ratio", 3.7, "1.0"),
    ],
    ids=[
        "text-set",
        "text-unset",
        "bool-string",
        "bool",
        "categorical",
        "categorical-other",
        "float-clamped",
    ],
)
def test_featurize_slot_by_type(domain: Domain, slot: str, value: object, expected: str | None) -> None:
    assert featurize_slot(domain, slot, value) == expected


def test_event_states_one_per_action_and_session_restart(domain: Domain) -> None:
    greet = UserUttered("你好", parse_data={"intent": {"name": "greet"}, "entities": [{"entity": "amount"}]})
    events = [
        ActionExecuted("utter_old"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        greet,
        SlotSet("agreed", True),
        ActionExecuted("utter_greet"),
    ]
    states = event_states(events, domain)
    assert states == [
        State(None),
        State("action_listen", "greet", ("amount",), (("agreed", "true"),)),
        State("utter_greet", "greet", ("amount",), (("agreed", "true"),)),
    ]
    assert states[-1].user_turns == 1
    assert State.from_list(states[-1].to_list()) == states[-1]


def test_state_only_slots_filters() -> None:
    state = State("action_listen", slots=(("a", SET), ("b", "true")))
    assert state.only_slots(frozenset({"b"})).slots == (("b", "true"),)
