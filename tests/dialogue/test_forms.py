"""Forms: activation, extraction, validation, digression, correction, cancel (Chinese utterances)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from dialogue.actions.errors import ActionRejectedError
from dialogue.domain import Domain
from dialogue.errors import DomainError
from dialogue.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)
from dialogue.forms import REQUESTED_SLOT, FormAction, FormValidator, check_validators, extract_slots
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.policies.form_policy import FormPolicy
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

DOMAIN_YAML = """
version: "3.1"
intents: [redeem, inform, arrival_time, deny, stop, affirm, transfer]
entities:
  - amount
  - product
  - account:
      roles: [source, target]
slots:
  product:
    type: text
    mappings:
      - type: from_entity
        entity: product
  amount:
    type: float
    mappings:
      - type: from_entity
        entity: amount
  note:
    type: text
    mappings:
      - type: from_text
        conditions:
          - active_loop: note_form
            requested_slot: note
  confirmed:
    type: bool
    mappings:
      - type: from_intent
        intent: affirm
        value: true
      - type: from_intent
        intent: deny
        value: false
  channel_source:
    type: text
    mappings:
      - type: from_trigger_intent
        intent: redeem
        value: chat
  source_account:
    type: text
    mappings:
      - type: from_entity
        entity: account
        role: source
  target_account:
    type: text
    mappings:
      - type: from_entity
        entity: account
        role: target
forms:
  redeem_form:
    required_slots: [product, amount]
  confirm_form:
    required_slots: [confirmed]
  transfer_form:
    required_slots: [source_account, target_account]
  note_form:
    required_slots: [note]
  trigger_form:
    required_slots: [channel_source, amount]
responses:
  utter_ask_product:
    - text: 请问您要赎回哪只产品？
  utter_ask_redeem_form_amount:
    - text: 请问{product}赎回多少？
  utter_ask_amount:
    - text: 请问金额是多少？
  utter_invalid_amount:
    - text: 赎回金额需在100元到100万元之间。
  utter_ask_confirmed:
    - text: 确认办理吗？
  utter_ask_source_account:
    - text: 从哪个账户转出？
  utter_ask_target_account:
    - text: 转入哪个账户？
  utter_ask_note:
    - text: 请留言。
  utter_arrival_time:
    - text: 赎回款一般1到3个工作日到账。
"""


class AmountValidator(FormValidator):
    """Redemption amounts between 100 and 1,000,000 yuan."""

    def validate_amount(self, value: Any, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
        amount = float(value)
        return {"amount": amount if 100 <= amount <= 1_000_000 else None}


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.from_yaml(DOMAIN_YAML, "domain.yml")


@pytest.fixture(scope="module")
def nlg(domain: Domain) -> NaturalLanguageGenerator:
    return NaturalLanguageGenerator(domain, deterministic=True)


def user(text: str, intent: str, **entities: Any) -> UserUttered:
    """A parsed user message; ``entities`` maps entity name to value (or ``(value, role)``)."""
    parsed = []
    for name, value in entities.items():
        entity, role = (name, None)
        if isinstance(value, tuple):
            value, role = value
        parsed.append({"entity": entity, "value": value, **({"role": role} if role else {})})
    return UserUttered(text, parse_data={"intent": {"name": intent, "confidence": 0.95}, "entities": parsed})


def tracker_with(*events: Event) -> DialogueStateTracker:
    return DialogueStateTracker("u1", {}, [ActionExecuted(ACTION_LISTEN), *events])


def run_action(action: FormAction, tracker: DialogueStateTracker, domain: Domain, nlg: Any) -> list[Event]:
    """Run the form and append its events, as the processor does."""
    events = asyncio.run(action.run(tracker, domain, nlg))
    tracker.update(ActionExecuted(action.name()))
    tracker.update_many(events)
    return events


def texts(events: list[Event]) -> list[str | None]:
    return [e.text for e in events if isinstance(e, BotUttered)]


def plain(events: list[Event]) -> list[dict[str, Any]]:
    """Events without their timestamps, for comparisons."""
    return [{k: v for k, v in e.to_dict().items() if k != "timestamp"} for e in events]


def slot_events(events: list[Event]) -> dict[str, Any]:
    return {e.key: e.value for e in events if isinstance(e, SlotSet)}


def test_form_activation_fills_from_message_and_asks_next(domain: Domain, nlg: Any) -> None:
    tracker = tracker_with(user("我要赎回华夏成长", "redeem", product="华夏成长"))
    events = run_action(FormAction("redeem_form"), tracker, domain, nlg)
    assert plain(events[:1]) == plain([ActiveLoop("redeem_form")])
    assert slot_events(events) == {"product": "华夏成长", REQUESTED_SLOT: "amount"}
    # the form-specific ask wins over utter_ask_amount and sees the new product value
    assert texts(events) == ["请问华夏成长赎回多少？"]
    assert tracker.active_loop_name == "redeem_form"


def test_form_fills_across_digression(domain: Domain, nlg: Any) -> None:
    form, policy = FormAction("redeem_form", {"validate_redeem_form": AmountValidator}), FormPolicy()
    tracker = tracker_with(user("我要赎回华夏成长", "redeem", product="华夏成长"))
    run_action(form, tracker, domain, nlg)
    assert policy.predict(tracker, domain).action == ACTION_LISTEN
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("赎回多久到账", "arrival_time")])
    assert policy.predict(tracker, domain).action == "redeem_form"
    assert extract_slots(tracker, domain, "redeem_form") == []
    # the message fills no slot: the form rejects it, as in Rasa, and steps aside for a rule
    with pytest.raises(ActionRejectedError):
        asyncio.run(form.run(tracker, domain, nlg))
    tracker.update(ActionExecutionRejected("redeem_form"))
    assert policy.predict(tracker, domain).action is None
    tracker.update_many([ActionExecuted("utter_arrival_time"), BotUttered("赎回款一般1到3个工作日到账。")])
    resume = policy.predict(tracker, domain)
    assert (resume.action, resume.confidence) == ("redeem_form", 1.0)
    events = run_action(form, tracker, domain, nlg)
    assert texts(events) == ["请问华夏成长赎回多少？"]
    assert tracker.active_loop_name == "redeem_form"
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("五万", "inform", amount=50000.0)])
    events = run_action(form, tracker, domain, nlg)
    assert plain(events[-2:]) == plain([ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)])
    assert tracker.slots["amount"] == 50000.0
    assert tracker.active_loop_name is None and tracker.slots[REQUESTED_SLOT] is None
    assert policy.predict(tracker, domain).action is None


def test_form_without_rejection_asks_again(domain: Domain, nlg: Any) -> None:
    form = FormAction("redeem_form", reject_unfilled=False)
    tracker = tracker_with(user("我要赎回华夏成长", "redeem", product="华夏成长"))
    run_action(form, tracker, domain, nlg)
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("嗯", "inform")])
    events = run_action(form, tracker, domain, nlg)
    assert texts(events) == ["请问华夏成长赎回多少？"] and tracker.active_loop_name == "redeem_form"


def test_form_correction_overwrites_filled_slot(domain: Domain, nlg: Any) -> None:
    form = FormAction("redeem_form")
    tracker = tracker_with(user("赎回五万", "redeem", amount=50000.0))
    run_action(form, tracker, domain, nlg)
    assert tracker.slots["amount"] == 50000.0 and tracker.slots[REQUESTED_SLOT] == "product"
    # "不对" reads as deny, a cancel intent, but the message carries an amount: a correction
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("不对，是三万", "deny", amount=30000.0)])
    events = run_action(form, tracker, domain, nlg)
    assert slot_events(events)["amount"] == 30000.0
    assert tracker.active_loop_name == "redeem_form"
    assert texts(events) == ["请问您要赎回哪只产品？"]


@pytest.mark.parametrize(
    ("text", "intent"), [("算了不买了", "stop"), ("不要了", "deny")], ids=["never_mind", "deny"]
)
def test_form_cancel_intent_deactivates_loop(text: str, intent: str, domain: Domain, nlg: Any) -> None:
    form = FormAction("redeem_form")
    tracker = tracker_with(user("我要赎回", "redeem"))
    run_action(form, tracker, domain, nlg)
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user(text, intent)])
    events = run_action(form, tracker, domain, nlg)
    assert plain(events) == plain([ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)])
    assert tracker.active_loop_name is None
    assert FormPolicy().predict(tracker, domain).action is None


def test_form_cancel_intents_are_configurable(domain: Domain, nlg: Any) -> None:
    form = FormAction("redeem_form", cancel_intents=("stop",))
    tracker = tracker_with(user("我要赎回", "redeem"))
    run_action(form, tracker, domain, nlg)
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("不要", "deny")])
    with pytest.raises(ActionRejectedError):  # not a cancel here: a digression
        run_action(form, tracker, domain, nlg)
    assert tracker.active_loop_name == "redeem_form"


def test_form_invalid_value_resets_and_reasks(domain: Domain, nlg: Any) -> None:
    form = FormAction("redeem_form", {"validate_redeem_form": AmountValidator()})
    tracker = tracker_with(user("赎回华夏成长", "redeem", product="华夏成长"))
    run_action(form, tracker, domain, nlg)
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("五十块", "inform", amount=50.0)])
    events = run_action(form, tracker, domain, nlg)
    assert slot_events(events) == {"amount": None, REQUESTED_SLOT: "amount"}
    assert texts(events) == ["赎回金额需在100元到100万元之间。", "请问华夏成长赎回多少？"]
    assert tracker.active_loop_name == "redeem_form"


def test_form_async_validator_may_set_other_slots(domain: Domain, nlg: Any) -> None:
    class Normalizing(FormValidator):
        async def validate_amount(self, value: Any, tracker: Any, domain: Any) -> dict[str, Any]:
            return {"amount": round(float(value)), "product": "默认产品"}

    tracker = tracker_with(user("赎回三万", "redeem", amount=30000.4))
    events = run_action(
        FormAction("redeem_form", {"validate_redeem_form": Normalizing}), tracker, domain, nlg
    )
    assert slot_events(events)["amount"] == 30000 and tracker.slots["product"] == "默认产品"
    assert tracker.active_loop_name is None


def test_form_runs_an_sdk_validation_action_like_rasa(domain: Domain, nlg: Any) -> None:
    from dialogue import sdk
    from dialogue.actions import SdkActionAdapter

    class ValidateRedeemForm(sdk.FormValidationAction):
        def name(self) -> str:
            return "validate_redeem_form"

        def validate_amount(self, value: Any, dispatcher: Any, tracker: Any, domain: Any) -> dict[str, Any]:
            if float(value) < 100:
                dispatcher.utter_message(text="最低赎回100元。")
                return {"amount": None}
            return {"amount": float(value), "product": f"{tracker.get_slot('product')}（已核对）"}

    form = FormAction("redeem_form", validation_action=SdkActionAdapter(ValidateRedeemForm()))
    tracker = tracker_with(user("赎回华夏成长", "redeem", product="华夏成长"))
    run_action(form, tracker, domain, nlg)
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("五十块", "inform", amount=50.0)])
    events = run_action(form, tracker, domain, nlg)
    assert slot_events(events) == {"amount": None, REQUESTED_SLOT: "amount"}
    # the validator's own message, then the domain's utter_invalid_amount, then the question again
    assert texts(events) == ["最低赎回100元。", "赎回金额需在100元到100万元之间。", "请问华夏成长赎回多少？"]
    tracker.update_many([ActionExecuted(ACTION_LISTEN), user("五百", "inform", amount=500.0)])
    run_action(form, tracker, domain, nlg)
    assert tracker.slots["amount"] == 500.0 and tracker.slots["product"] == "华夏成长（已核对）"
    assert tracker.active_loop_name is None


def test_check_validators_rejects_unknown_slot(domain: Domain) -> None:
    class Misspelled(FormValidator):
        def validate_amout(self, value: Any, tracker: Any, domain: Any) -> dict[str, Any]:
            return {"amout": value}

    with pytest.raises(DomainError, match="FLW101"):
        check_validators({"validate_redeem_form": Misspelled}, domain)
    with pytest.raises(DomainError, match="FLW101"):
        FormAction("redeem_form", {"validate_redeem_form": Misspelled}).check(domain)


def test_check_validators_rejects_unknown_form_and_foreign_slot(domain: Domain) -> None:
    with pytest.raises(DomainError, match="FLW102"):
        check_validators({"validate_buy_form": AmountValidator}, domain)
    with pytest.raises(DomainError, match="FLW103"):
        check_validators({"validate_confirm_form": AmountValidator}, domain)
    check_validators({"validate_redeem_form": AmountValidator}, domain)


def test_form_check_requires_ask_response() -> None:
    bare = Domain.from_yaml(
        "slots:\n  x:\n    type: text\n    mappings:\n      - type: from_text\n"
        "forms:\n  f:\n    required_slots: [x]\n"
    )
    with pytest.raises(DomainError, match="FLW106"):
        FormAction("f").check(bare)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (user("是的", "affirm"), {"confirmed": True}),
        (user("不是", "deny"), {"confirmed": False}),
        (user("你好", "inform"), {}),
    ],
    ids=["affirm", "deny", "other"],
)
def test_extract_slots_from_intent(message: UserUttered, expected: dict[str, Any], domain: Domain) -> None:
    tracker = tracker_with(
        user("办理", "redeem"), ActiveLoop("confirm_form"), SlotSet(REQUESTED_SLOT, "confirmed"), message
    )
    assert slot_events(extract_slots(tracker, domain, "confirm_form")) == expected


def test_extract_slots_from_intent_only_for_requested_slot_in_form(domain: Domain) -> None:
    tracker = tracker_with(
        ActiveLoop("confirm_form"), SlotSet(REQUESTED_SLOT, "other"), user("是的", "affirm")
    )
    assert extract_slots(tracker, domain, "confirm_form") == []


def test_extract_slots_from_entity_with_roles(domain: Domain) -> None:
    message = user("从工行转到招行", "transfer", account=("工行", "source"))
    message.parse_data["entities"].append({"entity": "account", "value": "招行", "role": "target"})
    tracker = tracker_with(message)
    found = slot_events(extract_slots(tracker, domain, "transfer_form"))
    assert found == {"source_account": "工行", "target_account": "招行"}


def test_extract_slots_from_text_only_when_requested(domain: Domain) -> None:
    asked = tracker_with(
        ActiveLoop("note_form"), SlotSet(REQUESTED_SLOT, "note"), user("请尽快处理", "inform")
    )
    assert slot_events(extract_slots(asked, domain, "note_form")) == {"note": "请尽快处理"}
    not_asked = tracker_with(
        ActiveLoop("note_form"), SlotSet(REQUESTED_SLOT, None), user("请尽快处理", "inform")
    )
    assert extract_slots(not_asked, domain, "note_form") == []


def test_extract_slots_from_trigger_intent_on_activation_only(domain: Domain, nlg: Any) -> None:
    tracker = tracker_with(user("我要赎回", "redeem"))
    assert slot_events(extract_slots(tracker, domain, "trigger_form")) == {"channel_source": "chat"}
    active = tracker_with(
        ActiveLoop("trigger_form"), SlotSet(REQUESTED_SLOT, "amount"), user("赎回", "redeem")
    )
    assert extract_slots(active, domain, "trigger_form") == []


def test_extract_slots_last_entity_value_wins(domain: Domain) -> None:
    message = user("不是五万，是三万", "inform", amount=50000.0)
    message.parse_data["entities"].append({"entity": "amount", "value": 30000.0})
    tracker = tracker_with(message)
    assert slot_events(extract_slots(tracker, domain)) == {"amount": 30000.0}
