"""A small Chinese domain, an NLG and tracker helpers for the action tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dialogue.domain import Domain
from dialogue.events import ActionExecuted, Event, UserUttered
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.tracker import DialogueStateTracker

DOMAIN_YAML = """
version: "3.1"
intents: [greet, redeem, product_nav, human_handoff, affirm]
entities: [amount, product_name]
slots:
  amount:
    type: float
    mappings: [{type: from_entity, entity: amount}]
  product_name:
    type: text
    mappings: [{type: from_entity, entity: product_name}]
  risk_level:
    type: categorical
    values: [低, 中, 高]
    initial_value: 低
    mappings: [{type: custom}]
responses:
  utter_greet:
    - text: 您好，请问有什么可以帮您？
  utter_redeem_done:
    - text: 已为您赎回{amount}元。
  utter_risk:
    - condition: [{type: slot, name: risk_level, value: 高}]
      text: 该产品风险较高，请谨慎投资。
    - text: 该产品风险适中。
  utter_intent_redeem:
    - text: 赎回基金
  utter_intent_product_nav:
    - text: 查询产品净值
forms:
  redeem_form:
    required_slots: [amount, product_name]
actions: [action_check_balance]
session_config:
  session_expiration_time: 60
  carry_over_slots_to_new_session: true
"""


def _user(
    text: str,
    intent: str,
    confidence: float = 0.9,
    ranking: list[tuple[str, float]] | None = None,
    **extra: Any,
) -> UserUttered:
    pairs = ranking or [(intent, confidence)]
    parse_data = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": name, "confidence": score} for name, score in pairs],
        "entities": extra.pop("entities", []),
        **extra,
    }
    return UserUttered(text=text, parse_data=parse_data, input_channel="rest")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_yaml(DOMAIN_YAML)


@pytest.fixture
def nlg(domain: Domain) -> NaturalLanguageGenerator:
    return NaturalLanguageGenerator(domain, deterministic=True)


@pytest.fixture
def make_user() -> Callable[..., UserUttered]:
    """``make_user(text, intent, confidence=0.9, ranking=[(intent, score), ...], **parse_data)``."""
    return _user


@pytest.fixture
def make_tracker(domain: Domain) -> Callable[..., DialogueStateTracker]:
    """``make_tracker(*events, sender_id="user-1")``: a tracker that listened, then saw ``events``."""

    def build(*events: Event, sender_id: str = "user-1") -> DialogueStateTracker:
        tracker = DialogueStateTracker(sender_id, domain.slot_defaults())
        tracker.update(ActionExecuted(action_name="action_listen"))
        tracker.update_many(events)
        return tracker

    return build
