"""``action_product_query`` through the dialogue SDK and the engine's in-process adapter."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from dialogue import sdk
from dialogue.actions import SdkActionAdapter
from dialogue.domain import Domain
from dialogue.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.tracker import DialogueStateTracker
from knowledge.kbqa import ACTIONS, ActionProductQuery, ProductQA
from risk_hooks.notices import RISK_NOTICE

DOMAIN_WITH_SLOT = Domain.from_yaml(
    """
version: "3.1"
entities: [product]
slots:
  product: {type: text, mappings: [{type: from_entity, entity: product}]}
  product_code: {type: text, mappings: [{type: custom}]}
  customer_risk_level: {type: text, mappings: [{type: custom}]}
"""
)


def _sdk_tracker(
    text: str, entities: list[dict[str, Any]] | None = None, slots: dict | None = None
) -> sdk.Tracker:
    return sdk.Tracker(
        "u1", slots or {}, {"text": text, "entities": entities or []}, [], False, None, {}, None
    )


def _run(action: ActionProductQuery, tracker: sdk.Tracker, domain: dict) -> tuple[list[dict], list[dict]]:
    dispatcher = sdk.CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


@pytest.fixture(scope="module")
def action(qa: ProductQA) -> ActionProductQuery:
    return ActionProductQuery(qa)


def test_actions_lists_the_product_query_action() -> None:
    assert ACTIONS == [ActionProductQuery]
    assert ActionProductQuery().name() == "action_product_query"  # constructible with no arguments


def test_action_answers_and_sets_product_code(action: ActionProductQuery) -> None:
    messages, events = _run(action, _sdk_tracker("稳享A风险高吗"), {"slots": {"product_code": {}}})
    assert "R1" in messages[0]["text"] and RISK_NOTICE in messages[0]["text"]
    assert events == [sdk.SlotSet("product_code", "970001")]


def test_action_sets_no_slot_the_domain_lacks(action: ActionProductQuery) -> None:
    _, events = _run(action, _sdk_tracker("稳享A风险高吗"), {"slots": {}})
    assert events == []


def test_action_sets_no_slot_for_a_comparison(action: ActionProductQuery) -> None:
    _, events = _run(action, _sdk_tracker("稳享A和成长混合哪个费率低"), {"slots": {"product_code": {}}})
    assert events == []


@pytest.mark.parametrize(
    ("entities", "slots"),
    [([{"entity": "product", "value": "日日盈"}], {}), ([], {"product": "日日盈"})],
    ids=["entity", "slot"],
)
def test_action_uses_the_product_entity_or_slot(
    action: ActionProductQuery, entities: list, slots: dict
) -> None:
    messages, events = _run(
        action, _sdk_tracker("它的费率呢", entities, slots), {"slots": {"product_code": {}}}
    )
    assert "恒信日日盈货币" in messages[0]["text"]
    assert events == [sdk.SlotSet("product_code", "970101")]


def test_action_caps_lists_at_the_customer_risk_slot(action: ActionProductQuery) -> None:
    messages, _ = _run(action, _sdk_tracker("有哪些混合基金", slots={"customer_risk_level": "C3"}), {})
    assert "C3" in messages[0]["text"] and "瑞丰成长混合A" not in messages[0]["text"]


def test_action_answers_no_answer_on_an_empty_message(action: ActionProductQuery) -> None:
    messages, events = _run(action, _sdk_tracker(""), {"slots": {"product_code": {}}})
    assert "哪只产品" in messages[0]["text"] and events == []


def test_action_runs_in_the_dialogue_engine(action: ActionProductQuery) -> None:
    tracker = DialogueStateTracker("u1", DOMAIN_WITH_SLOT.slot_defaults())
    tracker.update_many(
        [ActionExecuted(action_name="action_listen"), UserUttered(text="970001起购多少", parse_data={})]
    )
    nlg = NaturalLanguageGenerator(DOMAIN_WITH_SLOT, deterministic=True)
    events = asyncio.run(SdkActionAdapter(action).run(tracker, DOMAIN_WITH_SLOT, nlg))
    texts = [e.text for e in events if isinstance(e, BotUttered)]
    assert len(texts) == 1 and "1元" in texts[0]
    assert [(e.key, e.value) for e in events if isinstance(e, SlotSet)] == [("product_code", "970001")]
