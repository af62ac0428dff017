"""FormPolicy: keeps the active form running, steps aside after a rejection."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogue.domain import Domain
from dialogue.events import ActionExecuted, ActionExecutionRejected, ActiveLoop, Event, UserUttered
from dialogue.policies.base import Policy
from dialogue.policies.form_policy import FormPolicy
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

DOMAIN = Domain.from_yaml(
    """
intents: [redeem, arrival_time]
slots:
  amount:
    type: float
    mappings:
      - type: from_entity
        entity: amount
entities: [amount]
forms:
  redeem_form:
    required_slots: [amount]
responses:
  utter_ask_amount:
    - text: 请问赎回多少？
""",
    "domain.yml",
)


def message(text: str, intent: str) -> UserUttered:
    return UserUttered(text, parse_data={"intent": {"name": intent, "confidence": 0.9}, "entities": []})


def tracker(*events: Event) -> DialogueStateTracker:
    return DialogueStateTracker("u1", {}, [ActionExecuted(ACTION_LISTEN), *events])


def predict(*events: Event) -> str | None:
    return FormPolicy().predict(tracker(*events), DOMAIN).action


def test_form_policy_is_a_policy_with_priority_4() -> None:
    policy = FormPolicy()
    assert isinstance(policy, Policy)
    assert (policy.name, policy.priority) == ("FormPolicy", 4)


def test_form_policy_abstains_without_active_loop() -> None:
    prediction = FormPolicy().predict(tracker(message("你好", "greet")), DOMAIN)
    assert (prediction.action, prediction.confidence) == (None, 0.0)


def test_form_policy_predicts_form_after_user_message() -> None:
    events = [message("我要赎回", "redeem"), ActionExecuted("redeem_form"), ActiveLoop("redeem_form")]
    prediction = FormPolicy().predict(
        tracker(*events, ActionExecuted(ACTION_LISTEN), message("五万", "inform")), DOMAIN
    )
    assert (prediction.action, prediction.confidence, prediction.policy) == ("redeem_form", 1.0, "FormPolicy")


def test_form_policy_listens_right_after_form_ran() -> None:
    assert predict(
        message("我要赎回", "redeem"), ActionExecuted("redeem_form"), ActiveLoop("redeem_form")
    ) == (ACTION_LISTEN)


@pytest.mark.parametrize("answer", ["utter_arrival_time", "action_check_balance"], ids=["response", "custom"])
def test_form_policy_resumes_form_after_digression(answer: str) -> None:
    events = [message("我要赎回", "redeem"), ActionExecuted("redeem_form"), ActiveLoop("redeem_form")]
    events += [ActionExecuted(ACTION_LISTEN), message("赎回多久到账", "arrival_time"), ActionExecuted(answer)]
    assert predict(*events) == "redeem_form"


def test_form_policy_abstains_after_rejection() -> None:
    events = [message("我要赎回", "redeem"), ActionExecuted("redeem_form"), ActiveLoop("redeem_form")]
    events += [ActionExecuted(ACTION_LISTEN), message("赎回多久到账", "arrival_time")]
    assert predict(*events, ActionExecutionRejected("redeem_form")) is None
    # once another action answered, the form resumes
    assert (
        predict(*events, ActionExecutionRejected("redeem_form"), ActionExecuted("utter_x")) == "redeem_form"
    )


def test_form_policy_persist_and_load(tmp_path: Path) -> None:
    FormPolicy().persist(tmp_path)
    loaded = FormPolicy.load(tmp_path)
    assert isinstance(loaded, FormPolicy) and loaded.priority == 4
