"""RulePolicy: rules match the end of the conversation, with conditions and loops."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.events import ActionExecuted, ActionExecutionRejected, ActiveLoop, Event, SlotSet, UserUttered
from dialogue.policies.rules import RulePolicy
from dialogue.tracker import DialogueStateTracker
from dialogue.training import load_stories_text

TOY = Path(__file__).parent / "toy_bot"

RULES = """
rules:
- rule: 说再见
  steps:
  - intent: goodbye
  - action: utter_goodbye
- rule: 开场问候
  conversation_start: true
  steps:
  - intent: greet
  - action: utter_greet
- rule: 贵宾问候
  condition:
  - slot_was_set:
    - vip: true
  steps:
  - intent: greet
  - action: utter_greet_vip
- rule: 赎回不等待
  wait_for_user_input: false
  steps:
  - intent: redeem
  - action: utter_ask_amount
- rule: 表单中闲聊
  condition:
  - active_loop: redeem_form
  steps:
  - intent: chitchat
  - action: utter_chitchat
"""


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(TOY / "domain.yml")


@pytest.fixture(scope="module")
def policy(domain: Domain) -> RulePolicy:
    policy = RulePolicy()
    policy.train(load_stories_text(RULES, "rules.yml"), domain)
    return policy


def user(intent: str) -> UserUttered:
    return UserUttered("……", parse_data={"intent": {"name": intent, "confidence": 0.95}, "entities": []})


def conversation(domain: Domain, *items: str | Event) -> DialogueStateTracker:
    """A tracker from action names and events; ``action_listen`` goes before each user message."""
    tracker = DialogueStateTracker("u1", domain.slot_defaults())
    for item in items:
        if isinstance(item, UserUttered) and tracker.latest_action_name != "action_listen":
            tracker.update(ActionExecuted("action_listen"))
        tracker.update(ActionExecuted(item) if isinstance(item, str) else item)
    return tracker


def test_rule_policy_predicts_rule_action_then_listen(policy: RulePolicy, domain: Domain) -> None:
    tracker = conversation(domain, user("greet"), "utter_greet", user("goodbye"))
    assert policy.predict(tracker, domain).action == "utter_goodbye"
    tracker.update(ActionExecuted("utter_goodbye"))
    prediction = policy.predict(tracker, domain)
    assert (prediction.action, prediction.confidence, prediction.policy) == (
        "action_listen",
        1.0,
        "RulePolicy",
    )


def test_rule_policy_conversation_start_only_at_start(policy: RulePolicy, domain: Domain) -> None:
    assert policy.predict(conversation(domain, user("greet")), domain).action == "utter_greet"
    later = conversation(domain, user("goodbye"), "utter_goodbye", user("greet"))
    assert policy.predict(later, domain).action is None


def test_rule_policy_condition_on_slot(policy: RulePolicy, domain: Domain) -> None:
    vip = conversation(domain, SlotSet("vip", True), user("greet"))
    assert policy.predict(vip, domain).action == "utter_greet_vip"
    not_vip = conversation(domain, SlotSet("vip", False), user("greet"))
    assert policy.predict(not_vip, domain).action == "utter_greet"  # the conversation-start rule


def test_rule_policy_wait_for_user_input_false_leaves_next_action_open(
    policy: RulePolicy, domain: Domain
) -> None:
    tracker = conversation(domain, user("redeem"))
    assert policy.predict(tracker, domain).action == "utter_ask_amount"
    tracker.update(ActionExecuted("utter_ask_amount"))
    assert policy.predict(tracker, domain).action is None


def test_rule_policy_leaves_active_form_alone_until_it_rejects(policy: RulePolicy, domain: Domain) -> None:
    tracker = conversation(domain, ActiveLoop("redeem_form"), "redeem_form", user("goodbye"))
    assert policy.predict(tracker, domain).action is None  # the form tries the message first
    tracker.update(ActionExecutionRejected("redeem_form"))
    assert policy.predict(tracker, domain).action == "utter_goodbye"
    tracker.update(ActionExecuted("utter_goodbye"))
    assert policy.predict(tracker, domain).action is None  # the form resumes, not action_listen


def test_rule_policy_rule_about_the_loop_applies_while_active(policy: RulePolicy, domain: Domain) -> None:
    tracker = conversation(domain, ActiveLoop("redeem_form"), "redeem_form", user("chitchat"))
    assert policy.predict(tracker, domain).action == "utter_chitchat"


def test_rule_policy_persist_load_round_trip(policy: RulePolicy, domain: Domain, tmp_path: Path) -> None:
    policy.persist(tmp_path)
    loaded = RulePolicy.load(tmp_path)
    assert loaded.snippets == policy.snippets
    tracker = conversation(domain, SlotSet("vip", True), user("greet"))
    assert loaded.predict(tracker, domain) == policy.predict(tracker, domain)
