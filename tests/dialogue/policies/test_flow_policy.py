"""FlowPolicy: an outbound activation call script driven turn by turn (Chinese utterances)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dialogue.domain import Domain
from dialogue.errors import StoryError
from dialogue.events import ActionExecuted, Event, SlotSet, UserUttered
from dialogue.flows import FLOW_STACK_SLOT, parse_flows
from dialogue.policies.base import Policy
from dialogue.policies.flow_policy import FlowPolicy
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

DOMAIN = Domain.from_yaml(
    """
intents: [start_call, affirm, deny, ask_is_robot, inform, redeem]
entities: [date, amount]
slots:
  identity_confirmed:
    type: bool
    mappings:
      - type: from_intent
        intent: affirm
        value: true
      - type: from_intent
        intent: deny
        value: false
  interested:
    type: bool
    mappings:
      - type: from_intent
        intent: affirm
        value: true
      - type: from_intent
        intent: deny
        value: false
  callback_date:
    type: text
    mappings:
      - type: from_entity
        entity: date
  amount:
    type: float
    mappings:
      - type: from_entity
        entity: amount
  intention_grade:
    type: categorical
    values: [A, B, C, D]
    mappings:
      - type: custom
responses:
  utter_confirm_identity:
    - text: 您好，请问是张先生本人吗？
  utter_wrong_person:
    - text: 不好意思打扰您了，再见。
  utter_activation_intro:
    - text: 您的账户有一项权益待激活，激活后可使用理财功能。
  utter_ask_interested:
    - text: 现在帮您激活可以吗？
  utter_activation_done:
    - text: 好的，已为您登记，稍后短信发送激活链接。
  utter_ask_callback_date:
    - text: 您看哪天方便我们再联系您？
  utter_callback_booked:
    - text: 好的，我们{callback_date}再联系您。
  utter_ask_is_robot:
    - text: 我是智能语音助手。
  utter_ask_amount:
    - text: 请问赎回多少？
  utter_large_amount_notice:
    - text: 大额赎回需要您再次确认。
""",
    "domain.yml",
)

FLOWS = """\
flows:
  activation_call:
    description: 外呼提醒客户激活账户权益
    trigger:
      intents: [start_call]
    steps:
      - id: confirm_identity
        collect: identity_confirmed
        ask: utter_confirm_identity
        next:
          - if: "intent == 'affirm'"
            then: introduce
          - else: wrong_person
      - id: wrong_person
        action: utter_wrong_person
        next: END
      - id: introduce
        action: utter_activation_intro
      - id: ask_interest
        collect: interested
        next:
          - if: "slots.interested == true"
            then: activated
          - else: book_callback
      - id: activated
        set_slots:
          - intention_grade: A
      - id: done
        action: utter_activation_done
        next: END
      - id: book_callback
        link: callback
  callback:
    steps:
      - collect: callback_date
        reset_after_flow_ends: false
      - action: utter_callback_booked
      - set_slots:
          - intention_grade: B
  robot_question:
    trigger:
      intents: [ask_is_robot]
    steps:
      - action: utter_ask_is_robot
  redeem_flow:
    trigger:
      intents: [redeem]
    steps:
      - collect: amount
        next:
          - if: "slots.amount > 10000 and intent == 'redeem'"
            then: large
          - else: END
      - id: large
        action: utter_large_amount_notice
"""


def user(text: str, intent: str, **entities: Any) -> UserUttered:
    parsed = [{"entity": name, "value": value} for name, value in entities.items()]
    return UserUttered(text, parse_data={"intent": {"name": intent, "confidence": 0.95}, "entities": parsed})


class Call:
    """Plays the processor: user turns in, FlowPolicy predictions out, events applied."""

    def __init__(self, policy: FlowPolicy | None = None) -> None:
        self.policy = policy or FlowPolicy(parse_flows(FLOWS, "flows.yml"))
        self.tracker = DialogueStateTracker("call-1", DOMAIN.slot_defaults(), [ActionExecuted(ACTION_LISTEN)])

    def say(self, text: str, intent: str, **entities: Any) -> list[str]:
        """The user speaks; returns the bot's actions up to and including action_listen."""
        self.tracker.update(user(text, intent, **entities))
        actions: list[str] = []
        for _ in range(10):
            prediction = self.policy.predict(self.tracker, DOMAIN)
            assert prediction.action is not None, f"no prediction after {actions}"
            assert (prediction.confidence, prediction.policy) == (1.0, "FlowPolicy")
            self.tracker.update_many(prediction.events)
            self.tracker.update(ActionExecuted(prediction.action, policy=prediction.policy))
            actions.append(prediction.action)
            if prediction.action == ACTION_LISTEN:
                return actions
        raise AssertionError(f"no action_listen after {actions}")

    @property
    def stack(self) -> list[dict[str, Any]]:
        return list(self.tracker.get_slot(FLOW_STACK_SLOT) or [])


def test_flow_policy_is_a_policy_with_priority_6() -> None:
    policy = FlowPolicy()
    assert isinstance(policy, Policy) and (policy.name, policy.priority) == ("FlowPolicy", 6)


def test_flow_policy_abstains_without_trigger_or_running_flow() -> None:
    call = Call()
    call.tracker.update(user("你好", "inform"))
    prediction = call.policy.predict(call.tracker, DOMAIN)
    assert (prediction.action, prediction.events) == (None, ())


def test_activation_call_affirm_path() -> None:
    call = Call()
    assert call.say("/start_call", "start_call") == ["utter_confirm_identity", ACTION_LISTEN]
    assert call.stack == [
        {"flow": "activation_call", "step": "confirm_identity", "asked": True, "attempts": 0}
    ]
    assert call.say("是我", "affirm") == ["utter_activation_intro", "utter_ask_interested", ACTION_LISTEN]
    assert call.tracker.get_slot("identity_confirmed") is True
    assert call.say("好的，激活吧", "affirm") == ["utter_activation_done", ACTION_LISTEN]
    assert call.tracker.get_slot("intention_grade") == "A"
    assert call.stack == []
    # collected slots reset when the flow ends
    assert call.tracker.get_slot("identity_confirmed") is None and call.tracker.get_slot("interested") is None


def test_activation_call_branches_on_intent() -> None:
    call = Call()
    call.say("/start_call", "start_call")
    assert call.say("不是，你打错了", "deny") == ["utter_wrong_person", ACTION_LISTEN]
    assert call.stack == []


def test_activation_call_links_into_callback_flow() -> None:
    call = Call()
    call.say("/start_call", "start_call")
    call.say("是我", "affirm")
    assert call.say("现在不方便", "deny") == ["utter_ask_callback_date", ACTION_LISTEN]
    assert [frame["flow"] for frame in call.stack] == ["callback"]  # link replaces the frame
    assert call.tracker.get_slot("identity_confirmed") is None  # the linked-from flow ended
    assert call.say("下周三下午吧", "inform", date="下周三") == ["utter_callback_booked", ACTION_LISTEN]
    assert call.tracker.get_slot("intention_grade") == "B"
    assert call.tracker.get_slot("callback_date") == "下周三"  # reset_after_flow_ends: false
    assert call.stack == []


def test_collect_reasks_once_then_falls_back() -> None:
    call = Call()
    call.say("/start_call", "start_call")
    call.say("是我", "affirm")
    call.say("现在不方便", "deny")
    assert call.say("嗯", "inform") == ["utter_ask_callback_date", ACTION_LISTEN]
    assert call.stack[-1]["attempts"] == 1
    call.tracker.update(user("嗯嗯", "inform"))
    prediction = call.policy.predict(call.tracker, DOMAIN)
    assert prediction.action == "action_default_ask_rephrase"
    call.tracker.update_many(prediction.events)
    assert call.stack == []
    # every flow is dropped: after the fallback the policy leaves the floor to the others
    call.tracker.update(ActionExecuted("action_default_ask_rephrase"))
    assert call.policy.predict(call.tracker, DOMAIN).action is None


def test_other_flow_interrupts_and_question_is_asked_again() -> None:
    call = Call()
    call.say("/start_call", "start_call")
    assert call.say("你是机器人吗", "ask_is_robot") == [
        "utter_ask_is_robot",
        "utter_confirm_identity",
        ACTION_LISTEN,
    ]
    assert [frame["flow"] for frame in call.stack] == ["activation_call"]
    assert call.say("是我", "affirm")[0] == "utter_activation_intro"


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        ({"amount": 50000.0}, ["utter_large_amount_notice", ACTION_LISTEN]),
        ({"amount": 3000.0}, [ACTION_LISTEN]),
    ],
    ids=["large", "small"],
)
def test_trigger_message_fills_collect_slot(entities: dict[str, Any], expected: list[str]) -> None:
    call = Call()
    assert call.say("我要赎回", "redeem", **entities) == expected
    assert call.stack == [] and call.tracker.get_slot("amount") is None


def test_flow_state_survives_restart_from_events(tmp_path: Path) -> None:
    call = Call()
    call.say("/start_call", "start_call")
    call.say("是我", "affirm")
    dumped = [event.to_dict() for event in call.tracker.events]
    call.policy.persist(tmp_path)
    restored = Call(FlowPolicy.load(tmp_path))
    restored.tracker = DialogueStateTracker.from_dict("call-1", dumped, DOMAIN.slot_defaults())
    assert restored.stack == call.stack
    assert restored.say("好的", "affirm") == ["utter_activation_done", ACTION_LISTEN]


def test_prediction_events_carry_the_stack() -> None:
    call = Call()
    call.tracker.update(user("/start_call", "start_call"))
    prediction = call.policy.predict(call.tracker, DOMAIN)
    stack_events: list[Event] = [
        e for e in prediction.events if isinstance(e, SlotSet) and e.key == FLOW_STACK_SLOT
    ]
    assert len(stack_events) == 1 and stack_events[0].value[0]["flow"] == "activation_call"


def test_train_checks_flows_against_domain() -> None:
    policy = FlowPolicy(parse_flows(FLOWS.replace("collect: amount", "collect: amout"), "flows.yml"))
    with pytest.raises(StoryError, match="FLW008"):
        policy.train(None, DOMAIN)  # type: ignore[arg-type]
    FlowPolicy(parse_flows(FLOWS)).train(None, DOMAIN)  # type: ignore[arg-type]


def test_set_slots_loop_is_stopped() -> None:
    loop = "flows:\n  f:\n    trigger:\n      intents: [inform]\n    steps:\n      - id: a\n"
    loop += "        set_slots:\n          - amount: 1\n        next: a\n"
    call = Call(FlowPolicy(parse_flows(loop, "flows.yml")))
    with pytest.raises(StoryError, match="FLW201"):
        call.say("嗯", "inform")
