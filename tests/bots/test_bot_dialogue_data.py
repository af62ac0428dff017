"""The four robots' dialogue data: domain, stories, rules, forms and flows load, check and run.

Each bot's domain and ``data/`` stories and rules must load, pass the training checks
without errors, name only actions the domain has, and train a policy ensemble (with the
form and flow policies) that greets back. Short conversations then run through the real
``MessageProcessor`` with intent payloads (``/intent{"entity": "value"}``), so no NLU model
is needed: they check the forms, the digression and cancel rules, the breakpoint reminders
and the outbound call flow end to end.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from functools import cache
from pathlib import Path

import pytest

from bots.actions import bot_actions
from bots.agent import build_action_registry
from bots.services import PlatformServices
from dialogue.domain import Domain
from dialogue.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from dialogue.flows import FlowsList, load_flows, validate_flows
from dialogue.forms import FormAction, extract_slots
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.policies import PolicyEnsemble
from dialogue.policies.flow_policy import FlowPolicy
from dialogue.policies.form_policy import FormPolicy
from dialogue.processor import MessageProcessor, UserMessage
from dialogue.stores import InMemoryLockStore, InMemoryTrackerStore
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker
from dialogue.training import ActionStep, LoopStep, OrStep, StoryGraph, load_stories
from dialogue.validation import Severity, validate

BOTS_DIR = Path(__file__).resolve().parents[2] / "bots"
BOTS = ["advisory", "breakpoint", "outbound", "service"]


@cache
def _domain(bot: str) -> Domain:
    return Domain.load(BOTS_DIR / bot / "domain.yml")


@cache
def _stories(bot: str) -> StoryGraph:
    return load_stories([BOTS_DIR / bot / "data"])


def _flow_files(bot: str) -> list[Path]:
    return sorted((BOTS_DIR / bot / "data").glob("flows*.yml"))


@cache
def _flows(bot: str) -> FlowsList:
    files = _flow_files(bot)
    return load_flows(files, _domain(bot)) if files else FlowsList({})


@cache
def _services() -> PlatformServices:
    return PlatformServices(Path(tempfile.mkdtemp(prefix="wealthbot-services-")))


@cache
def _ensemble(bot: str) -> PolicyEnsemble:
    """The ensemble ``wealthbot train`` builds: defaults plus the form and flow policies."""
    ensemble = PolicyEnsemble.default(extra=[FormPolicy(), FlowPolicy(_flows(bot))])
    ensemble.train(_stories(bot), _domain(bot))
    return ensemble


def _slots_outside_forms(tracker: DialogueStateTracker, domain: Domain, _: object) -> list[SlotSet]:
    # as the bot server does: every message fills slots, unless a form is extracting itself
    return [] if tracker.active_loop_name else extract_slots(tracker, domain, None)


def _processor(bot: str) -> MessageProcessor:
    domain = _domain(bot)
    # the bot's own actions as the server wires them; no customer is logged in here
    registry = build_action_registry(domain, bot_actions(bot, _services()))
    return MessageProcessor(
        domain=domain,
        nlu=None,  # every message below is an intent payload
        policies=_ensemble(bot),
        actions=registry,
        tracker_store=InMemoryTrackerStore(),
        lock_store=InMemoryLockStore(),
        nlg=NaturalLanguageGenerator(domain, deterministic=True),
        slot_extractor=_slots_outside_forms,
    )


def payload(intent: str, **entities: str) -> str:
    """The button-style payload the processor parses without NLU."""
    return f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")


class Chat:
    """One conversation with a bot; ``say`` returns the names of the responses the bot sent."""

    def __init__(self, bot: str, setup: list[Event] | None = None) -> None:
        self.processor = _processor(bot)
        self.sender = "tester"
        if setup:
            start = [ActionExecuted("action_session_start"), SessionStarted(), *setup]
            asyncio.run(
                self.processor.tracker_store.append(self.sender, [*start, ActionExecuted(ACTION_LISTEN)])
            )

    def say(self, intent: str, **entities: str) -> list[str]:
        before = len(self.tracker().events)
        asyncio.run(self.processor.handle_message(UserMessage(payload(intent, **entities), self.sender)))
        return self.uttered(self.tracker().events[before:])

    def trigger(self, action: str) -> list[str]:
        before = len(self.tracker().events)
        asyncio.run(self.processor.trigger(self.sender, action))
        return self.uttered(self.tracker().events[before:])

    def tracker(self) -> DialogueStateTracker:
        return asyncio.run(self.processor.get_tracker(self.sender))

    def texts(self) -> list[str]:
        return [str(e.text) for e in self.tracker().events if getattr(e, "type_name", "") == "bot"]

    @staticmethod
    def uttered(events: list[Event]) -> list[str]:
        return [str(e.data.get("template_name")) for e in events if getattr(e, "type_name", "") == "bot"]


# ---- loading and training checks ---------------------------------------------------------------


@pytest.mark.parametrize("bot", BOTS)
def test_bot_dialogue_data_loads(bot: str) -> None:
    domain, stories = _domain(bot), _stories(bot)
    assert "utter_greet" in domain.responses
    assert stories.rules, f"{bot} has no rules"
    assert stories.stories, f"{bot} has no stories"


@pytest.mark.parametrize("bot", BOTS)
def test_bot_dialogue_data_passes_training_checks(bot: str) -> None:
    findings = validate(_domain(bot), _stories(bot))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert errors == [], "\n".join(str(f) for f in findings)


@pytest.mark.parametrize("bot", BOTS)
def test_bot_dialogue_data_names_only_domain_actions(bot: str) -> None:
    domain = _domain(bot)
    steps = [s for story in _stories(bot).all() for s in (*story.condition, *story.steps)]
    steps += [a for s in steps if isinstance(s, OrStep) for a in s.alternatives]
    actions = {s.name for s in steps if isinstance(s, ActionStep)}
    loops = {s.name for s in steps if isinstance(s, LoopStep) and s.name is not None}
    assert actions - set(domain.action_names) == set()
    assert loops - set(domain.forms) == set()


@pytest.mark.parametrize("bot", BOTS)
def test_bot_dialogue_forms_have_ask_responses(bot: str) -> None:
    domain = _domain(bot)
    for form_name in domain.forms:
        FormAction(form_name).check(domain)  # raises DomainError on a slot without utter_ask_*


@pytest.mark.parametrize("bot", BOTS)
def test_bot_dialogue_flows_load_and_validate(bot: str) -> None:
    flows = _flows(bot)
    validate_flows(flows, _domain(bot))
    if bot == "outbound":
        call = flows.get("activation_call")
        assert call is not None and call.trigger_intents == ("call_started",)
        assert "interest" in call.collected_slots()


@pytest.mark.parametrize("bot", BOTS)
def test_bot_dialogue_ensemble_answers_greeting(bot: str) -> None:
    domain = _domain(bot)
    greet = UserUttered("你好", parse_data={"intent": {"name": "greet", "confidence": 0.95}, "entities": []})
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted(ACTION_LISTEN), greet]
    tracker = DialogueStateTracker("u1", domain.slot_defaults(), events)
    assert _ensemble(bot).predict(tracker, domain).action == "utter_greet"


# ---- service: redeem and bank card forms -------------------------------------------------------


def test_service_redeem_in_one_message_then_confirm() -> None:
    chat = Chat("service")
    assert chat.say("redeem", product="华夏成长", amount="五万") == ["utter_ask_redeem_confirmed"]
    assert "请确认：赎回华夏成长，金额五万" in chat.texts()[-1]
    assert chat.say("affirm") == ["utter_redeem_submitted"]
    tracker = chat.tracker()
    # submitted: the form's slots are cleared so the next redemption starts fresh
    assert tracker.active_loop_name is None and tracker.get_slot("redeem_confirmed") is None


def test_service_redeem_answers_arrival_time_and_resumes() -> None:
    chat = Chat("service")
    assert chat.say("redeem") == ["utter_ask_redeem_form_product"]
    assert chat.say("arrival_time") == ["utter_arrival_time", "utter_ask_redeem_form_product"]
    assert chat.say("redemption_fee") == ["utter_redemption_fee", "utter_ask_redeem_form_product"]
    assert chat.say("redeem", product="华夏成长") == ["utter_ask_redeem_form_amount"]
    assert chat.say("redeem", amount="两万") == ["utter_ask_redeem_confirmed"]
    assert chat.say("deny") == ["utter_redeem_cancelled"]
    assert chat.tracker().get_slot("redeem_confirmed") is False


def test_service_redeem_cancelled_midway_and_restarted_fresh() -> None:
    chat = Chat("service")
    chat.say("redeem", product="华夏成长", amount="五万")
    chat.say("affirm")
    # a new redemption asks everything again: nothing carries over from the last one
    assert chat.say("redeem") == ["utter_ask_redeem_form_product"]
    assert chat.say("deny") == ["utter_cancel_redeem_form"]
    tracker = chat.tracker()
    assert tracker.active_loop_name is None and tracker.latest_action_name == ACTION_LISTEN
    assert chat.say("greet") == ["utter_greet"]


def test_service_affirm_outside_the_form_does_not_confirm_a_redemption() -> None:
    chat = Chat("service")
    chat.say("complain")
    chat.say("deny")
    chat.say("affirm")
    assert chat.tracker().get_slot("redeem_confirmed") is None
    assert chat.say("redeem", product="华夏成长", amount="五万") == ["utter_ask_redeem_confirmed"]


def test_service_handoff_during_form_ends_form() -> None:
    chat = Chat("service")
    chat.say("redeem")
    assert chat.say("human_handoff") == ["utter_handoff"]
    tracker = chat.tracker()
    assert tracker.active_loop_name is None and tracker.is_paused


def test_service_change_bank_card_form() -> None:
    chat = Chat("service")
    assert chat.say("change_bank_card") == ["utter_ask_new_bank_card"]
    assert chat.say("change_bank_card", bank_card="6222020200112233445") == ["utter_ask_phone"]
    assert chat.say("modify_phone", phone="13812345678") == ["utter_change_bank_card_submitted"]
    one_message = Chat("service")
    reply = one_message.say("change_bank_card", bank_card="6222020200112233445", phone="13812345678")
    assert reply == ["utter_change_bank_card_submitted"]


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("complain", ["utter_complain", "utter_complain_offer_human"]),
        ("account_freeze", ["utter_account_freeze", "utter_handoff"]),
        ("purchase", ["utter_purchase_guide"]),
    ],
)
def test_service_single_turn_answers(intent: str, expected: list[str]) -> None:
    assert Chat("service").say(intent) == expected


@pytest.mark.parametrize(
    ("bot", "intent", "action"),
    [
        ("service", "product_nav", "action_product_query"),
        ("service", "product_risk_level", "action_product_query"),
        ("service", "out_of_scope", "action_answer_faq"),
        ("advisory", "compare_products", "action_product_query"),
        ("advisory", "news_query", "action_read_document"),
    ],
)
def test_knowledge_questions_go_to_the_knowledge_actions(bot: str, intent: str, action: str) -> None:
    chat = Chat(bot)
    replies = chat.say(intent)
    assert len(replies) == 1 and chat.texts()[-1]
    assert chat.tracker().latest_action_name == "action_listen"
    assert action in [getattr(e, "action_name", None) for e in chat.tracker().events]


def test_service_complaint_then_human() -> None:
    chat = Chat("service")
    chat.say("complain")
    assert chat.say("affirm") == ["utter_handoff"]
    assert chat.tracker().is_paused


# ---- advisory: recommendation form -------------------------------------------------------------


def test_advisory_recommendation_asks_what_is_missing() -> None:
    chat = Chat("advisory")
    assert chat.say("recommend_product") == ["utter_ask_risk_level"]
    assert chat.say("recommend_product", risk_level="C3") == ["utter_ask_amount"]
    assert chat.say("asset_allocation", amount="十万") == ["utter_ask_term"]
    chat.say("asset_allocation", term="三年")
    # a risk level the customer states is not an assessment: the recommender asks for one first
    assert "风险测评" in chat.texts()[-1]
    assert "action_recommend_products" in [getattr(e, "action_name", None) for e in chat.tracker().events]


def test_advisory_recommendation_in_one_message_and_no_promises() -> None:
    chat = Chat("advisory")
    chat.say("recommend_product", risk_level="R2", amount="五万", term="一年")
    assert "action_recommend_products" in [getattr(e, "action_name", None) for e in chat.tracker().events]
    assert chat.say("ask_guaranteed_return") == ["utter_ask_guaranteed_return"]
    assert "不承诺收益" in chat.texts()[-1]


def test_advisory_risk_assessment_during_recommendation() -> None:
    chat = Chat("advisory")
    chat.say("recommend_product")
    assert chat.say("start_risk_assessment") == ["utter_start_risk_assessment", "utter_ask_q_age"]
    assert chat.tracker().active_loop_name == "risk_assessment_form"
    assert chat.say("not_interested") == ["utter_risk_assessment_cancelled"]
    assert chat.tracker().active_loop_name is None


# ---- breakpoint: re-engagement -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "reminder", "continuation"),
    [
        ("card_not_bound", "utter_remind_bind_card", "utter_continue_binding_card"),
        ("risk_assessment_abandoned", "utter_remind_risk_assessment", "utter_continue_risk_assessment"),
        ("payment_abandoned", "utter_remind_payment", "utter_continue_purchase"),
        ("matured_not_reinvested", "utter_remind_reinvest", "utter_reinvest"),
    ],
)
def test_breakpoint_greeting_reminds_by_stage(stage: str, reminder: str, continuation: str) -> None:
    chat = Chat("breakpoint", [SlotSet("breakpoint_stage", stage)])
    assert chat.say("greet") == ["utter_greet", reminder]
    assert chat.say("affirm") == [continuation]


def test_breakpoint_pushed_reminder_then_later_and_unsubscribe() -> None:
    chat = Chat("breakpoint", [SlotSet("breakpoint_stage", "payment_abandoned")])
    assert chat.trigger("utter_remind_payment") == ["utter_remind_payment"]
    assert chat.tracker().latest_action_name == ACTION_LISTEN
    assert chat.say("not_now_later") == ["utter_not_now_later"]
    assert chat.say("unsubscribe") == ["utter_unsubscribe"]
    assert chat.tracker().get_slot("unsubscribed") is True


def test_breakpoint_greeting_without_stage_offers_help() -> None:
    assert Chat("breakpoint").say("greet") == ["utter_greet", "utter_help"]


# ---- outbound: the activation call flow ---------------------------------------------------------

CALL_OPENING = ["utter_call_intro", "utter_ask_interest"]


@pytest.mark.parametrize(
    ("answer", "closing", "grade"),
    [
        ("affirm", ["utter_activation_details", "utter_goodbye"], "A"),
        ("busy_call_later", ["utter_busy_call_later"], "B"),
        ("not_interested", ["utter_not_interested"], "D"),
        ("do_not_call", ["utter_do_not_call", "utter_goodbye"], "D"),
        ("complain_harassment", ["utter_complain_harassment"], "D"),
        ("wrong_person", ["utter_wrong_person"], None),
    ],
)
def test_outbound_call_branches_on_the_answer(answer: str, closing: list[str], grade: str | None) -> None:
    chat = Chat("outbound")
    assert chat.say("call_started") == CALL_OPENING
    assert chat.say(answer) == closing
    tracker = chat.tracker()
    assert tracker.get_slot("intention_grade") == grade
    assert tracker.get_slot("flow_stack") == []


def test_outbound_call_answers_questions_then_asks_again() -> None:
    chat = Chat("outbound")
    chat.say("call_started")
    assert chat.say("who_are_you") == ["utter_who_are_you", "utter_ask_interest"]
    assert chat.say("ask_is_robot") == ["utter_ask_is_robot", "utter_ask_interest"]
    assert chat.say("ask_yield") == ["utter_ask_yield", "utter_ask_interest"]
    assert chat.say("interested") == ["utter_activation_details", "utter_goodbye"]
    assert "理财有风险，投资需谨慎" in chat.texts()[-2]


def test_outbound_do_not_call_outside_the_call_records_opt_out() -> None:
    chat = Chat("outbound")
    assert chat.say("do_not_call") == ["utter_do_not_call", "utter_goodbye"]
    assert chat.tracker().get_slot("opted_out") is True


def test_outbound_greeting_asks_identity() -> None:
    chat = Chat("outbound")
    assert chat.say("greet") == ["utter_greet"]
    assert "机主本人" in chat.texts()[-1]  # no customer name known: the generic variation
    assert chat.say("deny") == ["utter_wrong_person"]


# ---- clarification button titles ---------------------------------------------------------------

# intents that only arrive as "/intent" payloads from a platform, never offered to customers
PAYLOAD_ONLY_INTENTS = {"outbound": {"call_started"}}


@pytest.mark.parametrize("bot", BOTS)
def test_bot_dialogue_intents_have_chinese_button_titles(bot: str) -> None:
    # action_clarify titles its buttons with utter_intent_<intent>; the raw English name is the fallback
    domain = _domain(bot)
    declared = [name for name in domain.intents if domain.location("intent", name) is not None]
    assert declared, f"{bot} declares no intents"
    missing, not_chinese = [], []
    for intent in set(declared) - PAYLOAD_ONLY_INTENTS.get(bot, set()):
        variations = domain.responses.get(f"utter_intent_{intent}")
        if not variations:
            missing.append(intent)
        elif not all(v.text and not v.text.isascii() for v in variations):
            not_chinese.append(intent)
    assert sorted(missing) == [] and sorted(not_chinese) == []
